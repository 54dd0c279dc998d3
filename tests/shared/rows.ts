/** The rows a run's records describe, as "backend:code" (main:js, main:wasm, workers:js, ..., webgpu:wgsl). */
export const rowsOf = (recs: readonly { backend: string; code?: string }[]): string[] =>
  recs.map((r) => `${r.backend}:${r.code}`);

/**
 * The rows a default run makes for these backends: the CPU backends once per code (JavaScript, then
 * WebAssembly when the kernel has a WebAssembly program), WebGPU once.
 */
export function expectedRows(backends: readonly string[], wasm = true): string[] {
  return backends.flatMap((b) =>
    b === 'webgpu' ? ['webgpu:wgsl'] : wasm ? [`${b}:js`, `${b}:wasm`] : [`${b}:js`],
  );
}
