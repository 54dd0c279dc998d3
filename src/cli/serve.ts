import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A static file server on 127.0.0.1 (a free port unless one is given), for the headless CLI and the
 * browser tests. `isolate` sends COOP/COEP (a cross-origin isolated page); every response allows
 * cross-origin use (CORS and CORP), as embed.js needs when another origin loads it. Paths cannot
 * leave `root`. `extra` files are served from memory (a test's host page). With `prefix` the site lives
 * under that path (`/kernel-playground/0.1.0`), as on a project page, and nothing else is served.
 */
export async function serveStatic(
  root: string,
  opts: { isolate: boolean; port?: number; extra?: Record<string, string>; prefix?: string } = {
    isolate: true,
  },
): Promise<StaticServer> {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const prefix = (opts.prefix ?? '').replace(/\/+$/, '');
    let path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (prefix)
      path = path === prefix || path.startsWith(`${prefix}/`) ? path.slice(prefix.length) || '/' : '\0';
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Cache-Control': 'no-store',
    };
    if (opts.isolate) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    const inline = opts.extra?.[path];
    if (inline !== undefined) {
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'text/html; charset=utf-8' });
      res.end(inline);
      return;
    }
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    let ok = file.startsWith(base + sep) || file === base;
    try {
      ok &&= statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
