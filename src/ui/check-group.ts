import { html, type TemplateResult } from 'lit';

/**
 * A fieldset of checkboxes choosing a subset of `all` (kept in `all`'s order): the backends, the CPU
 * codes. `onChange` gets the new subset.
 */
export function checkGroup<T extends string>(g: {
  name: string;
  legend: string;
  all: readonly T[];
  chosen: readonly T[];
  label: (t: T) => string;
  title?: (t: T) => string;
  onChange: (next: T[]) => void;
}): TemplateResult {
  const toggle = (t: T, e: Event) => {
    const on = (e.target as HTMLInputElement).checked;
    g.onChange(g.all.filter((x) => (x === t ? on : g.chosen.includes(x))));
  };
  return html`<fieldset><legend>${g.legend}</legend>
    ${g.all.map((t) => html`<label title=${g.title?.(t) ?? ''}><input type="checkbox" name=${g.name} value=${t} .checked=${g.chosen.includes(t)} @change=${(e: Event) => toggle(t, e)} />${g.label(t)}</label>`)}
  </fieldset>`;
}
