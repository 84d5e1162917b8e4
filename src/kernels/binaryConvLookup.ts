import type { ConvGeometry } from './convGeometry';
import { LUT_CHUNK_COLUMNS, writeLutChunk, type XnorLut } from './xnorLut';

/**
 * The direct table-lookup conv for any kernel size and channel count (binaryConv3x3.ts has
 * the unrolled fast path). For each chunk of 16 output channels and each output position,
 * it walks the in-bounds taps, splits each pixel word into G-bit patterns and
 * adds their table entries into 4 byte-lane words; these are flushed into 16-bit lanes
 * before any byte could pass 127 (15 byte lookups of ≤ 8, or 31 nibble lookups of ≤ 4).
 */
export function lookupConv(src: Int32Array, wordsPerPixel: number, g: ConvGeometry, lut: XnorLut, out: Float32Array): void {
  const { n, inH, inW, outH, outW, kh, kw, stride, pad, cin, cout } = g;
  const T = lut.table;
  const G = lut.groupBits;
  const mask = (1 << G) - 1;
  const entryStride = (1 << G) * 4;
  const groupsPerWord = 32 / G;
  const wordStride = groupsPerWord * entryStride;
  const tapStride = wordsPerPixel * wordStride;
  const chunkStride = kh * kw * tapStride;
  const limit = G === 8 ? 15 : 31;
  // Only the groups holding real channels are looked up; the rest of a word is padding.
  const groupsInWord = new Int32Array(wordsPerPixel);
  for (let w = 0; w < wordsPerPixel; w++) groupsInWord[w] = Math.ceil(Math.min(32, cin - 32 * w) / G);
  for (let c = 0; c < lut.chunks; c++) {
    const col0 = c * LUT_CHUNK_COLUMNS;
    const chunkBase = c * chunkStride;
    let pos = 0;
    for (let b = 0; b < n; b++) {
      const imageBase = b * inH * inW;
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++, pos++) {
          let l0 = 0, l1 = 0, l2 = 0, l3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          let pending = 0;
          let validTaps = 0;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * stride - pad + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * stride - pad + kx;
              if (ix < 0 || ix >= inW) continue;
              validTaps++;
              const px = (imageBase + iy * inW + ix) * wordsPerPixel;
              let tb = chunkBase + (ky * kw + kx) * tapStride;
              for (let w = 0; w < wordsPerPixel; w++, tb += wordStride) {
                const groups = groupsInWord[w];
                if (pending + groups > limit) {
                  l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff;
                  l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
                  l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff;
                  l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
                  s0 = 0; s1 = 0; s2 = 0; s3 = 0;
                  pending = 0;
                }
                pending += groups;
                let x = src[px + w];
                for (let e = tb, end = tb + groups * entryStride; e < end; e += entryStride, x >>>= G) {
                  const p = e + ((x & mask) << 2);
                  s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
                }
              }
            }
          }
          l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff;
          l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
          l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff;
          l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
          writeLutChunk(out, pos * cout + col0, cout - col0, validTaps * cin, l0, h0, l1, h1, l2, h2, l3, h3);
        }
      }
    }
  }
}
