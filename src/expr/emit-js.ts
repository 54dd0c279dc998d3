import { FUNCTIONS } from './functions';
import type { Program } from './ir';
import { powiPlan } from './powi';

/** A float32 constant as JavaScript source. */
function jsConst(v: number): string {
  const f = Math.fround(v);
  return Number.isNaN(f) ? 'NaN' : f === Infinity ? 'Infinity' : f === -Infinity ? '-Infinity' : String(f);
}

/** The statements computing step results t0..tN for element i, with float32 rounding after every operation. */
function body(p: Program, indent: string): string[] {
  const L: string[] = [];
  p.ins.forEach((s, k) => {
    const t = `t${k}`;
    let e: string;
    switch (s.op) {
      case 'const':
        e = jsConst(s.value);
        break;
      case 'var':
        e = `in${s.index}[i]`;
        break;
      case 'neg':
        e = `-t${s.a}`;
        break;
      case 'not':
        e = `!t${s.a}`;
        break;
      case 'tonum':
        e = `(t${s.a} ? 1 : 0)`;
        break;
      case 'add':
        e = `f(t${s.a} + t${s.b})`;
        break;
      case 'sub':
        e = `f(t${s.a} - t${s.b})`;
        break;
      case 'mul':
        e = `f(t${s.a} * t${s.b})`;
        break;
      case 'div':
        e = `f(t${s.a} / t${s.b})`;
        break;
      case 'mod':
        e = `H.mod(t${s.a}, t${s.b})`;
        break;
      case 'pow':
        e = `H.pow(t${s.a}, t${s.b})`;
        break;
      case 'and':
        e = `(t${s.a} && t${s.b})`;
        break;
      case 'or':
        e = `(t${s.a} || t${s.b})`;
        break;
      case 'cmp':
        e = `(t${s.a} ${s.cmp === '==' ? '===' : s.cmp === '!=' ? '!==' : s.cmp} t${s.b})`;
        break;
      case 'where':
        e = `(t${s.c} ? t${s.a} : t${s.b})`;
        break;
      case 'powi': {
        if (s.n === 0) {
          e = '1';
          break;
        }
        const names = [`t${s.a}`];
        for (const [x, y] of powiPlan(s.n)) {
          const name = `${t}_${names.length}`;
          L.push(`${indent}const ${name} = f(${names[x]} * ${names[y]});`);
          names.push(name);
        }
        const last = names[names.length - 1];
        e = s.n < 0 ? `f(1 / ${last})` : last;
        break;
      }
      case 'call': {
        const fdef = FUNCTIONS.get(s.fn)!;
        e = `f(${fdef.js(...s.args.map((a) => `t${a}`))})`;
        break;
      }
    }
    L.push(`${indent}const ${t} = ${e};`);
  });
  return L;
}

/**
 * JavaScript for one function over an index range, the same on the main thread and in workers:
 * `(inputs, out, size, start, end) => void`. Elementwise programs write out[i]; reductions write one
 * partial to out[0], summing leaves of 128 elements in float64 and cascading them pairwise.
 * The text is the body of `new Function('H', ...)`; H holds the helpers (mod, pow, Cascade).
 */
export function emitJs(p: Program): string {
  const loads = p.vars.map((_, k) => `const in${k} = inputs[${k}];`).join(' ');
  const resultIsBool = p.types[p.result] === 'bool';
  const value = resultIsBool ? `(t${p.result} ? 1 : 0)` : `t${p.result}`;
  // No user text goes into code that is evaluated, not even into a comment.
  const head = [`"use strict";`, 'const f = Math.fround;'];
  if (!p.reduction) {
    return [
      ...head,
      'return function kernel(inputs, out, size, start, end) {',
      `  ${loads}`,
      '  for (let i = start; i < end; i++) {',
      ...body(p, '    '),
      `    out[i] = ${value};`,
      '  }',
      '};',
    ].join('\n');
  }
  const step = {
    sum: 'acc += v;',
    prod: 'acc *= v;',
    min: 'acc = Math.min(acc, v);',
    max: 'acc = Math.max(acc, v);',
  }[p.reduction];
  const identity = { sum: '0', prod: '1', min: 'Infinity', max: '-Infinity' }[p.reduction];
  return [
    ...head,
    'return function kernel(inputs, out, size, start, end) {',
    `  ${loads}`,
    `  const cascade = new H.Cascade(${JSON.stringify(p.reduction)});`,
    '  for (let b = start; b < end; b += 128) {',
    `    let acc = ${identity};`,
    '    const e = Math.min(end, b + 128);',
    '    for (let i = b; i < e; i++) {',
    ...body(p, '      '),
    `      const v = ${value};`,
    `      ${step}`,
    '    }',
    '    cascade.push(acc);',
    '  }',
    '  out[0] = cascade.result();',
    '};',
  ].join('\n');
}
