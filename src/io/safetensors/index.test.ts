import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  parseMetadataJson,
  readSafetensors,
  requireTensor,
  SafetensorsError,
  writeSafetensors,
  type SafeTensor,
} from './index';
import { assembleSafetensors, float32Bytes } from './fixtures';

function thrown(action: () => unknown): SafetensorsError {
  try {
    action();
  } catch (error) {
    if (error instanceof SafetensorsError) return error;
    throw error;
  }
  throw new Error('expected a SafetensorsError');
}

describe('writeSafetensors', () => {
  it('produces exactly the documented bytes for a small file', () => {
    const file = writeSafetensors(
      {
        bias: { dtype: 'U8', shape: [3], data: new Uint8Array([1, 2, 255]) },
        w: { dtype: 'F32', shape: [2], data: new Float32Array([1.5, -2]) },
      },
      { format: 'bnn' },
    );
    const json =
      '{"__metadata__":{"format":"bnn"},' +
      '"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
      '"bias":{"dtype":"U8","shape":[3],"data_offsets":[8,11]}}';
    const padded = json + ' '.repeat((8 - (json.length % 8)) % 8);
    expect(padded.length % 8).toBe(0);
    const expected = [
      ...[padded.length, 0, 0, 0, 0, 0, 0, 0],
      ...Array.from(padded, (c) => c.charCodeAt(0)),
      ...[0x00, 0x00, 0xc0, 0x3f], // 1.5f
      ...[0x00, 0x00, 0x00, 0xc0], // -2f
      ...[1, 2, 255],
    ];
    expect(Array.from(file)).toEqual(expected);
  });

  it('is canonical: insertion order does not change the bytes', () => {
    const a: SafeTensor = { dtype: 'F32', shape: [1], data: new Float32Array([1]) };
    const b: SafeTensor = { dtype: 'I32', shape: [1], data: new Int32Array([-1]) };
    const c: SafeTensor = { dtype: 'U8', shape: [2], data: new Uint8Array([4, 5]) };
    const first = writeSafetensors(new Map<string, SafeTensor>([['a', a], ['b', b], ['c', c]]), { y: '2', x: '1' });
    const second = writeSafetensors([['c', c], ['b', b], ['a', a]], { x: '1', y: '2' });
    expect(first).toEqual(second);
  });

  it('aligns the data start to 8 bytes and each tensor to its element size', () => {
    const file = writeSafetensors({
      u: { dtype: 'U8', shape: [3], data: new Uint8Array(3) },
      h: { dtype: 'F16', shape: [1], data: new Uint16Array(1) },
      f: { dtype: 'F32', shape: [1], data: new Float32Array(1) },
      d: { dtype: 'F64', shape: [1], data: new Float64Array(1) },
    });
    const headerLength = new DataView(file.buffer).getUint32(0, true);
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLength))) as Record<
      string,
      { data_offsets: [number, number] }
    >;
    expect(header.d.data_offsets).toEqual([0, 8]);
    expect(header.f.data_offsets).toEqual([8, 12]);
    expect(header.h.data_offsets).toEqual([12, 14]);
    expect(header.u.data_offsets).toEqual([14, 17]);
  });

  it.each([
    [{ x: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } }, 'needs 4 elements but data has 3'],
    [{ x: { dtype: 'F32', shape: [3], data: new Uint8Array(3) } }, 'F32 data must be a Float32Array'],
    [{ x: { dtype: 'Q4', shape: [3], data: new Uint8Array(3) } }, "unknown dtype 'Q4'"],
    [{ x: { dtype: 'U8', shape: [-3], data: new Uint8Array(3) } }, 'invalid dimension -3'],
    [{ __metadata__: { dtype: 'U8', shape: [1], data: new Uint8Array(1) } }, "'__metadata__' is reserved"],
    [{ ['constructor']: { dtype: 'U8', shape: [1], data: new Uint8Array(1) } }, "'constructor' is not allowed"],
  ])('refuses bad input %#', (tensors, fragment) => {
    const error = thrown(() => writeSafetensors(tensors as unknown as Record<string, SafeTensor>));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(fragment);
  });

  it('refuses duplicate names and non-string metadata', () => {
    const t: SafeTensor = { dtype: 'U8', shape: [1], data: new Uint8Array(1) };
    expect(thrown(() => writeSafetensors([['a', t], ['a', t]])).message).toContain("duplicate tensor name 'a'");
    expect(thrown(() => writeSafetensors({}, { n: 3 } as unknown as Record<string, string>)).message).toContain(
      "metadata value for 'n' must be a string",
    );
  });
});

describe('readSafetensors', () => {
  const tensors: Record<string, SafeTensor> = {
    'stem.conv.w': { dtype: 'F32', shape: [3, 3, 1, 2], data: Float32Array.from({ length: 18 }, (_, i) => i / 4 - 2) },
    'block.bits': { dtype: 'U8', shape: [2, 5], data: Uint8Array.from([0, 1, 2, 127, 128, 200, 250, 251, 254, 255]) },
    counts: { dtype: 'I32', shape: [3], data: new Int32Array([-2147483648, 0, 2147483647]) },
    scalar: { dtype: 'F32', shape: [], data: new Float32Array([Math.PI]) },
    empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
    wide: { dtype: 'F64', shape: [2], data: new Float64Array([1e-300, -7.25]) },
    big: { dtype: 'I64', shape: [2], data: new BigInt64Array([-(2n ** 63n), 2n ** 40n]) },
    half: { dtype: 'F16', shape: [2], data: new Uint16Array([0x3c00, 0xc000]) },
    small: { dtype: 'I8', shape: [2], data: new Int8Array([-128, 127]) },
    words: { dtype: 'U32', shape: [1], data: new Uint32Array([0xdeadbeef]) },
  };
  const metadata = { format: 'bnn-playground', version: '1', note: 'üñí€😀 "quoted"' };

  it('round-trips every tensor, shape, dtype and metadata value', () => {
    const file = readSafetensors(writeSafetensors(tensors, metadata));
    expect([...file.tensors.keys()].sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, tensor] of Object.entries(tensors)) {
      const read = file.tensors.get(name);
      expect(read?.dtype).toBe(tensor.dtype);
      expect(read?.shape).toEqual(tensor.shape);
      expect(read?.data).toEqual(tensor.data);
    }
    expect({ ...file.metadata }).toEqual(metadata);
    expect(Object.getPrototypeOf(file.metadata)).toBeNull();
  });

  it('reads a hand-assembled file', () => {
    const data = new Uint8Array([...float32Bytes([0.5, -1, 3]), 9, 8]);
    const file = readSafetensors(
      assembleSafetensors(
        '{"b":{"dtype":"U8","shape":[2],"data_offsets":[12,14]},"a":{"dtype":"F32","shape":[3,1],"data_offsets":[0,12]}}',
        data,
      ),
    );
    expect([...file.tensors.keys()]).toEqual(['a', 'b']); // data-offset order
    expect(Array.from(file.tensors.get('a')?.data as Float32Array)).toEqual([0.5, -1, 3]);
    expect(Array.from(file.tensors.get('b')?.data as Uint8Array)).toEqual([9, 8]);
    expect({ ...file.metadata }).toEqual({});
  });

  it('accepts an ArrayBuffer and a misaligned Uint8Array view, copying where needed', () => {
    const bytes = writeSafetensors(tensors, metadata);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const fromView = readSafetensors(shifted.subarray(1));
    const fromBuffer = readSafetensors(bytes.slice().buffer);
    for (const [name, tensor] of Object.entries(tensors)) {
      expect(fromView.tensors.get(name)?.data).toEqual(tensor.data);
      expect(fromBuffer.tensors.get(name)?.data).toEqual(tensor.data);
    }
    expect(fromView.tensors.get('stem.conv.w')?.data.buffer).not.toBe(shifted.buffer);
  });

  it('returns views by default and independent copies with copy: true', () => {
    const bytes = writeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } });
    const viewed = readSafetensors(bytes).tensors.get('w');
    const copied = readSafetensors(bytes, { copy: true }).tensors.get('w');
    expect(viewed?.data.buffer).toBe(bytes.buffer);
    expect(copied?.data.buffer).not.toBe(bytes.buffer);
    bytes.fill(0, bytes.length - 8);
    expect(Array.from(viewed?.data as Float32Array)).toEqual([0, 0]);
    expect(Array.from(copied?.data as Float32Array)).toEqual([1, 2]);
  });

  it('accepts non-finite floats unless asked to reject them', () => {
    const bytes = writeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array([1, Infinity]) } });
    expect(readSafetensors(bytes).tensors.get('w')?.data[1]).toBe(Infinity);
    expect(thrown(() => readSafetensors(bytes, { rejectNonFinite: true })).message).toContain(
      "tensor 'w' (F32) contains an infinity at element 1",
    );
  });

  it.each([
    ['F64', new Float64Array([0, -Infinity]), 'an infinity at element 1'],
    ['F16', new Uint16Array([0x3c00, 0x7e00]), 'NaN at element 1'],
    ['F16', new Uint16Array([0xfc00]), 'an infinity at element 0'],
    ['BF16', new Uint16Array([0x3f80, 0x7fc0]), 'NaN at element 1'],
  ] as const)('rejects non-finite %s values when asked', (dtype, data, fragment) => {
    const tensor = { dtype, shape: [data.length], data } as SafeTensor;
    const error = thrown(() => readSafetensors(writeSafetensors({ t: tensor }), { rejectNonFinite: true }));
    expect(error.code).toBe('non_finite');
    expect(error.message).toContain(fragment);
  });
});

describe('requireTensor', () => {
  const file = readSafetensors(
    writeSafetensors({ w: { dtype: 'F32', shape: [2, 3], data: new Float32Array(6) } }),
  );

  it('returns the tensor when name, dtype and shape match', () => {
    expect(requireTensor(file, 'w', 'F32', [2, 3]).data).toBeInstanceOf(Float32Array);
  });

  it('names the missing or mismatched tensor', () => {
    expect(thrown(() => requireTensor(file, 'v', 'F32')).message).toContain("file has no tensor 'v'");
    expect(thrown(() => requireTensor(file, 'w', 'U8')).message).toContain("tensor 'w' has dtype F32, expected U8");
    expect(thrown(() => requireTensor(file, 'w', 'F32', [3, 2])).message).toContain(
      "tensor 'w' has shape [2,3], expected [3,2]",
    );
  });
});

describe('parseMetadataJson', () => {
  const schema = z.object({ layers: z.array(z.object({ op: z.string(), inputs: z.array(z.string()) })) });
  const metadata = {
    arch: '{"layers":[{"op":"conv","inputs":["x"]}]}',
    dup: '{"layers":[],"layers":[]}',
    proto: '{"layers":[],"__proto__":{"admin":true}}',
    wrong: '{"layers":[{"op":3,"inputs":["x"]}]}',
    broken: '{"layers":',
  };

  it('parses a JSON string value through the schema', () => {
    expect(parseMetadataJson(metadata, 'arch', schema)).toEqual({ layers: [{ op: 'conv', inputs: ['x'] }] });
  });

  it.each([
    ['missing', "__metadata__ has no 'missing' entry"],
    ['dup', `__metadata__ 'dup' is not acceptable JSON: duplicate key "layers"`],
    ['proto', 'forbidden key "__proto__"'],
    ['broken', "__metadata__ 'broken' is not acceptable JSON: unexpected end of input"],
    ['wrong', "__metadata__ 'wrong' does not match its schema: layers.0.op:"],
  ])('rejects %s', (key, fragment) => {
    const error = thrown(() => parseMetadataJson(metadata, key, schema));
    expect(error.code).toBe('metadata_json');
    expect(error.message).toContain(fragment);
  });
});

describe('Node Buffer input', () => {
  it('reads tensors at unaligned offsets of a pooled Buffer correctly', async () => {
    const { Buffer } = await import('node:buffer');
    const { writeSafetensors: write, readSafetensors: read } = await import('./index');
    const values = Float32Array.from([1.5, -2, 3.25, 7]);
    const file = write({ t: { dtype: 'F32', shape: [4], data: values } });
    // A Buffer one byte into a larger allocation: the data is misaligned, so the reader copies.
    const big = Buffer.alloc(file.length + 1);
    big.set(file, 1);
    const got = read(big.subarray(1));
    expect(Array.from(got.tensors.get('t')!.data as Float32Array)).toEqual([1.5, -2, 3.25, 7]);
  });
});
