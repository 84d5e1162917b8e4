import type { ConvGeometry } from './conv-geometry';
import { BYTE_WORD_TABLE, LUT_CHUNK_COLUMNS, NIBBLE_WORD_TABLE, writeNibbleLaneChunk, type XnorLut } from './xnor-lut';

/**
 * The direct table-lookup conv for any kernel size and channel count (binary-conv3x3.ts has
 * the unrolled fast path). For each chunk of 16 output channels and each output position,
 * it walks the in-bounds taps, splits each pixel word into G-bit patterns and adds their
 * table entries; only the groups that hold real channels are looked up.
 */
export function lookupConv(src: Int32Array, wordsPerPixel: number, g: ConvGeometry, lut: XnorLut, out: Float32Array): void {
  const groupsInWord = new Int32Array(wordsPerPixel);
  for (let w = 0; w < wordsPerPixel; w++) groupsInWord[w] = Math.ceil(Math.min(32, g.cin - 32 * w) / lut.groupBits);
  if (lut.groupBits === 8) lookupConvBytes(src, wordsPerPixel, groupsInWord, g, lut, out);
  else lookupConvNibbles(src, wordsPerPixel, groupsInWord, g, lut, out);
}

/**
 * Byte groups: each lookup (≤ 8 per nibble lane) is split into byte lanes at once; byte
 * lanes are widened into 16-bit lanes before a byte could pass 127 (at most 15 lookups).
 */
function lookupConvBytes(
  src: Int32Array, wpc: number, groupsInWord: Int32Array, g: ConvGeometry, lut: XnorLut, out: Float32Array,
): void {
  const { n, inH, inW, outH, outW, kh, kw, stride, pad, cin, cout } = g;
  const T = lut.table;
  const tapStride = wpc * BYTE_WORD_TABLE;
  for (let c = 0; c < lut.chunks; c++) {
    const col0 = c * LUT_CHUNK_COLUMNS;
    const chunkBase = c * kh * kw * tapStride;
    let pos = 0;
    for (let b = 0; b < n; b++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++, pos++) {
          let L0 = 0, L1 = 0, L2 = 0, L3 = 0, L4 = 0, L5 = 0, L6 = 0, L7 = 0;
          let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
          let pending = 0;
          let validTaps = 0;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * stride - pad + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * stride - pad + kx;
              if (ix < 0 || ix >= inW) continue;
              validTaps++;
              const px = ((b * inH + iy) * inW + ix) * wpc;
              let tb = chunkBase + (ky * kw + kx) * tapStride;
              for (let w = 0; w < wpc; w++, tb += BYTE_WORD_TABLE) {
                const groups = groupsInWord[w];
                if (pending + groups > 15) {
                  L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
                  L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
                  b0 = 0; b1 = 0; b2 = 0; b3 = 0;
                  pending = 0;
                }
                pending += groups;
                let x = src[px + w];
                for (let e = tb, end = tb + groups * 512; e < end; e += 512, x >>>= 8) {
                  const p = e + ((x & 255) << 1);
                  const n0 = T[p], n1 = T[p + 1];
                  b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
                }
              }
            }
          }
          L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
          L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
          writeNibbleLaneChunk(out, pos * cout + col0, cout - col0, validTaps * cin, L0, L1, L2, L3, L4, L5, L6, L7);
        }
      }
    }
  }
}

/**
 * Nibble groups: lookups (≤ 4 per nibble lane) are split into byte lanes every 3 lookups
 * (≤ 12 per nibble) and widened into 16-bit lanes before a byte could pass 127 (≤ 30
 * lookups of ≤ 4).
 */
function lookupConvNibbles(
  src: Int32Array, wpc: number, groupsInWord: Int32Array, g: ConvGeometry, lut: XnorLut, out: Float32Array,
): void {
  const { n, inH, inW, outH, outW, kh, kw, stride, pad, cin, cout } = g;
  const T = lut.table;
  const tapStride = wpc * NIBBLE_WORD_TABLE;
  for (let c = 0; c < lut.chunks; c++) {
    const col0 = c * LUT_CHUNK_COLUMNS;
    const chunkBase = c * kh * kw * tapStride;
    let pos = 0;
    for (let b = 0; b < n; b++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++, pos++) {
          let L0 = 0, L1 = 0, L2 = 0, L3 = 0, L4 = 0, L5 = 0, L6 = 0, L7 = 0;
          let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
          let n0 = 0, n1 = 0;
          let inNibbles = 0;
          let pending = 0;
          let validTaps = 0;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * stride - pad + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * stride - pad + kx;
              if (ix < 0 || ix >= inW) continue;
              validTaps++;
              const px = ((b * inH + iy) * inW + ix) * wpc;
              let tb = chunkBase + (ky * kw + kx) * tapStride;
              for (let w = 0; w < wpc; w++, tb += NIBBLE_WORD_TABLE) {
                const groups = groupsInWord[w];
                if (pending + groups > 30) {
                  b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
                  n0 = 0; n1 = 0; inNibbles = 0;
                  L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
                  L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
                  b0 = 0; b1 = 0; b2 = 0; b3 = 0;
                  pending = 0;
                }
                pending += groups;
                let x = src[px + w];
                for (let e = tb, end = tb + groups * 32; e < end; e += 32, x >>>= 4) {
                  const p = e + ((x & 15) << 1);
                  n0 = (n0 + T[p]) | 0; n1 = (n1 + T[p + 1]) | 0; // three sums may pass 2³¹: wrapped
                  if (++inNibbles === 3) {
                    b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
                    n0 = 0; n1 = 0; inNibbles = 0;
                  }
                }
              }
            }
          }
          b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
          L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
          writeNibbleLaneChunk(out, pos * cout + col0, cout - col0, validTaps * cin, L0, L1, L2, L3, L4, L5, L6, L7);
        }
      }
    }
  }
}
