/**
 * What this browser (or Node) offers the backends, found without tfjs: whether WebGL is real or
 * software-rendered, whether the page is cross-origin isolated (SharedArrayBuffer, hence wasm
 * threads), and the default backend that follows.
 *
 * Runs in Node, in a Worker and on the page: feature detection goes through globalThis only
 * (OffscreenCanvas, crossOriginIsolated, navigator), never the DOM.
 */
export type BackendName = 'webgl' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

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

export interface BackendChoice {
  backend: BackendName;
  /** Shown to the user when the default is not WebGL. */
  notice?: string;
}

/** Known software rasterisers; the label is what the notice shows. */
const SOFTWARE_RENDERERS: readonly { pattern: RegExp; label: string }[] = [
  { pattern: /swiftshader/i, label: 'SwiftShader' },
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

/** WebGL on a real GPU; otherwise wasm, with a notice saying why. */
export function chooseDefaultBackend(detection: WebglDetection): BackendChoice {
  if (detection.available && !detection.software) return { backend: 'webgl' };
  if (!detection.available) {
    return { backend: 'wasm', notice: `WebGL is not available: ${detection.reason ?? 'unknown reason'}; using wasm` };
  }
  const label = softwareRendererLabel(detection.renderer) ?? 'no GPU acceleration';
  return {
    backend: 'wasm',
    notice: `WebGL is software-rendered (${label}); using wasm, which is about 4-5x faster here`,
  };
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
