import { css, html, LitElement } from 'lit';

/**
 * A dot that moves every animation frame, driven from JavaScript on the main thread (not a CSS
 * animation, which the compositor would keep running): it keeps moving while workers or the GPU
 * compute and visibly stalls while the main thread computes. It reports the longest stall seen.
 * @attr running - whether a run is in progress (resets the longest stall when it starts)
 */
export class KpHeartbeat extends LitElement {
  static override properties = { running: { type: Boolean }, longest: { state: true } };
  declare running: boolean;
  declare longest: number;
  private frame = 0;
  private last = 0;
  private x = 0;

  constructor() {
    super();
    this.running = false;
    this.longest = 0;
  }

  static override styles = css`
    :host { display: inline-flex; align-items: center; gap: 0.5rem; font-size: 0.8rem; }
    .track { position: relative; width: 8rem; height: 0.8rem; border-radius: 0.4rem; background: color-mix(in srgb, currentColor 12%, transparent); }
    .dot { position: absolute; top: 0.1rem; width: 0.6rem; height: 0.6rem; border-radius: 50%; background: #1f6feb; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    const tick = (t: number) => {
      // Measured always (the frame after a blocking run may come after `running` went false); reset
      // when a run starts.
      if (this.last && t - this.last > this.longest) this.longest = t - this.last;
      this.last = t;
      this.x = (this.x + 2) % 120;
      const dot = this.renderRoot.querySelector<HTMLElement>('.dot');
      if (dot) dot.style.left = `${this.x < 60 ? this.x : 120 - this.x}%`;
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('running') && this.running) this.longest = 0;
  }

  override render() {
    return html`<span class="track" role="img" aria-label="main-thread responsiveness indicator"><span class="dot"></span></span>
      <span id="stall">${this.longest > 100 ? `main thread blocked for ${Math.round(this.longest)} ms` : 'main thread responsive'}</span>`;
  }
}

customElements.define('kp-heartbeat', KpHeartbeat);
declare global {
  interface HTMLElementTagNameMap {
    'kp-heartbeat': KpHeartbeat;
  }
}
