/**
 * Philox4x32-10 against Random123's known-answer vectors, in JavaScript, in WebAssembly (the montecarlo
 * module's own rounds, through its `philox` export) and in WGSL (through Dawn): the
 * Monte Carlo kernel's paths are the same on every backend only if both generators are exactly this one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../../src/backends/webgpu';
import { montecarloWasm } from '../../src/kernels/montecarlo-wasm';
import { PHILOX_WGSL, philox4x32 } from '../../src/kernels/philox';
import { nodeRuntime } from '../../src/runtime/node';
import { importObject } from '../../src/wasm/math';
import { compiledModule } from '../../src/wasm/runtime';

const KAT: [counter: number[], key: number[], want: string][] = [
  [[0, 0, 0, 0], [0, 0], '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
  [
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    '408f276d 41c83b0e a20bc7c6 6d5451fd',
  ],
  [
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    [0xa4093822, 0x299f31d0],
    'd16cfe09 94fdcceb 5001e420 24126ea1',
  ],
];
const hex = (a: ArrayLike<number>) => Array.from(a, (x) => x.toString(16).padStart(8, '0')).join(' ');

const gpu = new WebGpuBackend((await nodeRuntime.probeAdapters())[0]);
afterAll(() => gpu.dispose());

describe('Philox4x32-10', () => {
  it.each(KAT)('JavaScript: counter %j, key %j → %s', (c, k, want) => {
    const out = new Uint32Array(4);
    philox4x32(c[0], c[1], c[2], c[3], k[0], k[1], out);
    expect(hex(out)).toBe(want);
  });

  it.each([false, true])(
    'WebAssembly (i64x2.extmul products, four lanes) gives the same three vectors (shared memory: %s)',
    async (shared) => {
      const memory = new WebAssembly.Memory(
        shared ? { initial: 1, maximum: 1, shared: true } : { initial: 1 },
      );
      const module = await compiledModule(montecarloWasm, { shared, relaxed: false });
      const { exports } = await WebAssembly.instantiate(module, importObject(memory));
      // six vectors of four lanes: counter words 0-3 and key words 0-1, lane k = test vector k
      const words = new Uint32Array(memory.buffer, 0, 40);
      KAT.forEach(([c, k], lane) => {
        [...c, ...k].forEach((w, j) => {
          words[4 * j + lane] = w;
        });
      });
      (exports.philox as (at: number) => void)(0);
      for (const [lane, [, , want]] of KAT.entries())
        expect(hex([0, 1, 2, 3].map((j) => words[24 + 4 * j + lane]))).toBe(want);
    },
  );

  it('WGSL (16-bit-half mulhi) gives the same three vectors on the GPU', async () => {
    const device = await gpu.getDevice();
    const cases = KAT.map(
      ([c, k]) =>
        `kp_philox(vec4u(${c.map((x) => `${x}u`).join(', ')}), vec2u(${k.map((x) => `${x}u`).join(', ')}))`,
    );
    const code = `${PHILOX_WGSL}
@group(0) @binding(0) var<storage, read_write> out: array<vec4u>;
@compute @workgroup_size(1)
fn main() {
${cases.map((e, i) => `  out[${i}] = ${e};`).join('\n')}
}`;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code });
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const buf = device.createBuffer({ size: 48, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const read = device.createBuffer({ size: 48, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(
      0,
      device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: buf } }],
      }),
    );
    pass.dispatchWorkgroups(1);
    pass.end();
    enc.copyBufferToBuffer(buf, 0, read, 0, 48);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const words = new Uint32Array(read.getMappedRange().slice(0));
    read.unmap();
    expect(await device.popErrorScope()).toBeNull();
    for (const [i, [, , want]] of KAT.entries()) expect(hex(words.subarray(4 * i, 4 * i + 4))).toBe(want);
    buf.destroy();
    read.destroy();
  });
});
