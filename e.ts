import { Engine } from './src/engine';
import { nodeRuntime } from './src/runtime/node';

const e = new Engine(nodeRuntime);
for (const expr of [
  'a**b',
  'min(a*b)',
  'max(a)',
  '1/(a*0) + a',
  'log(a) + sqrt(b)',
  'a**0.5',
  '(-a)**3.0',
  'floor(a*10) + ceil(b*3)',
  'arcsin(a) + arccos(b) + arcsinh(a) + arctanh(b*0.9)',
  'arccosh(a+2) + sinh(a) + cosh(b) + tan(a) + log10(b+2)',
  'abs(a) + minimum(a, b) + maximum(a, b)',
  '~(a > b) | (a == b) & (a != 0)',
]) {
  const r = await e.run({ expr, size: 100003, reps: 1 });
  console.log(
    expr.padEnd(34),
    r.records.map((x) => `${x.backend}:${x.ok ? 'ok' : 'FAIL ' + x.error}`).join('  '),
  );
}
e.dispose();
