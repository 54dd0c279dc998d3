import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  type Plugin,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
} from 'chart.js';
import { css, html, LitElement, type PropertyValues } from 'lit';
import type { RunRecord } from '../bench/record';

// Chart.js the documented way: register only the parts used.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  Tooltip,
  Legend,
  Title,
);

/** Text drawn next to points or bars: `labels[datasetIndex][index]`. */
export const pointLabels: Plugin = {
  id: 'kpLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    chart.data.datasets.forEach((ds, di) => {
      const labels = (ds as { labels?: string[] }).labels;
      if (!labels || !chart.isDatasetVisible(di)) return;
      const meta = chart.getDatasetMeta(di);
      ctx.save();
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = getComputedStyle(chart.canvas).color || '#333';
      // Horizontal bars (indexAxis 'y') are labelled past their end, others above their top.
      const horizontal = chart.options.indexAxis === 'y';
      ctx.textAlign = horizontal ? 'left' : 'center';
      ctx.textBaseline = horizontal ? 'middle' : 'alphabetic';
      meta.data.forEach((el, i) => {
        if (!labels[i]) return;
        const { x, y } = el.getProps(['x', 'y'], true) as { x: number; y: number };
        if (horizontal) ctx.fillText(labels[i], x + 6, y);
        else ctx.fillText(labels[i], x, y - 8);
      });
      ctx.restore();
    });
  },
};

/** p10–p90 whiskers over bars: `whiskers[index] = [low, high]` on the dataset. */
export const whiskers: Plugin = {
  id: 'kpWhiskers',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    chart.data.datasets.forEach((ds, di) => {
      const w = (ds as { whiskers?: ([number, number] | null)[] }).whiskers;
      if (!w) return;
      const meta = chart.getDatasetMeta(di);
      const y = chart.scales[meta.yAxisID ?? 'y'];
      ctx.save();
      ctx.strokeStyle = getComputedStyle(chart.canvas).color || '#333';
      ctx.lineWidth = 1.5;
      meta.data.forEach((el, i) => {
        const range = w[i];
        if (!range) return;
        const { x } = el.getProps(['x'], true) as { x: number };
        const [lo, hi] = [y.getPixelForValue(range[0]), y.getPixelForValue(range[1])];
        ctx.beginPath();
        ctx.moveTo(x, lo);
        ctx.lineTo(x, hi);
        ctx.moveTo(x - 6, lo);
        ctx.lineTo(x + 6, lo);
        ctx.moveTo(x - 6, hi);
        ctx.lineTo(x + 6, hi);
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};

/** A vertical marker at x = `value` with a caption (the sweep's crossover). */
export const verticalMarker: Plugin = {
  id: 'kpMarker',
  afterDatasetsDraw(chart) {
    const m = (chart.options.plugins as { kpMarker?: { value: number | null; text: string } }).kpMarker;
    if (!m || m.value === null) return;
    const x = chart.scales.x.getPixelForValue(m.value);
    const { top, bottom } = chart.chartArea;
    const { ctx } = chart;
    ctx.save();
    ctx.strokeStyle = '#9a6700';
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
    ctx.fillStyle = '#9a6700';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(m.text, x + 4, top + 12);
    ctx.restore();
  },
};

export const PALETTE = ['#1f6feb', '#2da44e', '#bf3989', '#9a6700', '#8250df', '#cf222e', '#0a7ea4'];

/**
 * One Chart.js chart per element: created on first render, updated with update('none') for live data,
 * destroyed when the element leaves the page. Subclasses say what to draw in `config()`.
 * `chart` is public so tests can read series and points from the instance, not from pixels.
 * @csspart canvas - the chart's canvas
 */
export abstract class ChartElement extends LitElement {
  chart: Chart | null = null;

  static override styles = css`
    :host { display: block; position: relative; height: 18rem; color: inherit; }
    canvas { max-width: 100%; }
  `;

  protected abstract config(): ChartConfiguration;
  /** One sentence a screen reader gets instead of the picture. */
  protected abstract summary(): string;

  override render() {
    return html`<canvas part="canvas" role="img" aria-label=${this.summary()}></canvas>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    const cfg = this.config();
    if (!this.chart) {
      this.chart = new Chart(canvas, {
        ...cfg,
        options: { ...cfg.options, responsive: true, maintainAspectRatio: false, animation: false },
      });
    } else {
      this.chart.data = cfg.data;
      this.chart.options = { ...cfg.options, responsive: true, maintainAspectRatio: false, animation: false };
      this.chart.update('none');
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.requestUpdate(); // re-attached: make the chart again
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.chart?.destroy();
    this.chart = null;
  }
}

/** A chart of result records (every chart here): `records` is its one property. */
export abstract class RecordsChart extends ChartElement {
  static override properties = { records: { attribute: false } };
  declare records: RunRecord[];

  constructor() {
    super();
    this.records = [];
  }
}
