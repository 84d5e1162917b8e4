import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  chooseDefaultBackend,
  detectIsolation,
  detectWebgpu,
  type AdapterInfoLike,
  type GpuLike,
  type WebglDetection,
  type WebgpuDetection,
} from './backend-detect';
import { defaultWasmThreads, initBackend, wasmThreadCount, WASM_MAX_THREADS } from './backend';

/** What Chromium 156 reports for its SwiftShader adapter (--use-webgpu-adapter=swiftshader). */
const SWIFTSHADER_ADAPTER: AdapterInfoLike = { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true };
const NVIDIA_ADAPTER: AdapterInfoLike = { vendor: 'nvidia', architecture: 'ampere', device: '', description: '', isFallbackAdapter: false };

function fakeGpu(adapter: { info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null | 'throws' | 'hangs'): GpuLike & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    requestAdapter: (options) => {
      asked.push(options);
      if (adapter === 'throws') return Promise.reject(new Error('GPU process crashed'));
      if (adapter === 'hangs') return new Promise(() => undefined);
      return Promise.resolve(adapter);
    },
  };
}

const GL_REAL: WebglDetection = { available: true, software: false, renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)' };
const GL_SWIFTSHADER: WebglDetection = {
  available: true,
  software: true,
  renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
};
const GL_NONE: WebglDetection = { available: false, software: true, renderer: '', reason: 'no WebGL context could be created' };

describe('detectWebgpu', () => {
  it('a hardware adapter, asked for as tfjs asks (high-performance)', async () => {
    const gpu = fakeGpu({ info: NVIDIA_ADAPTER });
    expect(await detectWebgpu(gpu)).toEqual({ available: true, software: false, adapter: 'nvidia ampere' });
    expect(gpu.asked).toEqual([{ powerPreference: 'high-performance' }]);
  });

  it("SwiftShader's fallback adapter is software", async () => {
    expect(await detectWebgpu(fakeGpu({ info: SWIFTSHADER_ADAPTER }))).toEqual({
      available: true,
      software: true,
      adapter: 'google swiftshader',
      reason: 'WebGPU has only a software adapter (SwiftShader)',
    });
  });

  it('any fallback adapter is software, also when only the older adapter.isFallbackAdapter says so', async () => {
    const d = await detectWebgpu(fakeGpu({ info: { vendor: 'acme' }, isFallbackAdapter: true }));
    expect(d).toMatchObject({ available: true, software: true, reason: 'WebGPU has only a software adapter (a fallback adapter)' });
    const older = await detectWebgpu(fakeGpu({ isFallbackAdapter: true }));
    expect(older.software).toBe(true);
  });

  it('lavapipe and WARP by name are software', async () => {
    expect((await detectWebgpu(fakeGpu({ info: { vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' } }))).software).toBe(true);
    expect((await detectWebgpu(fakeGpu({ info: { description: 'Microsoft Basic Render Driver' } }))).software).toBe(true);
  });

  it('no navigator.gpu (Node, an insecure page), no adapter, a failing or silent request: unavailable, with the reason', async () => {
    expect(await detectWebgpu()).toMatchObject({ available: false, software: true, reason: expect.stringMatching(/navigator\.gpu is missing/) });
    expect(await detectWebgpu(fakeGpu(null))).toMatchObject({ available: false, reason: 'WebGPU has no adapter' });
    expect((await detectWebgpu(fakeGpu('throws'))).reason).toMatch(/GPU process crashed/);
    expect(await detectWebgpu(fakeGpu('hangs'), 20)).toMatchObject({ available: false, reason: 'no WebGPU adapter within 0.02 s' });
  });
});

describe('chooseDefaultBackend: WebGPU (hardware) -> WebGL (real GPU) -> wasm', () => {
  const gpuHardware: WebgpuDetection = { available: true, software: false, adapter: 'nvidia ampere' };
  const gpuSoftware: WebgpuDetection = { available: true, software: true, adapter: 'google swiftshader', reason: 'WebGPU has only a software adapter (SwiftShader)' };
  const gpuNone: WebgpuDetection = { available: false, software: true, adapter: '', reason: 'WebGPU has no adapter' };

  it.each([
    ['hardware WebGPU beats a real WebGL GPU', GL_REAL, gpuHardware, 'webgpu'],
    ['hardware WebGPU beats software WebGL', GL_SWIFTSHADER, gpuHardware, 'webgpu'],
    ['hardware WebGPU without WebGL', GL_NONE, gpuHardware, 'webgpu'],
    ['software WebGPU is passed over for a real WebGL GPU', GL_REAL, gpuSoftware, 'webgl'],
    ['no WebGPU adapter: a real WebGL GPU', GL_REAL, gpuNone, 'webgl'],
    ['software WebGPU and software WebGL: wasm', GL_SWIFTSHADER, gpuSoftware, 'wasm'],
    ['no adapter and software WebGL: wasm', GL_SWIFTSHADER, gpuNone, 'wasm'],
    ['nothing at all: wasm', GL_NONE, gpuNone, 'wasm'],
  ] as const)('%s', (_, gl, gpu, backend) => {
    const c = chooseDefaultBackend(gl, gpu);
    expect(c.backend).toBe(backend);
    // Only a fall-back to wasm explains itself.
    expect(c.notice === undefined).toBe(backend !== 'wasm');
  });

  it("the notice names both GPU backends' reasons", () => {
    expect(chooseDefaultBackend(GL_SWIFTSHADER, gpuSoftware).notice).toBe(
      'WebGL is software-rendered (SwiftShader); WebGPU has only a software adapter (SwiftShader); using wasm, about 4-5x faster than software WebGL',
    );
    expect(chooseDefaultBackend(GL_NONE, gpuNone).notice).toBe(
      'WebGL is not available: no WebGL context could be created; WebGPU is not available: WebGPU has no adapter; using wasm',
    );
  });
});

describe('initBackend webgpu in Node', () => {
  it('fails loudly (no navigator.gpu) and keeps the previous backend', async () => {
    await initBackend('cpu');
    await expect(initBackend('webgpu')).rejects.toThrow(/Could not start the webgpu backend: it is not registered in this environment \(WebGPU needs a browser with navigator\.gpu/);
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('detectIsolation', () => {
  it('an isolated page with 2 cores: no notice', () => {
    expect(detectIsolation({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 2 } })).toEqual({ isolated: true, cores: 2 });
  });

  it('a page without the headers: a notice naming both headers and the threads it loses', () => {
    const d = detectIsolation({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 4 } });
    expect(d.isolated).toBe(false);
    expect(d.notice).toMatch(/Cross-Origin-Opener-Policy: same-origin/);
    expect(d.notice).toMatch(/Cross-Origin-Embedder-Policy: require-corp/);
    expect(d.notice).toMatch(/one thread instead of 4$/);
  });

  it('one core, or no navigator (Node 20): one thread, nothing lost to mention', () => {
    expect(detectIsolation({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 1 } }).notice).toMatch(/on one thread$/);
    expect(detectIsolation({})).toMatchObject({ isolated: false, cores: 1 });
  });
});

describe('wasm threads', () => {
  it('default: one per core when isolated, capped at the pthread pool; one otherwise', () => {
    expect(defaultWasmThreads({ isolated: true, cores: 2 })).toBe(2);
    expect(defaultWasmThreads({ isolated: true, cores: 32 })).toBe(WASM_MAX_THREADS);
    expect(defaultWasmThreads({ isolated: false, cores: 16 })).toBe(1);
  });

  it('Node runs the single-threaded binary: one thread', async () => {
    await initBackend('wasm');
    expect(wasmThreadCount()).toBe(1);
  });
});
