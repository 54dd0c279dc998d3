/**
 * The command line of ../shared/CONTRACTS.md: `npm run -s cli -- COMMAND [options]`.
 * stdout carries only the output; progress and logs go to stderr.
 * Exit status: 0 all records verified; 1 a run failed or did not verify; 2 bad usage or input;
 * 3 the environment lacks what was asked for.
 */
import { parseArgs } from 'node:util';
import { InputError, parseBackends, type RunOptions } from '../bench/options';
import { Engine, EnvironmentError } from '../engine';
import { registry } from '../kernels/registry';
import { nodeRuntime } from '../runtime/node';
import { formatTable } from './format';

const USAGE = `usage: npm run -s cli -- COMMAND [options]

commands:
  run (--kernel ID | --expr EXPR) [--size N] [--seed S] [--backends main,workers,webgpu]
      [--workers K] [--adapter ID[,ID...]] [--reps R] [--warmup W] [--json]
  adapters [--json]

kernels: ${registry.ids().join(', ')}
exit status: 0 verified, 1 a run failed or did not verify, 2 bad usage or input, 3 missing environment`;

class UsageError extends Error {}

const log = (s: string) => process.stderr.write(`${s}\n`);

async function cmdRun(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      kernel: { type: 'string' },
      expr: { type: 'string' },
      size: { type: 'string' },
      seed: { type: 'string' },
      backends: { type: 'string' },
      workers: { type: 'string' },
      adapter: { type: 'string' },
      reps: { type: 'string' },
      warmup: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.expr !== undefined)
    throw new InputError('expressions (--expr) are not available yet: use --kernel');
  if (!values.kernel) throw new UsageError('run needs --kernel ID');
  const num = (v: string | undefined) =>
    v === undefined ? undefined : Number(v.trim() === '' ? Number.NaN : v);
  const opts: RunOptions = {
    kernel: values.kernel,
    size: num(values.size),
    seed: num(values.seed),
    backends: values.backends === undefined ? undefined : parseBackends(values.backends),
    workers: num(values.workers),
    adapter: values.adapter?.split(','),
    reps: num(values.reps),
    warmup: num(values.warmup),
  };
  // A value given but not a number is reported with the text the user typed.
  for (const k of ['size', 'seed', 'workers', 'reps', 'warmup'] as const) {
    if (values[k] !== undefined && !Number.isFinite(opts[k])) {
      throw new InputError(`${k} must be an integer, got '${values[k]}'`);
    }
  }
  const engine = new Engine(nodeRuntime);
  try {
    const { records, notes } = await engine.run(
      opts,
      {
        onProgress: (p) => {
          if (p.phase === 'prepare') log(`${p.backend}: preparing`);
          else if (p.phase === 'rep' && p.index === p.of) log(`${p.backend}: ${p.of} repetitions done`);
        },
      },
      { adapters: true },
    );
    for (const n of notes) log(`note: ${n}`);
    process.stdout.write(values.json ? `${JSON.stringify(records, null, 2)}\n` : `${formatTable(records)}\n`);
    return records.every((r) => r.ok) ? 0 : 1;
  } finally {
    engine.dispose();
  }
}

async function cmdAdapters(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const found = await nodeRuntime.probeAdapters();
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify(
        found.map((f) => f.desc),
        null,
        2,
      )}\n`,
    );
  } else if (!found.length) {
    process.stdout.write('no WebGPU adapter found (Dawn needs a Vulkan driver: see the README)\n');
  } else {
    for (const { desc: d } of found) {
      const feats = d.features.filter((f) => ['timestamp-query', 'shader-f16', 'subgroups'].includes(f));
      process.stdout.write(
        `${d.id.padEnd(24)} ${d.label}  [${d.mode}${d.fallback ? ', fallback' : ''}] features: ${feats.join(', ') || 'none'}; maxStorageBufferBindingSize ${d.limits.maxStorageBufferBindingSize}\n`,
      );
    }
  }
  return found.length ? 0 : 3;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'run') return await cmdRun(rest);
    if (cmd === 'adapters') return await cmdAdapters(rest);
    if (cmd === 'help' || cmd === '--help' || cmd === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    throw new UsageError(cmd ? `unknown command '${cmd}'` : 'no command given');
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof EnvironmentError) {
      log(`error: ${msg}`);
      return 3;
    }
    if (
      e instanceof InputError ||
      e instanceof UsageError ||
      (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      log(`error: ${msg}`);
      if (e instanceof UsageError) log(USAGE);
      return 2;
    }
    log(`error: ${msg}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
