import { afterEach, describe, expect, it, vi } from 'vitest';
import { gzipSync } from 'node:zlib';
import { fetchDatasetBytes, isGzip } from './fetch-dataset';

const payload = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 251);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fetchDatasetBytes of a .gz file', () => {
  it('gunzips the bytes a server sent as they are', async () => {
    const gz = gzipSync(payload);
    vi.stubGlobal('fetch', async () => new Response(gz, { headers: { 'content-length': String(gz.length) } }));
    const seen: (number | null)[] = [];
    const bytes = await fetchDatasetBytes('/data/x.bnnd.gz', (p) => seen.push(p.total));
    expect(bytes).toEqual(payload);
    expect(seen.at(-1)).toBe(gz.length);
  });

  it('takes the bytes as they are when the browser already decoded a Content-Encoding: gzip response', async () => {
    // What Chromium hands over from vite preview, which serves .gz files with Content-Encoding: gzip.
    const gzLength = gzipSync(payload).length;
    vi.stubGlobal(
      'fetch',
      async () => new Response(payload, { headers: { 'content-encoding': 'gzip', 'content-length': String(gzLength) } }),
    );
    const seen: (number | null)[] = [];
    const bytes = await fetchDatasetBytes('/data/x.bnnd.gz', (p) => seen.push(p.total));
    expect(bytes).toEqual(payload);
    // The Content-Length counts encoded bytes, so no total is claimed.
    expect(seen.every((t) => t === null)).toBe(true);
  });

  it('isGzip reads the magic number', () => {
    expect(isGzip(gzipSync(payload))).toBe(true);
    expect(isGzip(payload)).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
  });
});
