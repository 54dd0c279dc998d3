/**
 * The command line of ../shared/CONTRACTS.md: `npm run -s cli -- COMMAND [options]`.
 * stdout carries only the output; progress and logs go to stderr.
 * Exit status: 0 all records verified; 1 a run failed or did not verify; 2 bad usage or input;
 * 3 the environment lacks what was asked for.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable } from '../bench/columns';
import { ladderText } from '../bench/compare';
import {
  parseBackends,
  parseCodes,
  type RunOptions,
  readOptions,
  resolveOptions,
  workersOption,
} from '../bench/options';
import { verify } from '../bench/verify';
import { Engine } from '../engine';
import { errorMessage, exitStatus, InputError } from '../errors';
import { compileExpression } from '../expr/kernel';
import { IDENT } from '../expr/lexer';
import { registry } from '../kernels/registry';
import { nodeRuntime } from '../runtime/node';
import { runHeadless } from './headless';

const USAGE = `usage: npm run -s cli -- COMMAND [options]

commands:
  run (--kernel ID | --expr EXPR [--ranges a:LO:HI,...]) [--size N] [--seed S]
      [--backends main,workers,webgpu] [--code js,wasm] [--workers K] [--adapter ID[,ID...]]
      [--reps R] [--warmup W] [--json]
      [--ladder] [--variant ID] [--retune] [--residency host|device]
      --code: the CPU backends' code, JavaScript (js) and/or WebAssembly SIMD (wasm); default both
      --variant: pin a GPU program variant (tune lists them); otherwise each adapter's tuned choice
      --retune: time the GPU variants again though a choice is remembered
      --residency device: WebGPU uploads once, repeats the kernel on GPU-resident data, reads back once
      --ladder: the speedup ladder: JavaScript main thread -> WebAssembly main thread -> WebAssembly
        workers -> WebGPU, each rung verified, with its speedup over the JavaScript loop
  eval --expr EXPR --var NAME=FILE [--var NAME=FILE ...] --backend main|workers|webgpu [--code js|wasm]
      [--adapter ID] --out FILE          (raw little-endian float32 files in and out)
  eval --expr EXPR --print js|wgsl
  tune [--kernel ID | --expr EXPR] [--size N] [--adapter ID[,ID...]] [--json]
      times every GPU variant of the kernel (default: every kernel with variants) on each adapter at the
      size (default: the kernel's), prints each time and the choice, and remembers it (${'$'}KERNEL_PLAYGROUND_CACHE,
      else ~/.cache/kernel-playground/tune.json)
  adapters [--json]
  headless [run options] [--chromium PATH] [--json]
      the same run inside the system Chromium (CHROMIUM_PATH also works), through the page's URL

kernels: ${registry.ids().join(', ')}
exit status: 0 verified, 1 a run failed or did not verify, 2 bad usage or input, 3 missing environment`;

/** Bad usage: an input error after which the usage text is printed. */
class UsageError extends InputError {
  override name = 'UsageError';
}

const log = (s: string) => process.stderr.write(`${s}\n`);

const RUN_OPTIONS = {
  kernel: { type: 'string' },
  expr: { type: 'string' },
  ranges: { type: 'string' },
  size: { type: 'string' },
  seed: { type: 'string' },
  backends: { type: 'string' },
  code: { type: 'string' },
  ladder: { type: 'boolean' },
  workers: { type: 'string' },
  adapter: { type: 'string' },
  reps: { type: 'string' },
  warmup: { type: 'string' },
  variant: { type: 'string' },
  retune: { type: 'boolean' },
  residency: { type: 'string' },
  json: { type: 'boolean', default: false },
  chromium: { type: 'string' },
} as const;

/** The options `run` and `headless` share, checked; `headless` also takes --chromium. */
function parseRunArgs(cmd: string, argv: string[]): { opts: RunOptions; json: boolean; chromium?: string } {
  const { values } = parseArgs({ args: argv, strict: true, options: RUN_OPTIONS });
  if (cmd !== 'headless' && values.chromium !== undefined)
    throw new InputError("Unknown option '--chromium'");
  if (cmd === 'headless' && values.retune) throw new InputError("Unknown option '--retune'");
  const opts = readOptions({
    get: (n) => (n === 'ladder' ? (values.ladder ? '1' : undefined) : values[n]),
    spell: (n) => `--${n}${n === 'kernel' ? ' ID' : n === 'expr' ? ' EXPR' : ''}`,
  });
  if (values.retune) opts.retune = true;
  resolveOptions(opts); // every value checked before anything runs
  return { opts, json: values.json, chromium: values.chromium };
}

async function cmdRun(argv: string[]): Promise<number> {
  const { opts, json } = parseRunArgs('run', argv);
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
    process.stdout.write(json ? `${JSON.stringify(records, null, 2)}\n` : `${formatTable(records)}\n`);
    if (opts.ladder && !json)
      process.stdout.write(`\nspeedup ladder (over the JavaScript loop): ${ladderText(records)}\n`);
    return records.every((r) => r.ok) ? 0 : 1;
  } finally {
    engine.dispose();
  }
}

async function cmdHeadless(argv: string[]): Promise<number> {
  const { opts, json, chromium } = parseRunArgs('headless', argv);
  const records = await runHeadless(opts, { chromium, log });
  process.stdout.write(json ? `${JSON.stringify(records, null, 2)}\n` : `${formatTable(records)}\n`);
  if (opts.ladder && !json)
    process.stdout.write(`\nspeedup ladder (over the JavaScript loop): ${ladderText(records)}\n`);
  return records.every((r) => r.ok) ? 0 : 1;
}

/** Reads a raw little-endian float32 file. */
function readFloats(name: string, file: string): Float32Array {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new InputError(
      `cannot read --var ${name}=${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (buf.byteLength % 4)
    throw new InputError(`${file} has ${buf.byteLength} bytes: not a whole number of float32 values`);
  if (!buf.byteLength) throw new InputError(`${file} is empty`);
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out; // typed arrays are little-endian on every platform Node and browsers run on here
}

async function cmdEval(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      expr: { type: 'string' },
      var: { type: 'string', multiple: true },
      backend: { type: 'string' },
      adapter: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      print: { type: 'string' },
      code: { type: 'string' },
    },
  });
  if (values.expr === undefined) throw new UsageError('eval needs --expr EXPR');
  const compiled = compileExpression(values.expr);
  if (values.print !== undefined) {
    if (values.print === 'js') process.stdout.write(`${compiled.js}\n`);
    else if (values.print === 'wgsl') {
      process.stdout.write(`${compiled.wgsl}\n`);
    } else throw new InputError(`--print takes js or wgsl, got '${values.print}'`);
    return 0;
  }
  if (!values.backend) throw new UsageError('eval needs --backend main|workers|webgpu');
  const [backend] = parseBackends(values.backend);
  if (values.backend.includes(',')) throw new InputError('eval runs on one --backend');
  const workers = workersOption(values.workers);
  const code = values.code === undefined ? undefined : parseCodes(values.code);
  if (code && code.length > 1) throw new InputError('eval runs one --code: js or wasm');
  if (code?.[0] === 'wasm' && backend === 'webgpu')
    throw new InputError('--code wasm runs on the main thread or in workers, not webgpu');
  if (!values.out) throw new UsageError('eval needs --out FILE');
  const bound = new Map<string, string>();
  for (const v of values.var ?? []) {
    const m = new RegExp(`^(${IDENT})=(.+)$`, 'u').exec(v);
    if (!m) throw new InputError(`--var takes NAME=FILE, got '${v}'`);
    if (bound.has(m[1])) throw new InputError(`variable '${m[1]}' is bound twice`);
    bound.set(m[1], m[2]);
  }
  const { vars } = compiled.program;
  const missing = vars.filter((v) => !bound.has(v));
  if (missing.length)
    throw new InputError(
      `no --var for ${missing.map((m) => `'${m}'`).join(', ')}: the expression uses ${vars.join(', ')}`,
    );
  // numexpr ignores names an expression does not use: a note, not an error (../shared/CONTRACTS.md).
  const extra = [...bound.keys()].filter((v) => !vars.includes(v));
  if (extra.length) log(`note: the expression does not use ${extra.map((m) => `'${m}'`).join(', ')}`);
  const inputs = vars.map((v) => readFloats(v, userPath(bound.get(v)!)));
  // The output file is opened before computing: an unwritable --out fails at once, exit 2.
  const outPath = userPath(values.out);
  let out: number;
  try {
    out = openSync(outPath, 'w');
  } catch (e) {
    throw new InputError(
      `cannot write --out ${values.out}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`,
    );
  }
  const size = inputs[0].length;
  for (const [k, x] of inputs.entries()) {
    if (x.length !== size) {
      throw new InputError(
        `inputs differ in length: ${vars[0]} has ${size} values, ${vars[k]} has ${x.length}`,
      );
    }
  }
  const engine = new Engine(nodeRuntime);
  try {
    const { output, device } = await engine.evaluate(compiled.kernel, inputs, size, {
      backend,
      adapter: values.adapter?.split(','),
      workers,
      code: code?.[0],
    });
    writeSync(out, new Uint8Array(output.buffer, output.byteOffset, output.byteLength));
    const v = verify(output, compiled.kernel.reference(inputs, size), compiled.kernel.tolerance(size));
    log(
      `${device}: ${output.length} value${output.length === 1 ? '' : 's'} written to ${values.out}; max abs error against float64 ${v.maxAbsErr.toExponential(2)}${v.ok ? '' : ' — NOT VERIFIED'}`,
    );
    return v.ok ? 0 : 1;
  } finally {
    closeSync(out);
    engine.dispose();
  }
}

/** A path the user typed, relative to the directory they ran the command from (npm's INIT_CWD). */
function userPath(p: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

async function cmdTune(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      kernel: { type: 'string' },
      expr: { type: 'string' },
      ranges: { type: 'string' },
      size: { type: 'string' },
      adapter: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const given = values.kernel !== undefined || values.expr !== undefined;
  const o = given
    ? readOptions({
        get: (n) =>
          n === 'kernel' || n === 'expr' || n === 'ranges' || n === 'size' || n === 'adapter'
            ? values[n]
            : undefined,
        spell: (n) => `--${n}`,
      })
    : { ...(values.size !== undefined ? { size: Number(values.size) } : {}) };
  if (!given && values.size !== undefined)
    throw new InputError('--size needs --kernel or --expr: sizes differ between kernels');
  const adapter = values.adapter
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const engine = new Engine(nodeRuntime);
  try {
    const results = await engine.tune({ ...o, ...(adapter ? { adapter } : {}) }, { onProgress: log });
    if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else {
      for (const r of results) {
        process.stdout.write(
          `${r.adapterId} · ${r.kernel === 'expr' ? `expr ${r.expr}` : r.kernel} · size ${r.size} (size class ${r.sizeClass})${r.clock ? `, ${r.clock === 'gpu' ? 'GPU timestamps' : 'time on GPU-resident data'}` : ''}\n`,
        );
        for (const v of r.variants) {
          const t = v.skipped
            ? `skipped: ${v.skipped}`
            : v.ms === null || Number.isNaN(v.ms)
              ? '—'
              : `${v.ms.toFixed(3)} ms`;
          process.stdout.write(
            `  ${v.variant === r.choice ? '→' : ' '} ${v.variant.padEnd(10)} ${t.padEnd(14)} ${v.summary ?? ''}\n`,
          );
        }
        process.stdout.write(`  choice: ${r.choice} (${r.how})\n`);
      }
    }
    return 0;
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

/** `--expr -a + b`: an expression may start with '-' (parseArgs would take it for an option). */
function joinExprValue(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--expr' && i + 1 < argv.length) out.push(`--expr=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = joinExprValue(argv);
  try {
    if (cmd === 'run') return await cmdRun(rest);
    if (cmd === 'adapters') return await cmdAdapters(rest);
    if (cmd === 'tune') return await cmdTune(rest);
    if (cmd === 'eval') return await cmdEval(rest);
    if (cmd === 'headless') return await cmdHeadless(rest);
    if (cmd === 'help' || cmd === '--help' || cmd === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    throw new UsageError(cmd ? `unknown command '${cmd}'` : 'no command given');
  } catch (e) {
    log(`error: ${errorMessage(e)}`);
    if (e instanceof UsageError) log(USAGE);
    return exitStatus(e);
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
