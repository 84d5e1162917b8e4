/**
 * Writes the source of src/kernels/binary-conv3x3.ts: the unrolled 3×3 lookup conv, one
 * kernel per table format. V8 has no way to unroll the nine taps for us (a loop over taps
 * measured about 2× slower), so the nine tap blocks are generated here; they differ only
 * in their pixel and table offsets. `npm run generate:kernels` rewrites the file; a unit
 * test checks the committed file is this output.
 */

import { ACCUMULATE_ENTRY, RESET_SUMS, widenLanes } from './lookup-generator';

/** One table format: the lookups of one packed pixel word, all 32 bits or its first `groups` groups. */
interface Format {
  readonly name: 'Bytes' | 'Nibbles';
  readonly bits: 4 | 8;
  readonly wordTable: 'BYTE_WORD_TABLE' | 'NIBBLE_WORD_TABLE';
  /** Words of one packed word's tables (the value of wordTable). */
  /** Statements for the whole word (indent = leading spaces). */
  fullWord(indent: string): string[];
  /** Statements for the word's first `groups` groups (1 ≤ groups ≤ most at run time). */
  partialWord(indent: string, most: number): string[];
}

/** Nibble lanes of n0, n1 into byte-lane sums; flush() recovers the odd lanes (see the file header). */
const split = ACCUMULATE_ENTRY;

/** Table offset of group s of a word and the pattern bits, as an expression OR-ed into tb. */
function byteEntry(s: number): string {
  // entry of byte s: t + 512·s + 2·((x >>> 8s) & 255); t is a multiple of the word table
  const pattern = s === 0 ? '((x << 1) & 510)' : `((x >>> ${8 * s - 1}) & 510)`;
  return s === 0 ? `t | ${pattern}` : `t | ${512 * s} | ${pattern}`;
}

function nibbleEntry(s: number): string {
  // entry of nibble s: t + 32·s + 2·((x >>> 4s) & 15)
  const pattern = s === 0 ? '((x << 1) & 30)' : `((x >>> ${4 * s - 1}) & 30)`;
  return s === 0 ? `t | ${pattern}` : `t | ${32 * s} | ${pattern}`;
}

const BYTES: Format = {
  name: 'Bytes',
  bits: 8,
  wordTable: 'BYTE_WORD_TABLE',
  fullWord: (i) => [0, 1, 2, 3].map((s) => `${i}p = ${byteEntry(s)}; n0 = T[p]; n1 = T[p | 1]; ${split}`),
  partialWord: (i, most) => Array.from({ length: most }, (_, s) => {
    const line = `p = ${byteEntry(s)}; n0 = T[p]; n1 = T[p | 1]; ${split}`;
    return s === 0 ? `${i}${line}` : `${i}if (groups > ${s}) { ${line} }`;
  }),
};

/** Nibble lookups add ≤ 4 per lane: three are summed in n0, n1 before a split. */
function nibbleLookup(s: number, first: boolean): string {
  const entry = `p = ${nibbleEntry(s)}; `;
  // Three sums can pass 2³¹ in the top nibble: wrap them (only their bits are used).
  return first ? `${entry}n0 = T[p]; n1 = T[p | 1];` : `${entry}n0 = (n0 + T[p]) | 0; n1 = (n1 + T[p | 1]) | 0;`;
}

const NIBBLES: Format = {
  name: 'Nibbles',
  bits: 4,
  wordTable: 'NIBBLE_WORD_TABLE',
  fullWord: (i) => [[0, 1, 2], [3, 4, 5], [6, 7]].flatMap((trio) => [
    ...trio.map((s, k) => `${i}${nibbleLookup(s, k === 0)}`),
    `${i}${split}`,
  ]),
  partialWord: (i, most) => nibblePartialWord(i, 0, most),
};

/** Nibble groups from..most − 1 of a partial word: trios summed, then split; later trios only if the word has them. */
function nibblePartialWord(i: string, from: number, most: number): string[] {
  const end = Math.min(from + 3, most);
  const lines = [nibbleLookup(from, true)];
  for (let s = from + 1; s < end; s++) lines.push(`if (groups > ${s}) { ${nibbleLookup(s, false)} }`);
  lines.push(split);
  const rest = end < most ? [`if (groups > ${end}) {`, ...nibblePartialWord('  ', end, most), '}'] : [];
  return [...lines, ...rest].map((line) => `${i}${line}`);
}

/** Byte lanes into the 16-bit lanes L0..L7, then (reset) the sums back to 0. */
function flush(i: string, reset: boolean): string[] {
  const lines = widenLanes(i);
  return reset ? [...lines, `${i}${RESET_SUMS}`] : lines;
}

/** Word offsets of the nine taps' pixels from p0; wrapped (| 0), so V8 adds them without overflow checks. */
const PIXEL_OFFSETS = ['p0', '(p0 + wpc) | 0', '(p0 + 2 * wpc) | 0', '(p0 + rowWords) | 0', '(p0 + rowWords + wpc) | 0', '(p0 + rowWords + 2 * wpc) | 0', '(p0 + rowWords2) | 0', '(p0 + rowWords2 + wpc) | 0', '(p0 + rowWords2 + 2 * wpc) | 0'];

/**
 * A pixel width: `words` per pixel; `half`: one word of ≤ 16 channels (the first stage of a
 * width-16 ResNet), whose kernel skips the tests for groups that cannot exist and widens
 * once, after the ninth tap (measured 1.05–1.1× on those layers).
 */
interface Width {
  readonly words: number;
  readonly half: boolean;
}

const WIDTHS: readonly Width[] = [{ words: 1, half: true }, { words: 1, half: false }, { words: 2, half: false }, { words: 3, half: false }, { words: 4, half: false }];

/** The lookups of one tap over a pixel of `width`: all but the last word are full. */
function tapBlock(f: Format, tap: number, width: Width): string[] {
  const wpc = width.words;
  const i = '          ';
  const base = tap === 0 ? 'cb' : `cb${tap}`;
  const lines = [
    `${i}// tap ${tap}: ky = ${Math.floor(tap / 3)}, kx = ${tap % 3}`,
    `${i}t = v & ${1 << tap} ? ${base} : nullBase;`,
    `${i}q = ${PIXEL_OFFSETS[tap]};`,
  ];
  for (let w = 0; w < wpc; w++) {
    if (w > 0) lines.push(`${i}t += ${f.wordTable};`);
    lines.push(`${i}x = padded[q${w ? ` + ${w}` : ''}];`);
    lines.push(...(w < wpc - 1 ? f.fullWord(i) : f.partialWord(i, (width.half ? 16 : 32) / f.bits)));
  }
  // Widen after the last tap, after every third one, and after every tap when a pixel has 2–4 words.
  if (tap === 8) return [...lines, ...flush(i, false)];
  if (width.half) return lines;
  return wpc > 1 || tap % 3 === 2 ? [...lines, ...flush(i, true)] : lines;
}

/**
 * The chunk's outputs K_valid − 2·count: written here for a full chunk (V8 does not inline
 * a call into a function this large, and a call per position costs), by writeNibbleLaneChunk
 * for the last, partial one.
 */
function writeChunk(i: string): string[] {
  const lane = (col: number): string => {
    const word = 4 * (col >> 3) + 2 * (col & 1) + ((col >> 1) & 1);
    return col & 4 ? `(L${word} >>> 16)` : `(L${word} & 0xffff)`;
  };
  const stores = Array.from({ length: 16 }, (_, col) => `out[${col ? `(at + ${col}) | 0` : 'at'}] = (k - 2 * ${lane(col)}) | 0;`);
  return [
    `${i}const at = (Math.imul(pos, cout) + col0) | 0;`,
    `${i}const k = Math.imul(popcount32(v), cin);`,
    `${i}if (full) {`,
    ...[0, 4, 8, 12].map((j) => `${i}  ${stores.slice(j, j + 4).join(' ')}`),
    `${i}} else {`,
    `${i}  writeNibbleLaneChunk(out, at, cout - col0, k, L0, L1, L2, L3, L4, L5, L6, L7);`,
    `${i}}`,
  ];
}

function kernelName(f: Format, width: Width): string {
  return `lookupConv3x3${f.name}${width.half ? 'Half' : width.words}`;
}

/** The kernel for one table format and one pixel width (its own function, so V8 specializes it). */
function kernel(f: Format, width: Width): string {
  const wpc = width.words;
  const taps = Array.from({ length: 9 }, (_, tap) => tapBlock(f, tap, width)).flat();
  const what = width.half ? '1 word of ≤ 16 channels' : `${wpc} word${wpc > 1 ? 's' : ''}`;
  return [
    `/** The unrolled 3×3 kernel with ${f.bits}-bit groups for ${what} per pixel (see lookupConv3x3Bordered). */`,
    `function ${kernelName(f, width)}(padded: Int32Array, g: ConvGeometry, lut: XnorLut, out: Float32Array): void {`,
    '  const { n, inH, inW, outH, outW, stride, pad, cin, cout } = g;',
    `  const wpc = ${wpc};`,
    '  const hp = inH + 2 * pad;',
    '  const wp = inW + 2 * pad;',
    '  const rowWords = wp * wpc;',
    '  const rowWords2 = 2 * rowWords;',
    '  const pixelStep = stride * wpc;',
    '  const rowBits = Int32Array.from({ length: outH }, (_, oy) => validTapBits(oy, stride, pad, inH, 0));',
    '  const colBits = Int32Array.from({ length: outW }, (_, ox) => validTapBits(ox, stride, pad, inW, 1));',
    '  const T = lut.table;',
    `  const groups = Math.ceil((cin - 32 * (wpc - 1)) / ${f.bits});`,
    `  const tapStride = wpc * ${f.wordTable};`,
    '  const nullBase = lut.chunks * 9 * tapStride;',
    '  let x = 0, t = 0, p = 0, q = 0, n0 = 0, n1 = 0, d0 = 0, d1 = 0;',
    '  for (let c = 0; c < lut.chunks; c++) {',
    '    const cb = c * 9 * tapStride;',
    `    const ${Array.from({ length: 8 }, (_, k) => `cb${k + 1} = cb + ${k + 1} * tapStride`).join(', ')};`,
    '    const col0 = c * LUT_CHUNK_COLUMNS;',
    '    const full = cout - col0 >= LUT_CHUNK_COLUMNS;',
    '    pretouch(T, cb, cb + 9 * tapStride);',
    '    let pos = 0;',
    '    for (let b = 0; b < n; b++) {',
    '      for (let oy = 0; oy < outH; oy++) {',
    '        const rowValid = rowBits[oy];',
    '        const rowStart = (b * hp + oy * stride) * wp * wpc;',
    '        for (let ox = 0, p0 = rowStart; ox < outW; ox++, pos++, p0 = (p0 + pixelStep) | 0) {',
    '          const v = rowValid & colBits[ox];',
    '          let L0 = 0, L1 = 0, L2 = 0, L3 = 0, L4 = 0, L5 = 0, L6 = 0, L7 = 0;',
    '          let e0 = 0, o0 = 0, e1 = 0, o1 = 0;',
    ...taps,
    ...writeChunk('          '),
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
  ].join('\n');
}

function dispatcher(): string {
  const cases = (f: Format) => WIDTHS.map((w, k) => {
    const call = `${kernelName(f, w)}(padded, g, lut, out);`;
    const test = w.half ? `wpc === 1 && g.cin <= 16` : `wpc === ${w.words}`;
    return k === 0 ? `if (${test}) ${call}` : k === WIDTHS.length - 1 ? `else ${call}` : `else if (${test}) ${call}`;
  });
  return [
    '/** The same on pixels already in the bordered layout [n][h + 2p][w + 2p][wpc]. */',
    'export function lookupConv3x3Bordered(padded: Int32Array, wpc: number, g: ConvGeometry, lut: XnorLut, out: Float32Array): void {',
    `  if (wpc < 1 || wpc > FAST_3X3_MAX_WORDS) throw new RangeError(\`the 3×3 fast path takes 1 to \${FAST_3X3_MAX_WORDS} words per pixel, got \${wpc}\`);`,
    '  if (lut.groupBits === 8) {',
    ...cases(BYTES).map((l) => `    ${l}`),
    '  } else {',
    ...cases(NIBBLES).map((l) => `    ${l}`),
    '  }',
    '}',
  ].join('\n');
}

const HEADER = `// Generated by scripts/conv3x3-generator.ts (npm run generate:kernels); edit the generator, not this file.
import { borderedSize, copyBordered } from './bordered-image';
import type { ConvGeometry } from './conv-geometry';
import { popcount32 } from './popcount';
import { BYTE_WORD_TABLE, LUT_CHUNK_COLUMNS, NIBBLE_WORD_TABLE, pretouch, writeNibbleLaneChunk, type XnorLut } from './xnor-lut';

/**
 * The fast path of the lookup conv: 3×3 kernels over ≤ 128 channels (≤ 4 words per pixel),
 * with the nine taps and the words of a pixel unrolled, one kernel per table format and
 * pixel width (a shared kernel, once V8 has seen several widths, ran ~1.5× slower). The input is laid out with a border of \`pad\` pixels so every
 * tap reads real words (packed that way directly, packBorderedNHWC, or copied by
 * lookupConv3x3); a tap in the padding looks its patterns up in the table's all-zero tail
 * (\`nullBase\`) instead, adding exactly 0 whatever the border holds, and
 * K_valid = (valid taps)·cin. Table entries are two words of nibble lanes (xnor-lut.ts). A
 * byte-group lookup adds ≤ 8 per nibble and is split into byte lanes at once; nibble-group
 * lookups (≤ 4) are summed 3 at a time first. A split of an entry word n adds n & 0x0f0f0f0f
 * (its even nibbles) to e and n >>> 4 to o; o − ((e & ~0xff) >>> 4) is then exactly the sum
 * of the odd nibbles in byte lanes (as in xnor-lut-gemm-bytes.ts), one operation less per
 * word than masking both halves. Byte lanes are widened into 16-bit lanes after every tap
 * (2–4 words per pixel) or every 3 taps (1 word): ≤ 16 byte or ≤ 32 nibble lookups, so every
 * byte stays ≤ 128 and every sum a plain int32; over ≤ 16 channels only after the ninth tap
 * (≤ 18 byte or 36 nibble lookups, ≤ 144 per byte). Table offsets are OR-ed into the tap base,
 * a multiple of the word table (no carries, no overflow checks). Each chunk's tables are
 * read through in order first (pretouch): in a model, the layers evict each other's. The
 * per-position integer math is wrapped (| 0, Math.imul) and the tap bases are set once per
 * chunk, so V8 emits no overflow checks for them (measured 1.04–1.12× on the ResNet-20
 * w = 16 layers).
 */

/** Words per pixel the unrolled kernels handle. */
export const FAST_3X3_MAX_WORDS = 4;

/** Zero words a conv's table needs after it for the padded taps: one tap of byte tables. */
export function zeroTailWords(wordsPerCin: number): number {
  return wordsPerCin * BYTE_WORD_TABLE;
}

/** Bits t = 3·ky + kx of the taps whose row (axis 0) or column (axis 1) lies inside the input. */
function validTapBits(o: number, stride: number, pad: number, size: number, axis: 0 | 1): number {
  let bits = 0;
  for (let d = 0; d < 3; d++) {
    const i = o * stride - pad + d;
    if (i < 0 || i >= size) continue;
    bits |= axis === 0 ? 0b111 << (3 * d) : 0b1001001 << d;
  }
  return bits;
}

let paddedScratch = new Int32Array(0);

/** Copies packed pixels into a zero-bordered image [n][h + 2p][w + 2p][wpc] (scratch, reused). */
function padPixels(src: Int32Array, n: number, h: number, w: number, wpc: number, pad: number): Int32Array {
  const size = borderedSize(n, h, w, wpc, pad);
  if (paddedScratch.length < size) paddedScratch = new Int32Array(size);
  return copyBordered(src, n, h, w, wpc, pad, paddedScratch);
}

/** Lookup conv for 3×3 kernels and ≤ FAST_3X3_MAX_WORDS words per pixel; NHWC float out. */
export function lookupConv3x3(src: Int32Array, wpc: number, g: ConvGeometry, lut: XnorLut, out: Float32Array): void {
  lookupConv3x3Bordered(padPixels(src, g.n, g.inH, g.inW, wpc, g.pad), wpc, g, lut, out);
}
`;

/** The whole generated file. */
export function conv3x3Source(): string {
  const kernels = [BYTES, NIBBLES].flatMap((f) => WIDTHS.map((w) => kernel(f, w)));
  return `${HEADER}\n${dispatcher()}\n\n${kernels.join('\n\n')}\n`;
}
