/**
 * Source snippets shared by the lookup-kernel generators (conv3x3-generator.ts,
 * lut-gemm-generator.ts): the even/odd sums of a 2-word table entry n0, n1 and their widening
 * into 16-bit lanes. The identity behind them is in xnor-lut-gemm-bytes.ts's header.
 */

export const MASK4 = '0x0f0f0f0f';
export const MASK8 = '0x00ff00ff';
/** Words of one packed word's byte tables (BYTE_WORD_TABLE in xnor-lut.ts). */
export const BYTE_WORD_TABLE_WORDS = 2048;

/** Even nibbles of each entry word into e0, e1, the words shifted right by 4 into o0, o1. */
export const ACCUMULATE_ENTRY = `e0 = (e0 + (n0 & ${MASK4})) | 0; o0 = (o0 + (n0 >>> 4)) | 0; e1 = (e1 + (n1 & ${MASK4})) | 0; o1 = (o1 + (n1 >>> 4)) | 0;`;

/**
 * The byte lanes of e, o into the 16-bit lanes L0..L7 (the order writeNibbleLaneChunk
 * reads): the even ones are e0, e1, the odd ones d = o − ((e & ~0xff) >>> 4).
 */
export function widenLanes(i: string): string[] {
  return [
    `${i}d0 = (o0 - ((e0 & -256) >>> 4)) | 0; d1 = (o1 - ((e1 & -256) >>> 4)) | 0;`,
    `${i}L0 = (L0 + (e0 & ${MASK8})) | 0; L1 = (L1 + ((e0 >>> 8) & ${MASK8})) | 0; L2 = (L2 + (d0 & ${MASK8})) | 0; L3 = (L3 + ((d0 >>> 8) & ${MASK8})) | 0;`,
    `${i}L4 = (L4 + (e1 & ${MASK8})) | 0; L5 = (L5 + ((e1 >>> 8) & ${MASK8})) | 0; L6 = (L6 + (d1 & ${MASK8})) | 0; L7 = (L7 + ((d1 >>> 8) & ${MASK8})) | 0;`,
  ];
}

/** Zeroes the even/odd sums after a widening. */
export const RESET_SUMS = 'e0 = 0; o0 = 0; e1 = 0; o1 = 0;';
