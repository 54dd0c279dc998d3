import { E } from './errors';

export type TokenKind = 'num' | 'name' | 'op' | '(' | ')' | ',' | ';' | 'end';
export interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column of the token's first character. */
  col: number;
}

// '=' (a step's assignment) after the two-character operators that start with it or end with it.
const OPS = ['**', '<=', '>=', '==', '!=', '+', '-', '*', '/', '%', '<', '>', '&', '|', '~', '='];
// Sticky (y) patterns match only at lastIndex: each token costs time proportional to its length.
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
/**
 * A name as Python (and so numexpr) has it: a letter of any script or `_`, then letters, digits, marks
 * and connectors (`α`, `σ_1`, `x2`). Shared by the ranges, the CLI's --var and the editor.
 */
export const IDENT = '[\\p{L}\\p{Nl}_][\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}]*';
const NAME = new RegExp(IDENT, 'yu');
const SPACE = /[ \t\r\n]+/y;

/** Counts work for the linear-time property tests (one step per token or run of spaces). */
export interface Steps {
  steps: number;
}

function at(re: RegExp, src: string, i: number): string | null {
  re.lastIndex = i;
  const m = re.exec(src);
  return m ? m[0] : null;
}

/** Splits an expression into tokens; throws ExprError at the first character that cannot start one. */
export function lex(src: string, stats?: Steps): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    if (stats) stats.steps++;
    const space = at(SPACE, src, i);
    if (space) {
      i += space.length;
      continue;
    }
    const c = src[i];
    const num = /[0-9.]/.test(c) ? at(NUMBER, src, i) : null;
    if (num) {
      const next = src[i + num.length];
      if (next !== undefined && /[\p{L}_.0-9]/u.test(next))
        throw E.number(src.slice(i, i + num.length + 1), i + 1);
      out.push({ kind: 'num', text: num, col: i + 1 });
      i += num.length;
      continue;
    }
    const name = at(NAME, src, i);
    if (name) {
      out.push({ kind: 'name', text: name, col: i + 1 });
      i += name.length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === ';') {
      out.push({ kind: c, text: c, col: i + 1 });
      i++;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op, col: i + 1 });
      i += op.length;
      continue;
    }
    throw E.char(c, i + 1);
  }
  out.push({ kind: 'end', text: '', col: src.length + 1 });
  return out;
}
