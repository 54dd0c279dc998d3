import { describe, expect, it } from 'vitest';
import { adapterLabel, assignIds, baseId } from '../../src/gpu/adapters';

// Adapter descriptions as Chromium 156 and Dawn (npm webgpu) report them on these machines and on an H100.
const SWIFTSHADER_CHROME = { vendor: 'google', architecture: 'swiftshader', device: '', description: '' };
const SWIFTSHADER_DAWN = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: 'swiftshader-device-subzero-',
  description: 'SwiftShader driver 5.0.0',
};
const LLVMPIPE = {
  vendor: 'mesa',
  architecture: 'software',
  device: 'llvmpipe-llvm-15-0-6-256-bits-',
  description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1',
};
const H100 = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100 80GB HBM3' };
const EMPTY = { vendor: '', architecture: '', device: '', description: '' };

describe('adapter ids', () => {
  it('are the same for SwiftShader in Chromium and in Dawn', () => {
    expect(baseId(SWIFTSHADER_CHROME, 'core', true)).toBe('swiftshader');
    expect(baseId(SWIFTSHADER_DAWN, 'core', true)).toBe('swiftshader');
  });
  it('name lavapipe and NVIDIA GPUs by their description', () => {
    expect(baseId(LLVMPIPE, 'core', true)).toBe('llvmpipe');
    expect(baseId(H100, 'core', false)).toBe('nvidia-h100-80gb-hbm3');
  });
  it('prefix compatibility adapters, also when every info string is empty', () => {
    expect(baseId(EMPTY, 'compatibility', false)).toBe('compat-opengles');
    expect(baseId(LLVMPIPE, 'compatibility', false)).toBe('compat-llvmpipe');
    expect(baseId(EMPTY, 'core', true)).toBe('software');
  });
  it('resolve clashes with -2, -3 in probe order', () => {
    const ids = assignIds([
      { id: 'swiftshader' },
      { id: 'llvmpipe' },
      { id: 'swiftshader' },
      { id: 'swiftshader' },
    ]).map((x) => x.id);
    expect(ids).toEqual(['swiftshader', 'llvmpipe', 'swiftshader-2', 'swiftshader-3']);
  });
});

describe('adapter labels', () => {
  it('mark software and compatibility adapters', () => {
    expect(adapterLabel({ ...SWIFTSHADER_CHROME, fallback: true, mode: 'core' })).toBe(
      'SwiftShader (software)',
    );
    expect(adapterLabel({ ...H100, fallback: false, mode: 'core' })).toBe('NVIDIA H100 80GB HBM3');
    expect(adapterLabel({ ...EMPTY, fallback: false, mode: 'compatibility' })).toBe(
      'compatibility (OpenGL ES) adapter',
    );
    expect(adapterLabel({ ...EMPTY, fallback: true, mode: 'core' })).toBe('software (CPU) adapter');
  });
});
