import { InputError, type RunOptions, readOptions } from './bench/options';

/** Run options read from a URL of the contract in ../shared/CONTRACTS.md. */
export interface UrlState {
  options: RunOptions;
  autorun: boolean;
}

/** Reads run options from a query string; throws InputError for a malformed value. */
export function parseUrl(search: string, defaultKernel: string): UrlState {
  const q = new URLSearchParams(search);
  const options = readOptions({ get: (n) => q.get(n), defaultKernel });
  const auto = q.get('autorun');
  if (auto !== null && !['1', 'true', '0', 'false'].includes(auto)) {
    throw new InputError(`autorun must be 1 or true, got '${auto}'`);
  }
  return { options, autorun: auto === '1' || auto === 'true' };
}

/** Writes options as a query string; every value percent-encoded (so '+' is %2B, never a space). */
export function toQuery(o: RunOptions): string {
  const parts: [string, string][] = [];
  if (o.expr !== undefined) parts.push(['expr', o.expr]);
  else if (o.kernel !== undefined) parts.push(['kernel', o.kernel]);
  if (typeof o.ranges === 'string' && o.ranges) parts.push(['ranges', o.ranges]);
  if (o.size !== undefined) parts.push(['size', String(o.size)]);
  if (o.seed !== undefined) parts.push(['seed', String(o.seed)]);
  if (o.backends) parts.push(['backends', o.backends.join(',')]);
  if (o.code) parts.push(['code', o.code.join(',')]);
  if (o.ladder) parts.push(['ladder', '1']);
  if (o.workers !== undefined) parts.push(['workers', String(o.workers)]);
  if (o.adapter?.length) parts.push(['adapter', o.adapter.join(',')]);
  if (o.reps !== undefined) parts.push(['reps', String(o.reps)]);
  if (o.warmup !== undefined) parts.push(['warmup', String(o.warmup)]);
  if (o.variant) parts.push(['variant', o.variant]);
  if (o.residency === 'device') parts.push(['residency', 'device']);
  return `?${parts.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}
