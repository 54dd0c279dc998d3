import type { LitElement } from 'lit';

/**
 * Keyboard use: a run started from an action button (Enter or Space) disables that button, which would
 * drop the focus to the page. The Cancel button gets the focus while the run goes, and the button that
 * started it gets it back when the run ends (unless the user has moved the focus elsewhere meanwhile).
 */
export function keepFocus(
  host: LitElement,
  run: Promise<unknown>,
  actions: readonly string[],
  cancelId: string,
): void {
  const root = host.renderRoot as ShadowRoot;
  const from = root.activeElement as HTMLElement | null;
  if (!from || !actions.includes(from.id)) return;
  const cancel = () => root.getElementById(cancelId);
  void host.updateComplete.then(() => cancel()?.focus());
  const back = () =>
    void host.updateComplete.then(() => {
      const now = root.activeElement;
      if (!now || now === cancel()) from.focus();
    });
  run.then(back, back);
}
