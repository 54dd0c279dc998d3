#!/usr/bin/env node
// Runs a TypeScript entry of this project under plain Node, bundled by esbuild (about 0.2 s), with the
// pool's worker bundled beside it. Used by `npm run cli` and `npm run bench` instead of tsx, because
// code run under tsx's loader measured ~45% slower in tight typed-array loops (matmul on the main
// thread: 225 ms under tsx, 155 ms bundled; see BENCHMARKS.md) and the CLI reports timings.
//   node scripts/run-node.mjs ENTRY.ts [args...]
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-node.mjs ENTRY.ts [args...]');
  process.exit(2);
}
const outdir = join(root, 'node_modules', '.cache', 'kernel-playground');
mkdirSync(outdir, { recursive: true });
const name = basename(entry).replace(/\.[cm]?[jt]s$/, '');
await build({
  entryPoints: { [name]: resolve(entry), 'node-worker': join(root, 'src/worker/node-worker.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu', '@playwright/test', 'playwright', 'playwright-core'],
  sourcemap: 'inline',
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __kpRequire } from 'node:module'; const require = __kpRequire(import.meta.url);",
  },
});
process.env.KP_NODE_WORKER = join(outdir, 'node-worker.mjs');
process.env.KP_ROOT = root;
process.argv = [process.argv[0], join(outdir, `${name}.mjs`), ...args];
await import(pathToFileURL(join(outdir, `${name}.mjs`)).href);
