/**
 * The JavaScript functions a compiled-tier module imports for its slow lanes (trigonometry beyond the
 * fast reduction's range, NumPy's `**` and `%`), and the import object that provides them.
 */
import { floorMod, numpyPow } from '../expr/reference';
import { F64, type ImportFunc } from './encode';

/** JavaScript functions a module may call for slow lanes (float64 in, float64 out). */
export const SCALAR_IMPORTS: readonly { name: string; arity: 1 | 2; f: (...x: number[]) => number }[] = [
  { name: 'sin', arity: 1, f: Math.sin },
  { name: 'cos', arity: 1, f: Math.cos },
  { name: 'tan', arity: 1, f: Math.tan },
  { name: 'pow', arity: 2, f: numpyPow },
  { name: 'mod', arity: 2, f: floorMod },
];

export const IMPORT_FUNCS: readonly ImportFunc[] = SCALAR_IMPORTS.map((s) => ({
  module: 'm',
  name: s.name,
  params: Array(s.arity).fill(F64),
  results: [F64],
}));

/** The import object every compiled-tier module is instantiated with (plus `env.memory`). */
export function importObject(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: { memory },
    m: Object.fromEntries(SCALAR_IMPORTS.map((s) => [s.name, s.f])),
  };
}
