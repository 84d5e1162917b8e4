/**
 * What this browser (or Node) offers the backends, found without tfjs: whether WebGPU has a
 * hardware adapter, whether WebGL is real or software-rendered, whether the page is cross-origin
 * isolated (SharedArrayBuffer, hence wasm threads), and the default backend that follows.
 *
 * Runs in Node, in a Worker and on the page: feature detection goes through globalThis only
 * (navigator.gpu, OffscreenCanvas, crossOriginIsolated), never the DOM.
 */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface WebglDetection {
  /** A WebGL context could be created at all. */
  available: boolean;
  /** Unmasked renderer string ('' when no context). */
  renderer: string;
  /** Software rasteriser, or no usable context: WebGL should not be the default. */
  software: boolean;
  /** Why WebGL is unavailable or considered software. */
  reason?: string;
  /** 2 when WebGL2 is available (what tfjs needs in a Worker), else 1, or 0. */
  version?: 0 | 1 | 2;
}

export interface WebgpuDetection {
  /** navigator.gpu gave an adapter. */
  available: boolean;
  /** A software (fallback) adapter, or none: WebGPU should not be the default. */
  software: boolean;
  /** What the adapter says it is, e.g. 'google swiftshader' ('' without one). */
  adapter: string;
  /** Why WebGPU is unavailable or considered software. */
  reason?: string;
}

export interface BackendChoice {
  backend: BackendName;
  /** Shown to the user when the default falls back to wasm, saying why. */
  notice?: string;
}

/** Known software rasterisers and adapters; the label is what the notice shows. */
const SOFTWARE_RENDERERS: readonly { pattern: RegExp; label: string }[] = [
  { pattern: /swiftshader/i, label: 'SwiftShader' },
  { pattern: /lavapipe/i, label: 'lavapipe' },
  { pattern: /llvmpipe/i, label: 'llvmpipe' },
  { pattern: /softpipe/i, label: 'softpipe' },
  { pattern: /basic render/i, label: 'Microsoft Basic Render Driver' },
  { pattern: /software/i, label: 'a software renderer' },
];

/** The software rasteriser named by a renderer string, or undefined for a real GPU. */
export function softwareRendererLabel(renderer: string): string | undefined {
  return SOFTWARE_RENDERERS.find((s) => s.pattern.test(renderer))?.label;
}

export function isSoftwareRenderer(renderer: string): boolean {
  return softwareRendererLabel(renderer) !== undefined;
}

/** The slice of a WebGL context that detection reads. */
export interface GlLike {
  readonly RENDERER: number;
  getParameter(pname: number): unknown;
  getExtension(name: string): unknown;
}

/** The slice of OffscreenCanvas that detection uses; injectable for tests. */
export interface CanvasLike {
  getContext(type: 'webgl2' | 'webgl', attrs?: WebGLContextAttributes): GlLike | null;
}

const UNMASKED_RENDERER_WEBGL = 0x9246;

function rendererOf(gl: GlLike): string {
  // Chromium exposes the real renderer as RENDERER; others need the debug extension.
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const value = gl.getParameter(ext ? UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  return typeof value === 'string' ? value : '';
}

function release(gl: GlLike): void {
  const lose = gl.getExtension('WEBGL_lose_context') as { loseContext(): void } | null;
  lose?.loseContext();
}

function defaultCanvasFactory(): (() => CanvasLike) | undefined {
  const Offscreen = (globalThis as { OffscreenCanvas?: new (w: number, h: number) => unknown })
    .OffscreenCanvas;
  if (Offscreen === undefined) return undefined;
  return () => new Offscreen(1, 1) as CanvasLike;
}

function tryContext(
  makeCanvas: () => CanvasLike,
  type: 'webgl2' | 'webgl',
  attrs: WebGLContextAttributes,
): GlLike | null {
  try {
    return makeCanvas().getContext(type, attrs);
  } catch {
    return null;
  }
}

/**
 * Probe WebGL the way tfjs will use it. tfjs asks for `failIfMajorPerformanceCaveat`, which
 * a browser may refuse for a software renderer; such a refusal also counts as software.
 * Uses OffscreenCanvas (so it works in a Worker); `makeCanvas` is injectable for tests.
 */
export function detectWebgl(makeCanvas: (() => CanvasLike) | undefined = defaultCanvasFactory()): WebglDetection {
  if (makeCanvas === undefined) {
    return { available: false, renderer: '', software: true, version: 0, reason: 'OffscreenCanvas is not available here' };
  }
  for (const [type, version] of [['webgl2', 2], ['webgl', 1]] as const) {
    const strict = tryContext(makeCanvas, type, { failIfMajorPerformanceCaveat: true });
    const gl = strict ?? tryContext(makeCanvas, type, {});
    if (gl === null) continue;
    const renderer = rendererOf(gl);
    release(gl);
    const label = softwareRendererLabel(renderer);
    if (label !== undefined) {
      return { available: true, renderer, software: true, version, reason: `WebGL is software-rendered (${label})` };
    }
    if (strict === null) {
      return { available: true, renderer, software: true, version, reason: 'the browser reports a major performance caveat (software rendering)' };
    }
    return { available: true, renderer, software: false, version };
  }
  return { available: false, renderer: '', software: true, version: 0, reason: 'no WebGL context could be created' };
}

/** The slice of GPUAdapterInfo detection reads. */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** The slice of GPUAdapter detection reads (`info` since Chromium 127, the rest before). */
export interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
}

/** The slice of navigator.gpu that detection uses; injectable for tests. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}

function defaultGpu(): GpuLike | undefined {
  return (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
}

/**
 * Ask navigator.gpu for the adapter tfjs's WebGPU backend would get (high-performance) and read
 * what it is. A fallback adapter, or one whose name is a known software renderer (SwiftShader,
 * lavapipe/llvmpipe, WARP), counts as software. Never throws; gives up after `timeoutMs`.
 */
export async function detectWebgpu(gpu: GpuLike | undefined = defaultGpu(), timeoutMs = 3000): Promise<WebgpuDetection> {
  const none = (reason: string): WebgpuDetection => ({ available: false, software: true, adapter: '', reason });
  if (gpu === undefined) return none('this browser offers no WebGPU here (navigator.gpu is missing; it needs a secure context)');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  let adapter: AdapterLike | null | 'late';
  try {
    adapter = await Promise.race([gpu.requestAdapter({ powerPreference: 'high-performance' }), late]);
  } catch (e) {
    return none(`requesting a WebGPU adapter failed (${e instanceof Error ? e.message : String(e)})`);
  } finally {
    clearTimeout(timer);
  }
  if (adapter === 'late') return none(`no WebGPU adapter within ${timeoutMs / 1000} s`);
  if (adapter === null) return none('WebGPU has no adapter');
  let info: AdapterInfoLike = adapter.info ?? {};
  if (adapter.info === undefined && adapter.requestAdapterInfo) info = await adapter.requestAdapterInfo().catch(() => ({}));
  const name = [info.vendor, info.architecture, info.device, info.description].filter((x) => x).join(' ');
  const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const label = softwareRendererLabel(name);
  if (label !== undefined || fallback) {
    return { available: true, software: true, adapter: name, reason: `WebGPU has only a software adapter (${label ?? 'a fallback adapter'})` };
  }
  return { available: true, software: false, adapter: name };
}

/**
 * The default order: WebGPU on a hardware adapter, then WebGL on a real GPU, then wasm with a
 * notice saying why the GPU backends were passed over. Without a WebGPU detection (not run yet)
 * the choice is between WebGL and wasm. The user may still pick any backend.
 */
export function chooseDefaultBackend(webgl: WebglDetection, webgpu?: WebgpuDetection): BackendChoice {
  if (webgpu?.available && !webgpu.software) return { backend: 'webgpu' };
  if (webgl.available && !webgl.software) return { backend: 'webgl' };
  const glPart = webgl.available
    ? `WebGL is software-rendered (${softwareRendererLabel(webgl.renderer) ?? 'no GPU acceleration'})`
    : `WebGL is not available: ${webgl.reason ?? 'unknown reason'}`;
  const gpuPart = webgpu ? (webgpu.available ? webgpu.reason : `WebGPU is not available: ${webgpu.reason ?? 'unknown reason'}`) : undefined;
  const faster = webgl.available ? (gpuPart ? ', about 4-5x faster than software WebGL' : ', which is about 4-5x faster here') : '';
  return { backend: 'wasm', notice: `${[glPart, gpuPart].filter((p) => p).join('; ')}; using wasm${faster}` };
}

export interface IsolationDetection {
  /** SharedArrayBuffer is usable: tfjs wasm loads its threaded SIMD binary. */
  isolated: boolean;
  /** Logical cores the browser reports (navigator.hardwareConcurrency), 1 when unknown. */
  cores: number;
  /** Shown to the user when the page is not isolated. */
  notice?: string;
}

/**
 * Cross-origin isolation (COOP `same-origin` + COEP `require-corp` on the page) is what makes
 * SharedArrayBuffer, and with it tfjs wasm's threads, available. Reads globalThis only.
 */
export function detectIsolation(
  scope: { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } } = globalThis as never,
): IsolationDetection {
  const cores = Math.max(1, Math.floor(scope.navigator?.hardwareConcurrency ?? 1));
  if (scope.crossOriginIsolated === true) return { isolated: true, cores };
  return {
    isolated: false,
    cores,
    notice:
      'This page is not cross-origin isolated (the server sends no Cross-Origin-Opener-Policy: same-origin and ' +
      'Cross-Origin-Embedder-Policy: require-corp headers), so SharedArrayBuffer is missing and wasm trains on one thread' +
      (cores > 1 ? ` instead of ${cores}` : ''),
  };
}
