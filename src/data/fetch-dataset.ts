/**
 * Browser side of the dataset files: fetch with a progress callback, keep the compressed bytes in
 * the Cache Storage (so a reload reads them locally), and gunzip with DecompressionStream. Works
 * in the page and in Workers; no DOM.
 */
export interface LoadProgress {
  /** Bytes received so far (compressed). */
  loaded: number;
  /** Total bytes when the server says (Content-Length), else null. */
  total: number | null;
  /** True when the bytes came from the local cache. */
  cached: boolean;
}

export const DATASET_CACHE = 'bnn-playground-datasets-v1';

export async function fetchDatasetBytes(url: string, onProgress?: (p: LoadProgress) => void): Promise<Uint8Array> {
  const cache = await openCache();
  const hit = cache ? await cache.match(url) : undefined;
  const response = hit ?? (await fetch(url));
  if (!response.ok) {
    throw new Error(`fetching ${url} failed with HTTP ${response.status}; run npm run prepare-data`);
  }
  const stored = await readWithProgress(response, hit !== undefined, onProgress);
  if (cache && !hit) {
    // A full quota or a private window only costs the next load its download.
    await cache.put(url, new Response(stored.slice(), { headers: { 'content-type': 'application/octet-stream' } })).catch(() => undefined);
  }
  return url.endsWith('.gz') && isGzip(stored) ? gunzip(stored, url) : stored;
}

/**
 * Servers that send a .gz file with `Content-Encoding: gzip` (vite preview and sirv do) make the
 * browser hand over the decompressed bytes; only bytes that still start with the gzip magic number
 * are gunzipped here.
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function openCache(): Promise<Cache | null> {
  try {
    return typeof caches !== 'undefined' ? await caches.open(DATASET_CACHE) : null;
  } catch {
    return null;
  }
}

async function readWithProgress(response: Response, cached: boolean, onProgress?: (p: LoadProgress) => void): Promise<Uint8Array> {
  const header = response.headers.get('content-length');
  // With a Content-Encoding the length counts the encoded bytes, not the ones the body yields.
  const encoded = response.headers.get('content-encoding') !== null;
  const total = !encoded && header !== null && /^\d+$/.test(header) ? Number(header) : null;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.({ loaded: bytes.length, total: bytes.length, cached });
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  onProgress?.({ loaded, total, cached });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress?.({ loaded, total, cached });
  }
  const out = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

async function gunzip(bytes: Uint8Array, url: string): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`${url}: the file is not valid gzip (${(e as Error).message}); run npm run prepare-data --force`);
  }
}
