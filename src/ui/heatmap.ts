import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { RunOutput } from '../bench/runner';
import { BT, backtestGrid, buyAndHold, describePair, makeSeries } from '../kernels/backtest';

/** One pair of the sweep: its windows and its two outputs. */
export interface SweepCell {
  index: number;
  fast: number;
  slow: number;
  totalReturn: number;
  sharpe: number;
}

/** The sweep's cells from a backtest output (out[2i] total return, out[2i + 1] Sharpe ratio). */
export function sweepCells(size: number, output: Float32Array): SweepCell[] {
  const g = backtestGrid(size);
  return Array.from({ length: size }, (_, i) => ({
    index: i,
    fast: g.fast(i),
    slow: g.slow(i),
    totalReturn: output[2 * i],
    sharpe: output[2 * i + 1],
  }));
}

/** The pair with the highest Sharpe ratio (the first of equals). */
export function bestCell(cells: readonly SweepCell[]): SweepCell {
  return cells.reduce((a, b) => (b.sharpe > a.sharpe ? b : a));
}

export const cellText = (c: SweepCell) => describePair(c.fast, c.slow, c.totalReturn, c.sharpe);

/** Viridis at eight stops: perceptually even, readable in greyscale and by colour-blind readers. */
const VIRIDIS: readonly [number, number, number][] = [
  [68, 1, 84],
  [70, 50, 126],
  [54, 92, 141],
  [39, 127, 142],
  [31, 161, 135],
  [74, 193, 109],
  [160, 218, 57],
  [253, 231, 37],
];

/** The colour of t in [0, 1] as RGB (low Sharpe dark purple, high Sharpe yellow). */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - k;
  const [a, b] = [VIRIDIS[k], VIRIDIS[k + 1]];
  const mix = (i: number) => Math.round(a[i] + (b[i] - a[i]) * f);
  return [mix(0), mix(1), mix(2)];
}
const scaleColour = (t: number) => `rgb(${viridis(t).join(', ')})`;

const MARGIN = { left: 56, right: 12, top: 12, bottom: 64 };

/**
 * The backtest sweep as a heatmap: fast window across, slow window up, colour = Sharpe ratio, the
 * best pair ringed. Hover or move with the arrow keys (Home: the best pair) to read a pair; the sweep
 * downloads as CSV.
 * @csspart figure - the figure around the heatmap
 */
export class KpSweepHeatmap extends LitElement {
  static override properties = {
    output: { attribute: false },
    cursor: { state: true },
  };
  declare output: RunOutput | null;
  declare cursor: number;
  private cells: SweepCell[] = [];
  private best: SweepCell | null = null;
  /** The colour scale's ends: the 1st and 99th percentiles (all values when few), so one outlier cannot flatten the map. */
  private lo = 0;
  private hi = 0;
  private clipped = false;
  /** The grid drawn once per output, one pixel per pair: cursor moves only redraw the overlays. */
  private gridImage: HTMLCanvasElement | null = null;
  /** The keyboard's pair; hovering shows another in the readout until the pointer leaves. */
  private hover = -1;
  /** Buy and hold over the same series, for scale (computed here, not timed). */
  private hold = '';

  constructor() {
    super();
    this.output = null;
    this.cursor = -1;
  }

  static override styles = css`
    :host { display: block; margin: 1rem 0; }
    figure { margin: 0; }
    canvas { display: block; width: 100%; max-width: 40rem; aspect-ratio: 4 / 3; border-radius: 4px; }
    canvas:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
    figcaption, .readout { font-size: 0.85rem; margin: 0.35rem 0; }
    .readout { min-height: 1.3em; font-variant-numeric: tabular-nums; }
    button { font: inherit; font-size: 0.85rem; padding: 0.25rem 0.7rem; border-radius: 6px; cursor: pointer; }
  `;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('output')) {
      const o = this.output;
      this.cells = o ? sweepCells(o.size, o.output) : [];
      this.best = this.cells.length ? bestCell(this.cells) : null;
      this.cursor = this.best ? this.best.index : -1;
      this.hover = -1;
      this.hold = o ? buyAndHold(makeSeries(BT.days, o.seed)) : '';
      const finite = this.cells
        .map((c) => c.sharpe)
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      const at = (q: number) => finite[Math.min(finite.length - 1, Math.floor(q * finite.length))] ?? 0;
      this.clipped = finite.length > 200;
      this.lo = this.clipped ? at(0.01) : (finite[0] ?? 0);
      this.hi = this.clipped ? at(0.99) : (finite[finite.length - 1] ?? 0);
      this.gridImage = null;
    }
  }

  protected override updated(): void {
    this.draw();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize = new ResizeObserver(() => this.draw());
    this.resize.observe(this);
  }
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
  }
  private resize?: ResizeObserver;

  private get canvas(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector('canvas');
  }

  /** The plot's geometry in CSS pixels. */
  private geometry(canvas: HTMLCanvasElement) {
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    const g = backtestGrid(this.output?.size ?? 1);
    const pw = Math.max(1, w - MARGIN.left - MARGIN.right);
    const ph = Math.max(1, h - MARGIN.top - MARGIN.bottom);
    return { w, h, g, pw, ph, cw: pw / g.cols, ch: ph / g.rows };
  }

  private cellAt(x: number, y: number): number {
    const canvas = this.canvas;
    if (!canvas || !this.output) return -1;
    const { g, cw, ch, ph } = this.geometry(canvas);
    const col = Math.floor((x - MARGIN.left) / cw);
    const row = Math.floor((MARGIN.top + ph - y) / ch);
    if (col < 0 || col >= g.cols || row < 0 || row >= g.rows) return -1;
    const i = row * g.cols + col;
    return i < this.cells.length ? i : -1;
  }

  /** The sweep as an image of one pixel per pair (slow window up), made once per output. */
  private grid(): HTMLCanvasElement {
    if (this.gridImage) return this.gridImage;
    const g = backtestGrid(this.output?.size ?? 1);
    const span = this.hi - this.lo;
    const image = new ImageData(g.cols, g.rows);
    for (const c of this.cells) {
      const t = span > 0 ? (c.sharpe - this.lo) / span : 0.5;
      const [r, gg, b] = Number.isFinite(c.sharpe) ? viridis(t) : [136, 136, 136];
      const at = 4 * ((g.rows - 1 - Math.floor(c.index / g.cols)) * g.cols + (c.index % g.cols));
      image.data.set([r, gg, b, 255], at);
    }
    const grid = document.createElement('canvas');
    grid.width = g.cols;
    grid.height = g.rows;
    grid.getContext('2d')?.putImageData(image, 0, 0);
    this.gridImage = grid;
    return grid;
  }

  private draw(): void {
    const canvas = this.canvas;
    if (!canvas || !this.output || !this.cells.length) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const { w, h, g, pw, ph, cw, ch } = this.geometry(canvas);
    if (!w || !h) return;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const ink = getComputedStyle(this).color || '#222';
    const x0 = MARGIN.left;
    const yBase = MARGIN.top + ph;
    const rect = (i: number): [number, number] => [
      x0 + (i % g.cols) * cw,
      yBase - (Math.floor(i / g.cols) + 1) * ch,
    ];
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.grid(), x0, MARGIN.top, pw, ph);
    // a ring a few pixels around the cell, kept inside the plot
    const ring = (i: number, colour: string, width: number) => {
      const [x, y] = rect(i);
      const pad = Math.min(3, Math.max(1, Math.min(cw, ch) * 0.2));
      const left = Math.max(x0 + width / 2, x - pad);
      const top = Math.max(MARGIN.top + width / 2, y - pad);
      const right = Math.min(x0 + pw - width / 2, x + cw + pad);
      const bottom = Math.min(yBase - width / 2, y + ch + pad);
      ctx.lineWidth = width;
      ctx.strokeStyle = colour;
      ctx.strokeRect(left, top, right - left, bottom - top);
    };
    if (this.best) {
      ring(this.best.index, '#fff', 4);
      ring(this.best.index, '#000', 2);
      const [x, y] = rect(this.best.index);
      ctx.font = 'bold 11px system-ui, sans-serif';
      const right = x + cw / 2 > x0 + pw / 2;
      ctx.textAlign = right ? 'right' : 'left';
      // beside the cell, inside the canvas: below it when the cell is at the top
      const tx = right ? Math.max(x0 + 30, x - 6) : Math.min(x0 + pw - 30, x + cw + 6);
      const above = y - 2 > MARGIN.top + 12;
      ctx.textBaseline = above ? 'bottom' : 'top';
      const ty = above ? y - 2 : Math.min(yBase - 12, y + ch + 2);
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#fff';
      ctx.strokeText('best', tx, ty);
      ctx.fillStyle = '#000';
      ctx.fillText('best', tx, ty);
    }
    const shown = this.hover >= 0 ? this.hover : this.cursor;
    if (shown >= 0 && shown !== this.best?.index) {
      ctx.setLineDash([3, 2]);
      ring(shown, '#fff', 1.5);
      ctx.setLineDash([]);
    }
    // axes: fast windows across, slow windows up, a handful of ticks each
    ctx.fillStyle = ink;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const ticks = (n: number) => {
      const step = Math.max(1, Math.ceil(n / 6));
      const out: number[] = [];
      for (let k = 0; k < n; k += step) out.push(k);
      return out;
    };
    for (const col of ticks(g.cols)) ctx.fillText(String(g.fast(col)), x0 + (col + 0.5) * cw, yBase + 4);
    ctx.fillText('fast window (days)', x0 + pw / 2, yBase + 18);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const row of ticks(g.rows))
      ctx.fillText(String(g.slow(row * g.cols)), x0 - 6, yBase - (row + 0.5) * ch);
    ctx.save();
    ctx.translate(12, MARGIN.top + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText('slow window (days)', 0, 0);
    ctx.restore();
    // legend: the colour scale between its ends, zero marked when inside
    const ly = yBase + 38;
    const lw = Math.min(pw, 240);
    const span = this.hi - this.lo;
    for (let k = 0; k < lw; k++) {
      ctx.fillStyle = scaleColour(span > 0 ? k / (lw - 1) : 0.5);
      ctx.fillRect(x0 + k, ly, 1.5, 8);
    }
    ctx.fillStyle = ink;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'right';
    ctx.fillText('Sharpe', x0 - 6, ly - 1);
    ctx.textAlign = 'left';
    const lead = this.clipped ? '≤ ' : '';
    ctx.fillText(`${lead}${this.lo.toFixed(2)}`, x0, ly + 10);
    ctx.textAlign = 'right';
    ctx.fillText(`${this.clipped ? '≥ ' : ''}${this.hi.toFixed(2)}`, x0 + lw, ly + 10);
    if (this.lo < 0 && this.hi > 0) {
      const zx = x0 + (-this.lo / span) * lw;
      ctx.fillRect(zx, ly - 2, 1, 12);
      ctx.textAlign = 'center';
      ctx.fillText('0', zx, ly + 10);
    }
  }

  private onMove(e: PointerEvent): void {
    const canvas = e.currentTarget as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    const i = this.cellAt(e.clientX - r.left, e.clientY - r.top);
    if (i !== this.hover) {
      this.hover = i;
      this.requestUpdate();
    }
  }

  private onLeave(): void {
    this.hover = -1;
    this.requestUpdate();
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.output || !this.cells.length) return;
    const { cols } = backtestGrid(this.output.size);
    const n = this.cells.length;
    const i = Math.max(0, this.cursor);
    const rows = Math.max(1, Math.ceil(Math.ceil(n / cols) / 10));
    const moves: Record<string, number> = {
      ArrowLeft: i % cols > 0 ? i - 1 : i,
      ArrowRight: i % cols < cols - 1 && i + 1 < n ? i + 1 : i,
      ArrowUp: i + cols < n ? i + cols : i,
      ArrowDown: i - cols >= 0 ? i - cols : i,
      // a tenth of the rows at a time
      PageUp: Math.min(i + rows * cols, i + cols * Math.floor((n - 1 - i) / cols)),
      PageDown: Math.max(i % cols, i - rows * cols),
      Home: this.best?.index ?? 0,
      End: n - 1,
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    this.hover = -1;
    this.cursor = moves[e.key];
  }

  private downloadCsv(): void {
    const rows = [
      'fast,slow,total_return,sharpe',
      ...this.cells.map((c) => `${c.fast},${c.slow},${c.totalReturn},${c.sharpe}`),
    ];
    const url = URL.createObjectURL(new Blob([`${rows.join('\n')}\n`], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `kernel-playground-backtest-${this.output?.size}-seed${this.output?.seed}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  override render() {
    const o = this.output;
    if (!o || !this.best) return nothing;
    const g = backtestGrid(o.size);
    const at = this.cells[this.hover >= 0 ? this.hover : this.cursor];
    return html`<figure part="figure">
      <canvas tabindex="0" role="application" aria-roledescription="heatmap"
        aria-label=${`Heatmap of the Sharpe ratio of ${o.size} window pairs, fast ${g.fast(0)}–${g.fast(Math.min(o.size, g.cols) - 1)} days across, slow ${g.slow(0)}–${g.slow(o.size - 1)} days up. Best: ${cellText(this.best)}. Arrow keys move between pairs, Page Up and Page Down by a tenth of the rows, Home to the best pair, End to the last.`}
        @pointermove=${this.onMove} @pointerleave=${this.onLeave} @keydown=${this.onKey}></canvas>
      <div class="readout" id="readout" role="status" aria-live="polite">${at ? cellText(at) : ''}</div>
      <figcaption>Sharpe ratio of each (fast, slow) window pair, ${g.cols} × ${g.rows}${this.clipped ? ' (colours span the 1st to 99th percentile)' : ''}, drawn from ${o.device}'s output (verified against float64). Best, ringed: <strong id="best">${cellText(this.best)}</strong>. ${this.hold}.
        <button type="button" id="sweep-csv" @click=${this.downloadCsv}>Download the sweep (CSV)</button></figcaption>
    </figure>`;
  }
}

// the widget's embed.js may be loaded twice on a page: the second copy keeps the first's element
if (!customElements.get('kp-sweep-heatmap')) customElements.define('kp-sweep-heatmap', KpSweepHeatmap);
declare global {
  interface HTMLElementTagNameMap {
    'kp-sweep-heatmap': KpSweepHeatmap;
  }
}
