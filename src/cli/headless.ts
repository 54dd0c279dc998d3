import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunOptions } from '../bench/options';
import type { RunRecord } from '../bench/record';
import { EnvironmentError, errorKind, errorOfKind } from '../errors';
import { toQuery } from '../url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { serveStatic } from './serve';

/** The project root: set by scripts/run-node.mjs, else the working directory. */
function root(): string {
  return process.env.KP_ROOT ?? process.cwd();
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const f of readdirSync(path)) max = Math.max(max, newestMtime(join(path, f)));
  return max;
}

/** Builds the app (vite build) when dist/ is missing or older than its sources; build output goes to stderr. */
export function ensureBuilt(log: (s: string) => void): string {
  const dir = root();
  const dist = join(dir, 'dist');
  const sources = [
    'src',
    'shaders',
    'public',
    'index.html',
    'blog.html',
    'vite.config.ts',
    'vite.embed.config.ts',
    'package.json',
  ].map((p) => join(dir, p));
  const stale =
    !existsSync(join(dist, 'index.html')) ||
    newestMtime(join(dist, 'index.html')) < Math.max(...sources.filter(existsSync).map(newestMtime));
  if (stale) {
    log('headless: building the app (npm run build)…');
    const vite = join(dir, 'node_modules', 'vite', 'bin', 'vite.js');
    for (const args of [['build'], ['build', '-c', 'vite.embed.config.ts']]) {
      const r = spawnSync(process.execPath, [vite, ...args, '--logLevel', 'warn'], {
        cwd: dir,
        stdio: ['ignore', 2, 2],
      });
      if (r.status !== 0) throw new Error(`vite ${args.join(' ')} failed (exit ${r.status})`);
    }
  }
  return dist;
}

/**
 * The same run inside the system Chromium, through the URL contract: serve dist/ on 127.0.0.1 with
 * the isolation headers, open `/?…&autorun=1`, and return `window.playground.results`.
 */
export async function runHeadless(
  opts: RunOptions,
  { chromium, log, timeoutMs = 600_000 }: { chromium?: string; log: (s: string) => void; timeoutMs?: number },
): Promise<RunRecord[]> {
  const executablePath = chromium ?? CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new EnvironmentError(
      `no Chromium at ${executablePath}: install Debian's chromium, or give --chromium PATH (or CHROMIUM_PATH)`,
    );
  }
  const dist = ensureBuilt(log);
  const server = await serveStatic(dist, { isolate: true });
  // Imported here: the other commands do not need Playwright.
  const { chromium: pw } = await import('@playwright/test');
  let browser: Awaited<ReturnType<typeof pw.launch>> | null = null;
  try {
    // A compatibility adapter exists only when Chromium is asked for it (the page offers compat-opengles).
    const compat = (opts.adapter ?? []).some((id) => id.startsWith('compat-'));
    const args = compat ? [...CHROMIUM_ARGS, '--use-webgpu-adapter=opengles'] : CHROMIUM_ARGS;
    browser = await pw.launch({ executablePath, args, headless: true });
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') log(`browser ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => log(`browser error: ${e.message}`));
    // The same rule as `run`: an adapter id this Chromium lacks is an environment error (exit 3), not a
    // silent fall-back to the default (the page's rule for shared links).
    const wanted = opts.adapter ?? [];
    if (wanted.length && (opts.backends ?? ['webgpu']).includes('webgpu')) {
      await page.goto(`${server.url}/`);
      const have = await page.evaluate(() => window.playground.debug.adapters());
      const missing = wanted.filter((id) => !have.includes(id));
      if (missing.length) {
        throw new EnvironmentError(
          `adapter '${missing[0]}' is not in this Chromium: it has ${have.join(', ') || 'no WebGPU adapter'}`,
        );
      }
    }
    const url = `${server.url}/${toQuery(opts)}&autorun=1`;
    log(`headless: ${url}`);
    await page.goto(url);
    const result = await page.evaluate(async (ms) => {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no result within ${ms / 1000} s`)), ms),
      );
      try {
        const records = await Promise.race([window.playground.results, timeout]);
        return { records: records ?? [], error: null as string | null, name: '' };
      } catch (e) {
        // The error's name carries its kind out of the page (InputError, EnvironmentError, ...).
        return {
          records: [],
          error: e instanceof Error ? e.message : String(e),
          name: (e as Error)?.name ?? '',
        };
      }
    }, timeoutMs);
    if (result.error) {
      const kind = errorKind({ name: result.name });
      throw errorOfKind(kind, kind === 'kernel' ? `the page's run failed: ${result.error}` : result.error);
    }
    return result.records as RunRecord[];
  } finally {
    await browser?.close();
    await server.close();
  }
}
