import { packWeightsHWIO, type PackedConvWeights } from '../kernels/bitpack';

/**
 * Binary conv weights in the model file: U8 tensor [cout, kh, kw, ceil(cin/8)].
 * Byte i of the last axis holds input channels 8i … 8i+7, bit j (value 1 << j) ↔ channel 8i + j;
 * bit 1 ↔ −1, bit 0 ↔ +1; bits past channel cin − 1 are 0. This is the word layout of docs/ARCHITECTURE.md ("Bit layout")
 * (bit j of little-endian uint32 word i ↔ channel 32i + j) written as little-endian bytes and cut
 * to ceil(cin/8) bytes per tap, so numpy reads it with
 *   signs = 1 − 2 · np.unpackbits(w, axis=-1, bitorder='little')[..., :cin]
 */
export function packedBytesPerTap(cin: number): number {
  return (cin + 7) >>> 3;
}

/** Packs ±1 (any signs; sign(0) = +1) HWIO weights into the file layout [cout, kh, kw, ceil(cin/8)]. */
export function packSignsToBytes(signs: ArrayLike<number>, kh: number, kw: number, cin: number, cout: number): Uint8Array {
  const packed = packWeightsHWIO(signs, kh, kw, cin, cout);
  const perTap = packedBytesPerTap(cin);
  const groups = cout * kh * kw;
  const out = new Uint8Array(groups * perTap);
  for (let g = 0; g < groups; g++) {
    const base = g * packed.wordsPerCin;
    for (let b = 0; b < perTap; b++) out[g * perTap + b] = (packed.words[base + (b >>> 2)] >>> (8 * (b & 3))) & 0xff;
  }
  return out;
}

/**
 * Index of the first byte holding a set bit past channel cin − 1 (or −1). Only the last byte of
 * each tap can hold such bits, and only when cin is not a multiple of 8.
 */
export function firstNonZeroPaddingByte(bytes: Uint8Array, cin: number): number {
  const used = cin & 7;
  if (used === 0) return -1;
  const perTap = packedBytesPerTap(cin);
  const mask = 0xff & ~((1 << used) - 1);
  for (let i = perTap - 1; i < bytes.length; i += perTap) if ((bytes[i] & mask) !== 0) return i;
  return -1;
}

/** Unpacks the file layout to ±1 HWIO weights [kh, kw, cin, cout]. Padding bits are ignored. */
export function unpackBytesToSigns(bytes: Uint8Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const perTap = packedBytesPerTap(cin);
  const taps = kh * kw;
  if (bytes.length !== cout * taps * perTap) {
    throw new RangeError(`packed [${cout},${kh},${kw},${perTap}] needs ${cout * taps * perTap} bytes, got ${bytes.length}`);
  }
  const out = new Float32Array(taps * cin * cout);
  for (let o = 0; o < cout; o++) {
    for (let t = 0; t < taps; t++) {
      const src = (o * taps + t) * perTap;
      for (let c = 0; c < cin; c++) {
        const bit = (bytes[src + (c >>> 3)] >>> (c & 7)) & 1;
        out[(t * cin + c) * cout + o] = bit ? -1 : 1;
      }
    }
  }
  return out;
}

/** The file layout as the kernels' packed words [cout][kh][kw][ceil(cin/32)] (bitpack.ts). */
export function packedBytesToConvWeights(bytes: Uint8Array, kh: number, kw: number, cin: number, cout: number): PackedConvWeights {
  const perTap = packedBytesPerTap(cin);
  const wordsPerCin = (cin + 31) >>> 5;
  const groups = cout * kh * kw;
  if (bytes.length !== groups * perTap) throw new RangeError(`need ${groups * perTap} bytes, got ${bytes.length}`);
  const words = new Uint32Array(groups * wordsPerCin);
  for (let g = 0; g < groups; g++) {
    for (let b = 0; b < perTap; b++) words[g * wordsPerCin + (b >>> 2)] |= bytes[g * perTap + b] << (8 * (b & 3));
  }
  return { words, kh, kw, cin, cout, wordsPerCin };
}
