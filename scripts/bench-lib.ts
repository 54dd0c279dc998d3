/** What the benches share: the CLI run in a child process, and the Python peers. */
import { spawnSync } from 'node:child_process';
import type { RunRecord } from '../src/bench/record';

/**
 * `cli run ARGS --json` in a child process with the engine flags this bench runs with (relaxed SIMD);
 * its records (exit 1, a run that did not verify, still gives them; anything else is an error).
 */
export function cliRun(args: readonly string[], what: string): RunRecord[] {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, 'scripts/run-node.mjs', 'src/cli/main.ts', 'run', ...args, '--json'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (r.status !== 0 && r.status !== 1) throw new Error(`the CLI failed for ${what} (exit ${r.status})`);
  return JSON.parse(r.stdout) as RunRecord[];
}

/**
 * Python code run by /usr/bin/python3 (Debian's NumPy and friends), printing one JSON value; null, with
 * a line on stderr saying how to install the peers, when it cannot run.
 */
export function pythonJson<T>(code: string, args: readonly string[], peers: string): T | null {
  const r = spawnSync('/usr/bin/python3', ['-c', code, ...args], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(
      `${peers} not measured: ${r.error?.message ?? r.stderr.trim().split('\n').pop()} (install them: bash scripts/ensure-deps.sh --bench)\n`,
    );
    return null;
  }
  return JSON.parse(r.stdout) as T;
}
