/**
 * Chromium flags. The SwiftShader ones give WebGL2 on the main thread and in a Worker
 * (OffscreenCanvas) without a GPU and stop newer Chromium from refusing software WebGL;
 * `--disable-gpu` is deliberately absent. The rest keep a headless run quiet and offline.
 */
export const CHROMIUM_ARGS = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Added by e2e/webgpu.spec.ts and `bench:train --webgpu-swiftshader` only: WebGPU on SwiftShader's Vulkan device, which Chromium 156
 * offers on a secure (localhost) page with these flags. The adapter reports architecture
 * 'swiftshader' and isFallbackAdapter: software, so the app must not make it the default, but
 * it can be chosen and trained on.
 */
export const WEBGPU_SWIFTSHADER_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader'];
