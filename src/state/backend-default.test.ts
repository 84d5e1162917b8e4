import { describe, expect, it } from 'vitest';
import { backendAfterWebgpu, hashNamesBackend } from './backend-default';

describe('the WebGPU detection arriving after start-up', () => {
  const webgpu = { backend: 'webgpu' as const };
  const wasm = { backend: 'wasm' as const, notice: 'WebGL is software-rendered (SwiftShader); using wasm' };

  it('replaces a default nobody touched', () => {
    expect(backendAfterWebgpu({ current: 'wasm', initial: 'wasm', fromLink: false, choice: webgpu })).toBe('webgpu');
    expect(backendAfterWebgpu({ current: 'webgl', initial: 'webgl', fromLink: false, choice: webgpu })).toBe('webgpu');
  });

  it("keeps the user's choice", () => {
    expect(backendAfterWebgpu({ current: 'cpu', initial: 'wasm', fromLink: false, choice: webgpu })).toBe('cpu');
  });

  it("keeps the link's backend, even when it equals the default", () => {
    expect(backendAfterWebgpu({ current: 'wasm', initial: 'wasm', fromLink: true, choice: webgpu })).toBe('wasm');
  });

  it('without hardware WebGPU the first default stays', () => {
    expect(backendAfterWebgpu({ current: 'wasm', initial: 'wasm', fromLink: false, choice: wasm })).toBe('wasm');
  });
});

describe('hashNamesBackend', () => {
  it.each([
    ['#backend=wasm', true],
    ['#depth=8&backend=cpu&seed=1', true],
    ['backend=nonsense', true],
    ['#depth=8&seed=1', false],
    ['#backends=wasm', false],
    ['#%E0%A4%A=1', false],
    ['', false],
  ])('%s -> %s', (hash, named) => {
    expect(hashNamesBackend(hash)).toBe(named);
  });
});
