import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ExperimentHooks } from '../bench/experiments';
import type { RunRecord } from '../bench/record';
import type { Progress, RunOutput } from '../bench/runner';
import { errorKind, userMessage } from '../errors';
import type { View } from './results-panel';

export function progressText(p: Progress): string {
  switch (p.phase) {
    case 'inputs':
      return `${p.kernel}: generating inputs`;
    case 'reference':
      return `${p.kernel}: computing the float64 reference`;
    case 'select':
      return `${p.backend}: choosing a GPU program variant (timed once per adapter and size class)`;
    case 'prepare':
      return `${p.backend}: preparing (compile, allocate)`;
    case 'cold':
      return `${p.backend}: first (cold) run`;
    case 'warmup':
      return `${p.backend}: warm-up ${p.index} of ${p.of}`;
    case 'rep':
      return `${p.backend}: repetition ${p.index} of ${p.of}`;
  }
}

/** The same configuration (a partial record and its final one). */
function sameRow(a: RunRecord, b: RunRecord): boolean {
  return (
    a.device === b.device &&
    a.code === b.code &&
    a.size === b.size &&
    a.workers === b.workers &&
    a.kernel === b.kernel
  );
}

/** What a host does when a run ends (the page fires `playground-results`; the widget `race-complete`). */
export interface RunEvents {
  onResults?(records: RunRecord[]): void;
  onError?(message: string, error: unknown): void;
}

/**
 * The one run lifecycle of the page and the `<kernel-race>` widget, as a Lit reactive controller
 * (the @lit/task habit): each run gets an AbortSignal, a new run cancels the one in flight, and an
 * older run's results never overwrite a newer one's. Its host re-renders whenever records, progress
 * or errors change; errors are shown as errors.ts words them.
 */
export class RunController implements ReactiveController {
  records: RunRecord[] = [];
  running = false;
  progress = '';
  error = '';
  /** Whether the error is a cancellation (shown neutrally, not as a failure). */
  cancelled = false;
  notices: string[] = [];
  /** The latest verified output of a kernel that draws one (the backtest's heatmap). */
  output: RunOutput | null = null;
  view: View = 'run';
  /** The tab went to the background during the run (browsers throttle it: timings suffer). */
  backgrounded = false;
  private abort: AbortController | null = null;
  private serial = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly events: RunEvents = {},
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.abort?.abort();
  }

  private set(
    patch: Partial<
      Pick<
        RunController,
        | 'records'
        | 'running'
        | 'progress'
        | 'error'
        | 'cancelled'
        | 'notices'
        | 'view'
        | 'backgrounded'
        | 'output'
      >
    >,
  ): void {
    Object.assign(this, patch);
    this.host.requestUpdate();
  }

  showError(message: string): void {
    this.set({ error: message, cancelled: false });
  }

  /** The run's error as an alert, or a cancellation as a neutral status line (#error either way). */
  renderError() {
    if (!this.error) return nothing;
    return this.cancelled
      ? html`<div class="notice" id="error" role="status">${this.error}</div>`
      : html`<div class="error" id="error" role="alert">${this.error}</div>`;
  }

  setNotices(notices: string[]): void {
    this.set({ notices });
  }

  cancel(): void {
    this.abort?.abort();
  }

  /**
   * Runs `body` as the current run: cancels the previous one, streams partial records and progress
   * into the host, reports the records on success, and shows the error on failure (rejecting).
   */
  async execute(view: View, body: (hooks: ExperimentHooks) => Promise<RunRecord[]>): Promise<RunRecord[]> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const serial = ++this.serial;
    const mine = () => serial === this.serial;
    this.set({
      view,
      running: true,
      error: '',
      cancelled: false,
      notices: [],
      records: [],
      output: null,
      backgrounded: hidden(),
    });
    let step = '';
    const onHidden = () => {
      if (hidden() && mine()) this.set({ backgrounded: true });
    };
    globalThis.document?.addEventListener('visibilitychange', onHidden);
    const upsert = (r: RunRecord) => {
      if (mine()) this.set({ records: [...this.records.filter((x) => !sameRow(x, r)), r] });
    };
    try {
      const records = await body({
        signal: abort.signal,
        onProgress: (p) => {
          if (mine()) this.set({ progress: `${step}${progressText(p)}` });
        },
        // said before the work starts (a long main-thread run), not after it
        onNotice: (text) => {
          if (mine() && !this.notices.includes(text)) this.set({ notices: [...this.notices, text] });
        },
        onOutput: (o) => {
          if (mine()) this.set({ output: o });
        },
        // A backend's row appears after its first repetition and is replaced as more finish.
        onPartial: upsert,
        onRecord: upsert,
        onStep: (recs, k, of) => {
          if (!mine()) return;
          step = `${view === 'sweep' ? 'Size sweep' : 'Worker scaling'} step ${Math.min(k + 1, of)} of ${of} — `;
          this.set({ records: recs });
        },
        yieldToUi: () => new Promise((r) => setTimeout(r, 0)),
      });
      if (mine()) {
        this.set({ records });
        this.events.onResults?.(records);
      }
      return records;
    } catch (e) {
      if (mine()) {
        const message = userMessage(e);
        this.set({ error: message, cancelled: errorKind(e) === 'cancelled' });
        this.events.onError?.(message, e);
      }
      throw e;
    } finally {
      globalThis.document?.removeEventListener('visibilitychange', onHidden);
      if (mine()) {
        this.abort = null;
        this.set({ running: false, progress: '' });
      }
    }
  }
}

function hidden(): boolean {
  return globalThis.document?.visibilityState === 'hidden';
}
