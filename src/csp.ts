/**
 * The hosted page's Content-Security-Policy: only what the app needs, each allowance for a reason
 * (README, "Content-Security-Policy"). Injected into the built HTML as a meta tag (vite.config.ts)
 * and sent as a header by hosts that read public/_headers.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  // 'wasm-unsafe-eval': the compiled tier compiles the WebAssembly it emits (src/wasm); no JavaScript is
  // generated at run time (expressions run through a block interpreter), so no 'unsafe-eval'
  'script-src': "'self' 'wasm-unsafe-eval'",
  // blob: the blog page's <kernel-race> starts its worker from code inlined in the bundle
  'worker-src': "'self' blob:",
  'style-src': "'self'",
  'img-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'none'",
};

export const CSP = Object.entries(CSP_DIRECTIVES)
  .map(([k, v]) => `${k} ${v}`)
  .join('; ');
