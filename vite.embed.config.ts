import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** dist/embed.js: one self-contained ES module (worker inlined as a blob, WGSL in the code), fixed name. */
export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  build: {
    emptyOutDir: false,
    target: 'es2022',
    lib: { entry: 'src/embed.ts', formats: ['es'], fileName: () => 'embed.js' },
  },
  worker: { format: 'es' },
});
