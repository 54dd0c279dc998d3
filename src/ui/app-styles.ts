import { css } from 'lit';

/** The app shell's styles (its children style themselves). */
export const APP_STYLES = css`
  :host { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem; }
  h1 { font-size: 1.4rem; margin: 0 0 0.25rem; }
  .lede { margin: 0 0 1rem; opacity: 0.85; }
  form { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: end; margin-bottom: 1rem; }
  label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.85rem; }
  fieldset { border: 1px solid color-mix(in srgb, currentColor 25%, transparent); border-radius: 6px; display: flex; gap: 0.8rem; }
  fieldset label, label.inline { flex-direction: row; align-items: center; gap: 0.35rem; }
  input[type='number'] { width: 8rem; }
  button { font: inherit; padding: 0.4rem 1rem; border-radius: 6px; cursor: pointer; }
  .status { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; font-size: 0.85rem; margin-bottom: 0.75rem; }
  .error { color: #cf222e; border: 1px solid #cf222e; padding: 0.5rem 0.75rem; border-radius: 6px; margin-bottom: 0.75rem; white-space: pre-wrap; }
  .notice { border: 1px solid #9a6700; padding: 0.5rem 0.75rem; border-radius: 6px; margin-bottom: 0.75rem; }
  .progress { min-height: 1.4em; font-size: 0.9rem; }
  .memory { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
  .memory button { padding: 0.25rem 0.7rem; font-size: 0.85rem; }
  .progress-row { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin-bottom: 0.5rem; }
`;
