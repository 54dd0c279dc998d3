import type { ChartConfiguration } from 'chart.js';
import { baselineMs, baselineOf, formatMs, speedup } from '../bench/compare';
import { crossover, parallelEfficiency } from '../bench/experiments';
import { PALETTE, pointLabels, RecordsChart, verticalMarker, whiskers } from './chart-base';

const TIME_AXIS = {
  type: 'logarithmic' as const,
  title: { display: true, text: 'ms (time to result, log scale)' },
};

/** A bar's name: the device, and for a data-on-GPU row that its time is the kernel alone. */
const barName = (r: { device: string; residency?: string }): string =>
  r.residency === 'device' ? `${r.device} · data on GPU (kernel only)` : r.device;

/**
 * One bar per backend/device: the warm median time to result, p10–p90 whiskers, labelled with the
 * median and the speedup over the main thread. Unverified results are grey and say so.
 */
export class KpSpeedupChart extends RecordsChart {
  protected summary(): string {
    return `Bar chart of median time per backend: ${this.records.map((r) => `${barName(r)} ${r.medianMs === null ? 'failed' : `${formatMs(r.medianMs)} ms`}`).join('; ')}`;
  }
  protected config(): ChartConfiguration {
    const rs = this.records.filter((r) => r.medianMs !== null);
    const labels = rs.map((r) => {
      const sp = baselineMs(this.records, r) && r.medianMs ? ` · ${speedup(this.records, r)}` : '';
      return r.ok ? `${formatMs(r.medianMs)} ms${sp}` : '✗ unverified';
    });
    return {
      type: 'bar',
      data: {
        labels: rs.map(barName),
        datasets: [
          {
            label: 'median time to result',
            data: rs.map((r) => r.medianMs!),
            backgroundColor: rs.map((r, i) => (r.ok ? PALETTE[i % PALETTE.length] : '#8c959f')),
            ...{
              whiskers: rs.map((r) => (r.p10Ms !== null && r.p90Ms !== null ? [r.p10Ms, r.p90Ms] : null)),
              labels,
            },
          },
        ],
      },
      options: {
        // On a log axis bars start at the axis minimum: put it below the shortest whisker.
        scales: { y: { ...TIME_AXIS, min: Math.min(...rs.map((r) => r.p10Ms ?? r.medianMs!)) / 2 } },
        plugins: {
          legend: { display: false },
          title: { display: true, text: 'Median time to result, p10–p90 whiskers' },
        },
      },
      plugins: [whiskers, pointLabels],
    };
  }
}

/** Every repetition's time, one strip per backend, so noise is never hidden behind one number. */
export class KpSpreadChart extends RecordsChart {
  protected summary(): string {
    return `Strip chart of each repetition's time: ${this.records.map((r) => `${r.device} ${r.samplesMs.length} samples`).join('; ')}`;
  }
  protected config(): ChartConfiguration {
    const rs = this.records;
    return {
      type: 'scatter',
      data: {
        datasets: rs.map((r, i) => ({
          label: r.device,
          // a fixed, deterministic jitter spreads equal times apart
          data: r.samplesMs.map((y, j) => ({ x: i + ((((j * 37) % 11) - 5) / 5) * 0.18, y })),
          backgroundColor: PALETTE[i % PALETTE.length],
          pointRadius: 3,
        })),
      },
      options: {
        scales: {
          x: {
            type: 'linear',
            min: -0.5,
            max: Math.max(0.5, rs.length - 0.5),
            ticks: { stepSize: 1, callback: (v) => rs[Number(v)]?.device ?? '' },
          },
          y: TIME_AXIS,
        },
        plugins: { title: { display: true, text: 'Every repetition (warm time to result)' } },
      },
    };
  }
}

/** Speedup of the pool over the main thread against the number of workers, with the ideal line. */
export class KpScalingChart extends RecordsChart {
  private points(): {
    workers: number;
    speedup: number;
    efficiency: number;
    transfer?: string;
    code?: string;
  }[] {
    // Each pool row against the main thread running the same code (the pool's own gain, not the code's).
    const mainOf = (code?: string) =>
      this.records.find((r) => r.backend === 'main' && r.ok && r.code === code)?.medianMs;
    return this.records
      .filter((r) => r.backend === 'workers' && r.ok && r.medianMs && r.workers && mainOf(r.code))
      .map((r) => ({
        workers: r.workers!,
        speedup: mainOf(r.code)! / r.medianMs!,
        efficiency: parallelEfficiency(mainOf(r.code)!, r.medianMs!, r.workers!),
        transfer: r.transfer,
        code: r.code,
      }));
  }
  protected summary(): string {
    return `Worker scaling: ${this.points()
      .map(
        (p) =>
          `${p.workers} workers${p.code === 'wasm' ? ' (WebAssembly)' : ''} ${p.speedup.toFixed(2)}× (${Math.round(p.efficiency * 100)}% efficient)`,
      )
      .join('; ')}`;
  }
  protected config(): ChartConfiguration {
    const pts = this.points();
    const maxW = Math.max(1, ...pts.map((p) => p.workers));
    return {
      type: 'line',
      data: {
        datasets: [
          ...[...new Set(pts.map((p) => p.code))].map((code, k) => {
            const mine = pts.filter((p) => p.code === code);
            return {
              label: `measured speedup over the main thread${code === 'wasm' ? ' (WebAssembly, over WebAssembly)' : ''}`,
              data: mine.map((p) => ({ x: p.workers, y: p.speedup })),
              borderColor: PALETTE[k],
              backgroundColor: PALETTE[k],
              ...{ labels: mine.map((p) => `${Math.round(p.efficiency * 100)}%`) },
            };
          }),
          {
            label: 'ideal (n workers = n×)',
            data: Array.from({ length: maxW }, (_, i) => ({ x: i + 1, y: i + 1 })),
            borderColor: '#8c959f',
            borderDash: [6, 4],
            pointRadius: 0,
          },
        ],
      },
      options: {
        scales: {
          x: {
            type: 'linear',
            min: 0.5,
            max: maxW + 0.5,
            title: { display: true, text: 'workers' },
            ticks: { stepSize: 1 },
          },
          y: { type: 'linear', beginAtZero: true, title: { display: true, text: 'speedup (×)' } },
        },
        plugins: { title: { display: true, text: 'Worker scaling (labels: parallel efficiency)' } },
      },
      plugins: [pointLabels],
    };
  }
}

/** Time against size on log–log axes per backend; GPU kernel time as its own dashed series. */
export class KpSweepChart extends RecordsChart {
  private devices(): string[] {
    return [...new Set(this.records.map((r) => r.device))];
  }
  private gpuCrossover(): { device: string; size: number } | null {
    for (const d of this.devices().filter((d) =>
      this.records.some((r) => r.device === d && r.backend === 'webgpu'),
    )) {
      const size = crossover(this.records, d);
      if (size !== null) return { device: d, size };
    }
    return null;
  }
  protected summary(): string {
    const c = this.gpuCrossover();
    return `Size sweep of ${this.devices().join(', ')}; ${c ? `${c.device} is faster than the main thread from size ${c.size}` : 'no crossover where WebGPU becomes faster than the main thread'}`;
  }
  protected config(): ChartConfiguration {
    const devices = this.devices();
    const datasets: ChartConfiguration<'line'>['data']['datasets'] = [];
    devices.forEach((d, i) => {
      const rs = this.records
        .filter((r) => r.device === d && r.ok && r.medianMs !== null)
        .sort((a, b) => a.size - b.size);
      datasets.push({
        label: `${d} — time to result`,
        data: rs.map((r) => ({ x: r.size, y: r.medianMs! })),
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
      });
      const k = rs.filter((r) => r.kernelMedianMs !== undefined);
      if (k.length) {
        datasets.push({
          label: `${d} — GPU kernel only (timestamps)`,
          data: k.map((r) => ({ x: r.size, y: r.kernelMedianMs! })),
          borderColor: PALETTE[i % PALETTE.length],
          borderDash: [5, 4],
          pointStyle: 'triangle',
        });
      }
    });
    const c = this.gpuCrossover();
    return {
      type: 'line',
      data: { datasets },
      options: {
        scales: {
          x: { type: 'logarithmic', title: { display: true, text: 'size (log scale)' } },
          y: TIME_AXIS,
        },
        plugins: {
          title: { display: true, text: 'Time against size' },
          ...{ kpMarker: { value: c?.size ?? null, text: c ? `WebGPU faster from ${c.size}` : '' } },
        },
      },
      plugins: [verticalMarker],
    } as ChartConfiguration;
  }
}

customElements.define('kp-speedup-chart', KpSpeedupChart);
customElements.define('kp-spread-chart', KpSpreadChart);
customElements.define('kp-scaling-chart', KpScalingChart);
customElements.define('kp-sweep-chart', KpSweepChart);
declare global {
  interface HTMLElementTagNameMap {
    'kp-speedup-chart': KpSpeedupChart;
    'kp-spread-chart': KpSpreadChart;
    'kp-scaling-chart': KpScalingChart;
    'kp-sweep-chart': KpSweepChart;
  }
}

/**
 * The speedup ladder: one bar per rung (JavaScript main thread, WebAssembly main thread, WebAssembly
 * workers, WebGPU), its length the speedup over the JavaScript loop on a log scale, labelled "3.5×".
 * A rung that did not verify is grey and says so: a fast wrong answer is no rung.
 */
export class KpLadderChart extends RecordsChart {
  private rungs() {
    const base = baselineOf(this.records)?.medianMs ?? null;
    return this.records
      .filter((r) => r.medianMs)
      .map((r) => ({ r, x: base && r.medianMs ? base / r.medianMs : null }));
  }
  protected summary(): string {
    return `Speedup ladder over the JavaScript loop: ${this.rungs()
      .map(({ r, x }) => `${r.device} ${r.ok && x ? `${x.toPrecision(3)}×` : 'did not verify'}`)
      .join('; ')}`;
  }
  protected config(): ChartConfiguration {
    const rungs = this.rungs();
    return {
      type: 'bar',
      data: {
        labels: rungs.map(({ r }) => r.device),
        datasets: [
          {
            label: 'speedup over the JavaScript loop',
            data: rungs.map(({ x }) => x ?? 0),
            backgroundColor: rungs.map(({ r }, i) => (r.ok ? PALETTE[i % PALETTE.length] : '#8c959f')),
            ...{ labels: rungs.map(({ r }) => (r.ok ? speedup(this.records, r) : '✗ unverified')) },
          },
        ],
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: {
            type: 'logarithmic',
            min: 0.5,
            title: { display: true, text: '× the JavaScript loop (median time to result, log scale)' },
          },
        },
        plugins: {
          legend: { display: false },
          title: { display: true, text: 'The speedup ladder, each rung verified against float64' },
        },
      },
      plugins: [pointLabels],
    };
  }
}
customElements.define('kp-ladder-chart', KpLadderChart);
