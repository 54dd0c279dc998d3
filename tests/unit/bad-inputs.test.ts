import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BAD_INPUTS } from '../shared/bad-inputs';

describe('the CLI refuses each bad input with exit 2 and one line, no stack trace', () => {
  it.each(BAD_INPUTS.map((b) => [b.name, b] as const))('%s', (_name, b) => {
    const r = spawnSync(process.execPath, ['scripts/run-node.mjs', 'src/cli/main.ts', 'run', ...b.cli], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`error: ${b.message}`]);
  });
});
