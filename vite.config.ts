import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const page = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Cross-origin isolation: with these two headers on the page, browsers give it (and its Workers)
 * SharedArrayBuffer, so tfjs wasm loads its threaded SIMD binary and trains on every core. The dev
 * server and `vite preview` send them; static hosts must too (README "Backends"; public/_headers
 * carries them for hosts that read that file). Everything the app loads is same-origin, which
 * `require-corp` allows without further headers.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/**
 * tfjs wasm starts each pthread Worker from the source text of its threaded factory
 * (`factory.toString()`), so that function must not reference anything outside itself. Its
 * Emscripten code reads `_scriptDir`, a variable of the enclosing closure, twice; a minifier that
 * renames it and drops the `typeof` guard leaves the pthreads with "ReferenceError: e is not
 * defined" and wasm hangs. Both reads are dead here: tfjs always passes `mainScriptUrlOrBlob`, and
 * `_scriptDir` (document.currentScript) is undefined for ES modules and in Workers. The build fails
 * if tfjs's code no longer has them, rather than shipping threads that cannot start.
 */
function tfjsWasmThreadsMinifySafe(): Plugin {
  const edits: [string, string][] = [
    ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', ''],
    ['"urlOrBlob":Module["mainScriptUrlOrBlob"]||_scriptDir', '"urlOrBlob":Module["mainScriptUrlOrBlob"]'],
  ];
  return {
    name: 'tfjs-wasm-threads-minify-safe',
    transform(code, id) {
      if (!/tfjs-backend-wasm-threaded-simd\.js$/.test(id.split('?')[0])) return null;
      let out = code;
      for (const [from, to] of edits) {
        if (out.split(from).length !== 2) this.error(`${id}: expected exactly one '${from}'; tfjs changed, revisit this plugin`);
        out = out.replace(from, to);
      }
      return { code: out, map: null };
    },
  };
}

/**
 * Vite's static file server (sirv) marks every *.gz file as `Content-Encoding: gzip`, so the
 * browser unpacks public/data/*.bnnd.gz on the way in: the dataset loader's own gunzip then
 * fails on the unpacked bytes, and its progress counts unpacked bytes against the packed
 * Content-Length. Serve them as the gzip files they are, as a plain static host does.
 */
function gzipFilesAsFiles(): Plugin {
  const asFile = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.url && /\.gz(\?|$)/.test(req.url)) {
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
      res.writeHead = ((code: number, ...rest: unknown[]) => {
        res.removeHeader('Content-Encoding');
        for (const h of rest) {
          if (h && typeof h === 'object' && !Array.isArray(h)) {
            delete (h as Record<string, unknown>)['Content-Encoding'];
            (h as Record<string, unknown>)['Content-Type'] = 'application/gzip';
          }
        }
        return writeHead(code, ...rest);
      }) as ServerResponse['writeHead'];
    }
    next();
  };
  return {
    name: 'gzip-files-as-files',
    configureServer: (server) => void server.middlewares.use(asFile),
    configurePreviewServer: (server) => void server.middlewares.use(asFile),
  };
}

export default defineConfig({
  plugins: [react(), tfjsWasmThreadsMinifySafe(), gzipFilesAsFiles()],
  worker: { format: 'es', plugins: () => [tfjsWasmThreadsMinifySafe()] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // The app, the training-step benchmark page of `npm run bench:train`, and the cross-backend check.
    rolldownOptions: {
      input: { main: page('index.html'), 'bench-train': page('bench-train.html'), 'backend-check': page('backend-check.html') },
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false, headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', port: 4173, headers: CROSS_ORIGIN_ISOLATION_HEADERS },
});
