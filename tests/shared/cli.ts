import { spawnSync } from 'node:child_process';

/** Runs the CLI as `npm run -s cli -- ARGS` does (without npm's own start-up): exit code, stdout, stderr. */
export function cli(args: string[], env: Record<string, string> = {}, timeoutMs = 300_000) {
  const r = spawnSync(
    process.execPath,
    ['--experimental-wasm-relaxed-simd', 'scripts/run-node.mjs', 'src/cli/main.ts', ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: timeoutMs,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
