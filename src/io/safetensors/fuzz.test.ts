import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { readSafetensors, SafetensorsError, writeSafetensors, type SafetensorsFile } from './index';

type Rng = () => number;

const int = (rng: Rng, n: number): number => Math.floor(rng() * n);

function validFiles(): Uint8Array[] {
  return [
    writeSafetensors(
      {
        'stem.conv.w': { dtype: 'F32', shape: [3, 3, 1, 4], data: Float32Array.from({ length: 36 }, (_, i) => i - 18) },
        'block.bits': { dtype: 'U8', shape: [4, 2], data: Uint8Array.from({ length: 8 }, (_, i) => i * 31) },
        'block.scale': { dtype: 'F32', shape: [4], data: new Float32Array([0.5, 0.25, 1, 2]) },
        steps: { dtype: 'I32', shape: [], data: new Int32Array([1234]) },
      },
      { format: 'bnn-playground', version: '1', arch: '{"layers":[{"op":"conv","inputs":["x"]}]}' },
    ),
    writeSafetensors({ x: { dtype: 'U8', shape: [0], data: new Uint8Array(0) } }),
    writeSafetensors(
      {
        d: { dtype: 'F64', shape: [2], data: new Float64Array([1, -1]) },
        h: { dtype: 'F16', shape: [3], data: new Uint16Array([0x3c00, 0, 0x8000]) },
        q: { dtype: 'I64', shape: [1], data: new BigInt64Array([-5n]) },
        s: { dtype: 'I8', shape: [1, 3], data: new Int8Array([-1, 0, 1]) },
      },
      { note: 'ü' },
    ),
  ];
}

/** Bytes of the JSON header region (after the length field) of a valid file. */
function headerEnd(file: Uint8Array): number {
  return 8 + new DataView(file.buffer, file.byteOffset).getUint32(0, true);
}

const HEADER_TOKENS = ['"', '{', '}', '[', ']', ',', ':', '-', '0', '9', '1e9', ' ', '"F32"', '"__proto__"', '\\', 'null', '\u00ff'];

/** One random corruption of a valid file; several kinds, weighted toward the header. */
function mutate(original: Uint8Array, rng: Rng): Uint8Array {
  const file = original.slice();
  const end = headerEnd(file);
  const view = new DataView(file.buffer);
  switch (int(rng, 8)) {
    case 0: {
      // bit flips anywhere
      const flips = 1 + int(rng, 8);
      for (let i = 0; i < flips; i++) file[int(rng, file.length)] ^= 1 << int(rng, 8);
      return file;
    }
    case 1: {
      // bit flips inside the header
      const flips = 1 + int(rng, 4);
      for (let i = 0; i < flips; i++) file[8 + int(rng, end - 8)] ^= 1 << int(rng, 8);
      return file;
    }
    case 2:
      // truncation
      return file.subarray(0, int(rng, file.length));
    case 3: {
      // extra bytes appended
      const extra = Uint8Array.from({ length: 1 + int(rng, 16) }, () => int(rng, 256));
      const out = new Uint8Array(file.length + extra.length);
      out.set(file);
      out.set(extra, file.length);
      return out;
    }
    case 4: {
      // length field edits: small deltas, random values, high word
      const choice = int(rng, 3);
      if (choice === 0) view.setUint32(0, Math.max(0, view.getUint32(0, true) + int(rng, 33) - 16), true);
      else if (choice === 1) view.setUint32(0, int(rng, 2 ** 32), true);
      else view.setUint32(4, 1 + int(rng, 2 ** 32 - 1), true);
      return file;
    }
    case 5: {
      // replace one header byte with a JSON-significant character, keeping the length field
      file[8 + int(rng, end - 8)] = HEADER_TOKENS[int(rng, 11)].charCodeAt(0);
      return file;
    }
    case 6: {
      // splice a token into the header text and fix the length field to match
      const text = new TextDecoder().decode(file.subarray(8, end));
      const at = int(rng, text.length + 1);
      const removed = int(rng, 4);
      const edited = text.slice(0, at) + HEADER_TOKENS[int(rng, HEADER_TOKENS.length)] + text.slice(at + removed);
      const header = new TextEncoder().encode(edited);
      const out = new Uint8Array(8 + header.length + (file.length - end));
      new DataView(out.buffer).setUint32(0, header.length, true);
      out.set(header, 8);
      out.set(file.subarray(end), 8 + header.length);
      return out;
    }
    default: {
      // rewrite one number in the header (shape dims or offsets)
      const text = new TextDecoder().decode(file.subarray(8, end));
      const numbers = [...text.matchAll(/\d+/g)];
      if (numbers.length === 0) return file;
      const target = numbers[int(rng, numbers.length)];
      const replacement = String([0, 1, 2, 3, 7, 8, 9, 36, 144, 2 ** 31, 2 ** 53, -1][int(rng, 12)]);
      const edited = text.slice(0, target.index) + replacement + text.slice((target.index ?? 0) + target[0].length);
      const header = new TextEncoder().encode(edited);
      const out = new Uint8Array(8 + header.length + (file.length - end));
      new DataView(out.buffer).setUint32(0, header.length, true);
      out.set(header, 8);
      out.set(file.subarray(end), 8 + header.length);
      return out;
    }
  }
}

/** Invariants any accepted file must satisfy, checked without the reader's own helpers. */
function checkAccepted(file: SafetensorsFile, size: number): void {
  let total = 0;
  for (const tensor of file.tensors.values()) {
    const elements = tensor.shape.reduce((a, b) => a * b, 1);
    expect(tensor.data.length).toBe(elements);
    total += tensor.data.byteLength;
  }
  expect(total).toBeLessThanOrEqual(size);
  for (const value of Object.values(file.metadata)) expect(typeof value).toBe('string');
}

describe('readSafetensors under fuzzing', () => {
  it('throws nothing but SafetensorsError on 3000 mutated valid files', () => {
    const rng = seedrandom('safetensors-fuzz-1');
    const bases = validFiles();
    const outcomes = { accepted: 0, rejected: 0 };
    const codes = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const mutant = mutate(bases[i % bases.length], rng);
      const options = { rejectNonFinite: rng() < 0.5, copy: rng() < 0.5, maxBytes: rng() < 0.05 ? 64 : undefined };
      try {
        checkAccepted(readSafetensors(mutant, options), mutant.length);
        outcomes.accepted++;
      } catch (error) {
        if (!(error instanceof SafetensorsError)) {
          throw new Error(`mutant ${i} raised ${String(error)}; bytes: ${Array.from(mutant.subarray(0, 300)).join(',')}`);
        }
        expect(error.message.length).toBeGreaterThan(13);
        codes.add(error.code);
        outcomes.rejected++;
      }
    }
    // The mutations must actually exercise the validator, not just one early check.
    expect(outcomes.rejected).toBeGreaterThan(1500);
    expect(codes.size).toBeGreaterThanOrEqual(10);
  });
});
