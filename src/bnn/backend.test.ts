import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  chooseDefaultBackend,
  detectWebgl,
  hasKernel,
  initBackend,
  isSoftwareRenderer,
  type CanvasLike,
  type GlLike,
} from './backend';

const SWIFTSHADER =
  'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const REAL_GPU = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)';

/** A fake canvas whose context reports `renderer`; `caveat` refuses strict contexts. */
function fakeCanvas(renderer: string | null, opts: { caveat?: boolean; webgl2?: boolean } = {}) {
  const gl: GlLike = {
    RENDERER: 0x1f01,
    getParameter: (p) => (p === 0x1f01 ? renderer : null),
    getExtension: () => null,
  };
  return (): CanvasLike => ({
    getContext: (type, attrs) => {
      if (renderer === null) return null;
      if (type === 'webgl2' && opts.webgl2 === false) return null;
      if (opts.caveat && attrs?.failIfMajorPerformanceCaveat) return null;
      return gl;
    },
  });
}

describe('isSoftwareRenderer', () => {
  it.each([
    [SWIFTSHADER, true],
    ['Google SwiftShader', true],
    ['llvmpipe (LLVM 15.0.6, 256 bits)', true],
    ['Mesa softpipe', true],
    ['Microsoft Basic Render Driver', true],
    ['Some Software Rasterizer', true],
    [REAL_GPU, false],
    ['Apple M2', false],
    ['Mesa Intel(R) UHD Graphics 620 (KBL GT2)', false],
  ])('%s -> %s', (renderer, expected) => {
    expect(isSoftwareRenderer(renderer)).toBe(expected);
  });
});

describe('detectWebgl', () => {
  it('reports no WebGL where OffscreenCanvas is missing (Node)', () => {
    const d = detectWebgl();
    expect(d).toMatchObject({ available: false, software: true, renderer: '' });
    expect(d.reason).toMatch(/OffscreenCanvas/);
  });

  it('classifies a SwiftShader context as software', () => {
    expect(detectWebgl(fakeCanvas(SWIFTSHADER))).toMatchObject({
      available: true, software: true, renderer: SWIFTSHADER, version: 2,
    });
  });

  it('classifies a real GPU as hardware', () => {
    const d = detectWebgl(fakeCanvas(REAL_GPU));
    expect(d).toEqual({ available: true, software: false, renderer: REAL_GPU, version: 2 });
  });

  it('treats a major-performance-caveat refusal as software', () => {
    const d = detectWebgl(fakeCanvas('Unknown GPU', { caveat: true }));
    expect(d).toMatchObject({ available: true, software: true });
    expect(d.reason).toMatch(/performance caveat/);
  });

  it('falls back to WebGL1 and reports the version', () => {
    expect(detectWebgl(fakeCanvas(REAL_GPU, { webgl2: false }))).toMatchObject({ available: true, version: 1 });
  });

  it('reports a failed context creation as unavailable', () => {
    const d = detectWebgl(fakeCanvas(null));
    expect(d).toMatchObject({ available: false, software: true, version: 0 });
  });
});

describe('chooseDefaultBackend', () => {
  it('uses WebGL on a real GPU, without a notice', () => {
    expect(chooseDefaultBackend({ available: true, software: false, renderer: REAL_GPU })).toEqual({
      backend: 'webgl',
    });
  });

  it('uses wasm on SwiftShader and says why', () => {
    expect(chooseDefaultBackend({ available: true, software: true, renderer: SWIFTSHADER })).toEqual({
      backend: 'wasm',
      notice: 'WebGL is software-rendered (SwiftShader); using wasm, which is about 4-5x faster here',
    });
  });

  it('names llvmpipe in the notice', () => {
    const c = chooseDefaultBackend({ available: true, software: true, renderer: 'llvmpipe (LLVM 15)' });
    expect(c.backend).toBe('wasm');
    expect(c.notice).toContain('(llvmpipe)');
  });

  it('uses wasm when WebGL is missing and gives the reason', () => {
    const c = chooseDefaultBackend({ available: false, software: true, renderer: '', reason: 'no WebGL context could be created' });
    expect(c.backend).toBe('wasm');
    expect(c.notice).toMatch(/^WebGL is not available: no WebGL context could be created/);
  });
});

describe('initBackend in Node', () => {
  it('starts wasm, which lacks Conv2DBackpropFilter', async () => {
    await initBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]]));
    expect(Array.from(await y.data())).toEqual([17, 39]);
    expect(hasKernel('Conv2D')).toBe(true);
    expect(hasKernel('Conv2DBackpropFilter')).toBe(false);
  });

  it('starts cpu, which has Conv2DBackpropFilter', async () => {
    await initBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(hasKernel('Conv2DBackpropFilter')).toBe(true);
    expect(hasKernel('NoSuchKernel')).toBe(false);
  });

  it('fails loudly for webgl and keeps the previous backend', async () => {
    await initBackend('wasm');
    await expect(initBackend('webgl')).rejects.toThrow(/Could not start the webgl backend/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown backend name', async () => {
    await expect(initBackend('metal' as never)).rejects.toThrow(/Unknown backend/);
  });
});
