import { cachedExpression } from '../expr/kernel';
import { getKernel } from './registry';
import type { Ranges } from './rng';
import type { KernelSpec } from './types';

/** A built-in kernel by id, or ('expr') the kernel compiled from an expression's source. */
export function lookupKernel(id: string, expr?: string, ranges?: Ranges): KernelSpec {
  if (id === 'expr') {
    if (expr === undefined) throw new Error("kernel 'expr' needs the expression's source");
    return cachedExpression(expr, ranges).kernel;
  }
  return getKernel(id);
}
