import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const page = (file: string) => fileURLToPath(new URL(file, import.meta.url));

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
  plugins: [react(), gzipFilesAsFiles()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // The app, and the training-step benchmark page of `npm run bench:train`.
    rolldownOptions: { input: { main: page('index.html'), 'bench-train': page('bench-train.html') } },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173 },
});
