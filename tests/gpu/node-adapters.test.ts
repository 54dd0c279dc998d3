import { describe, expect, it } from 'vitest';
import { parseDawnAdapterList } from '../../src/runtime/dawn';
import { cli } from '../shared/cli';

// Dawn sees SwiftShader (shipped with Chromium) and lavapipe together when both Vulkan drivers are listed.
const BOTH = '/usr/lib/chromium/vk_swiftshader_icd.json:/usr/share/vulkan/icd.d/lvp_icd.json';
const cliBoth = (args: string[]) => cli(args, { VK_ICD_FILENAMES: BOTH });

describe("Dawn's adapter list", () => {
  it('is read from the message Dawn gives for an unknown adapter name', () => {
    const msg = `no suitable backends found
Available adapters:
 * backend: 'vulkan', name: 'SwiftShader Device (Subzero)'
 * backend: 'vulkan', name: 'llvmpipe (LLVM 15.0.6, 256 bits)'`;
    expect(parseDawnAdapterList(msg)).toEqual([
      { backend: 'vulkan', name: 'SwiftShader Device (Subzero)' },
      { backend: 'vulkan', name: 'llvmpipe (LLVM 15.0.6, 256 bits)' },
    ]);
    expect(parseDawnAdapterList('some other error')).toEqual([]);
  });
});

describe('two Vulkan drivers in Node', () => {
  it('adapters --json reports both, with distinct ids', () => {
    const r = cliBoth(['adapters', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; label: string; fallback: boolean; mode: string }[];
    expect(list.map((a) => a.id)).toEqual(['swiftshader', 'llvmpipe']);
    expect(list.map((a) => a.label)).toEqual(['SwiftShader (software)', 'llvmpipe (software)']);
    expect(list.every((a) => a.fallback && a.mode === 'core')).toBe(true);
  });

  it.each(['swiftshader', 'llvmpipe'])('run --adapter %s verifies every kernel on that adapter', (id) => {
    for (const [kernel, size] of [
      ['sq2', '10007'],
      ['sum', '10007'],
      ['matmul', '40'],
    ]) {
      const r = cliBoth([
        'run',
        '--kernel',
        kernel,
        '--size',
        size,
        '--backends',
        'webgpu',
        '--adapter',
        id,
        '--reps',
        '1',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const [rec] = JSON.parse(r.stdout);
      expect(rec).toMatchObject({ backend: 'webgpu', adapterId: id, ok: true });
    }
  });

  it('run --adapter with both gives one verified row per adapter', () => {
    const r = cliBoth([
      'run',
      '--kernel',
      'saxpy',
      '--size',
      '5000',
      '--backends',
      'webgpu',
      '--adapter',
      'llvmpipe,swiftshader',
      '--reps',
      '1',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((x: { adapterId: string }) => x.adapterId)).toEqual([
      'llvmpipe',
      'swiftshader',
    ]);
  });

  it('an unknown adapter id exits 3 and names the ones there are', () => {
    const r = cliBoth([
      'run',
      '--kernel',
      'sq2',
      '--size',
      '10',
      '--backends',
      'webgpu',
      '--adapter',
      'nvidia-h100-80gb-hbm3',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      "error: adapter 'nvidia-h100-80gb-hbm3' is not on this machine: it has swiftshader, llvmpipe",
    );
  });
  it("a size past the adapter's binding limit exits 2 with the limit named, before any input is made", () => {
    const adapters = JSON.parse(cliBoth(['adapters', '--json']).stdout) as {
      id: string;
      limits: { maxStorageBufferBindingSize: number };
    }[];
    const lvp = adapters.find((a) => a.id === 'llvmpipe')!;
    const size = lvp.limits.maxStorageBufferBindingSize / 4 + 1;
    const r = cliBoth([
      'run',
      '--kernel',
      'sum',
      '--size',
      String(size),
      '--backends',
      'main,webgpu',
      '--adapter',
      'llvmpipe',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /error: size \d+ needs a \d+ MiB buffer for sum's x, but llvmpipe \(software\) allows at most 128 MiB \(maxStorageBufferBindingSize\); choose a smaller size/,
    );
    expect(r.stderr).not.toContain('repetitions done'); // nothing ran
  });
});
