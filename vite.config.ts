import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { CSP } from './src/csp.ts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Cross-origin isolation: SharedArrayBuffer for the worker pool, precise timers. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The built pages carry the Content-Security-Policy (not the dev server, whose client injects scripts). */
const cspMeta: Plugin = {
  name: 'kernel-playground-csp',
  apply: 'build',
  transformIndexHtml: (html) =>
    html.replace(
      /<meta charset="utf-8" \/>/,
      (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`,
    ),
};

export default defineConfig({
  // Relative URLs in the built pages: the site works from any path (a project page, /kernel-playground/0.1.0/).
  base: './',
  plugins: [cspMeta],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  server: { host: '127.0.0.1', port: 5173, headers: isolation },
  preview: { host: '127.0.0.1', port: 4173, headers: isolation },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    rollupOptions: { input: { main: 'index.html', blog: 'blog.html' } },
  },
});
