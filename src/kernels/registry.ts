import { backtest } from './backtest';
import { blackscholes } from './blackscholes';
import { faultCrash, faultThrow } from './faults';
import { matmul } from './matmul';
import { montecarlo } from './montecarlo';
import { saxpy } from './saxpy';
import { sq2 } from './sq2';
import { sum } from './sum';
import type { KernelSpec } from './types';

/** Kernels are data in one registry that refuses duplicate ids (as tfjs's kernel registry does). */
export class KernelRegistry {
  private readonly kernels = new Map<string, KernelSpec>();

  register(k: KernelSpec): void {
    if (!/^[a-z][a-z0-9-]*$/.test(k.id)) throw new Error(`invalid kernel id '${k.id}'`);
    if (this.kernels.has(k.id)) throw new Error(`kernel '${k.id}' is already registered`);
    this.kernels.set(k.id, k);
  }

  has(id: string): boolean {
    return this.kernels.has(id);
  }

  get(id: string): KernelSpec {
    const k = this.kernels.get(id);
    if (!k) throw new Error(`unknown kernel '${id}': choose one of ${this.ids().join(', ')}`);
    return k;
  }

  /** Listed kernels (hidden fault-injection kernels left out). */
  list(): KernelSpec[] {
    return [...this.kernels.values()].filter((k) => !k.hidden);
  }

  ids(): string[] {
    return this.list().map((k) => k.id);
  }
}

export const registry = new KernelRegistry();
for (const k of [sq2, saxpy, sum, matmul, blackscholes, montecarlo, backtest, faultThrow, faultCrash])
  registry.register(k);

export function getKernel(id: string): KernelSpec {
  return registry.get(id);
}
