import { describe, expect, it } from 'vitest';
import { BAD_INPUTS } from '../shared/bad-inputs';
import { cli } from '../shared/cli';

describe('the CLI refuses each bad input with exit 2 and one line, no stack trace', () => {
  it.each(BAD_INPUTS.map((b) => [b.name, b] as const))('%s', (_name, b) => {
    const r = cli(['run', ...b.cli]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`error: ${b.message}`]);
  });
});
