/**
 * URLs of the tfjs wasm binaries as emitted by Vite, for `initBackend('wasm', { wasmPaths })`.
 * Browser-only: `?url` imports exist only under Vite (not in Node or Vitest).
 *
 * tfjs picks the threaded-SIMD binary when SharedArrayBuffer is usable, i.e. the page is
 * cross-origin isolated (vite.config.ts sends COOP/COEP); without isolation it loads the
 * single-threaded SIMD binary (or the plain one where SIMD is missing).
 */
import plainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export const wasmPaths: Record<string, string> = {
  'tfjs-backend-wasm.wasm': plainUrl,
  'tfjs-backend-wasm-simd.wasm': simdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdUrl,
};
