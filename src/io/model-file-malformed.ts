import { readSafetensors, writeSafetensors, type SafeTensor } from './safetensors';
import type { ModelFileErrorCode } from './model-file-error';

/**
 * Version-2 model files spoilt in one way each, with the error import must give. Shared by the
 * importer's tests and the Python reader's tests (which get them as files): `python` is the code
 * the Python reader gives, or null where only the app's check of the op list against the graph
 * its config implies catches the damage, and the file is still a runnable model.
 *
 * Longer than most files on purpose: it is one table with an entry per rule of the format, in the
 * doc's order, so a reader can check the rules against it in one place.
 */
export interface MalformedModelCase {
  what: string;
  /** The good file it starts from: a binary IR-Net with latent weights, or a full-precision model. */
  base: 'binary' | 'full';
  spoil: (good: Uint8Array) => Uint8Array;
  code: ModelFileErrorCode;
  message: RegExp;
  python: ModelFileErrorCode | null;
}

type Edit = (tensors: Map<string, SafeTensor>, meta: Record<string, string>) => void;

/** Re-writes a file after editing its tensors and metadata (the writer keeps the container valid). */
export function tamper(bytes: Uint8Array, edit: Edit): Uint8Array {
  const f = readSafetensors(bytes, { copy: true });
  const tensors = new Map(f.tensors);
  const meta = { ...f.metadata };
  edit(tensors, meta);
  return writeSafetensors(tensors, meta);
}

/** The header as text and the data bytes. */
function split(bytes: Uint8Array): { header: string; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  return { header: new TextDecoder().decode(bytes.subarray(8, 8 + n)), data: bytes.subarray(8 + n) };
}

/** Assembles a file from header text as given (no padding added) and data. */
function assemble(header: string, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const edit = (f: Edit) => (good: Uint8Array) => tamper(good, f);
const ops = (f: (lines: string[]) => void): Edit => (_, meta) => {
  const lines = meta.ops.split('\n');
  f(lines);
  meta.ops = lines.join('\n');
};
const replaceLine = (from: string, to: string): Edit =>
  ops((lines) => {
    const i = lines.indexOf(from);
    if (i < 0) throw new Error(`no op line '${from}'`);
    lines[i] = to;
  });
const json = (key: string, f: (value: Record<string, unknown>) => void): Edit => (_, meta) => {
  const value = JSON.parse(meta[key]) as Record<string, unknown>;
  f(value);
  meta[key] = JSON.stringify(value);
};
const setF32 = (name: string, at: number, value: number): Edit => (t) => {
  const d = Float32Array.from(t.get(name)!.data as Float32Array);
  d[at] = value;
  t.set(name, { dtype: 'F32', shape: [d.length], data: d });
};

/** Element offsets of named parameters in `params` for the base files (ResNet-8, w = 8, IR-Net). */
export const BINARY_PARAM_OFFSETS = {
  /** stem.conv.w (72) · stem.bn (4 × 8) · s1.b0.conv1.scale (8) · s1.b0.bn1 γ β μ, then σ². */
  s1b0bn1Variance: 72 + 32 + 8 + 24,
};

export const MALFORMED_MODEL_CASES: MalformedModelCase[] = [
  {
    what: 'stride removed from a strided conv',
    base: 'binary',
    spoil: edit(replaceLine('bconv2d s2.b0.conv1 out=16 stride=2 scale=1', 'bconv2d s2.b0.conv1 out=16 scale=1')),
    code: 'architecture',
    message: /line 12 \(s2\.b0\.conv1\): stride is 1 in the file, expected 2/,
    python: 'architecture',
  },
  {
    what: 'activation op removed',
    base: 'binary',
    spoil: edit(ops((lines) => void lines.splice(lines.indexOf('hardtanh s3.b0.act2'), 1))),
    code: 'architecture',
    message: /the file has global_avgpool 'head\.pool', expected hardtanh 's3\.b0\.act2'/,
    python: null,
  },
  {
    what: 'residual rewired to another tensor of the same shape',
    base: 'binary',
    spoil: edit(replaceLine('add s1.b0.add2 in=s1.b0.bn2,s1.b0.act1', 'add s1.b0.add2 in=s1.b0.bn2,stem.act')),
    code: 'architecture',
    message: /\(s1\.b0\.add2\): inputs are s1\.b0\.bn2,stem\.act in the file, expected s1\.b0\.bn2,s1\.b0\.act1/,
    python: null,
  },
  {
    what: 'BatchNorm epsilon changed',
    base: 'binary',
    spoil: edit(replaceLine('batchnorm stem.bn', 'batchnorm stem.bn eps=0.001')),
    code: 'architecture',
    message: /line 2 \(stem\.bn\): eps is 0\.001 in the file, expected 0\.00001/,
    python: null,
  },
  {
    what: 'scale flag dropped from a binary conv of a scaled transform',
    base: 'binary',
    spoil: edit(replaceLine('bconv2d s1.b0.conv2 out=8 scale=1', 'bconv2d s1.b0.conv2 out=8')),
    code: 'architecture',
    message: /\(s1\.b0\.conv2\): scale is 0 in the file, expected 1/,
    python: 'architecture',
  },
  {
    what: 'RSign before a binary conv of a config without rsign',
    base: 'binary',
    spoil: edit(ops((lines) => void lines.splice(lines.indexOf('bconv2d s1.b0.conv1 out=8 scale=1'), 0, 'rsign s1.b0.rsign1'))),
    code: 'architecture',
    message: /line 4: the file has rsign 's1\.b0\.rsign1', expected bconv2d 's1\.b0\.conv1'/,
    python: 'tensor_mismatch',
  },
  {
    what: "RPReLU in place of hardtanh when the config's blockActivation is hardtanh",
    base: 'binary',
    spoil: edit(replaceLine('hardtanh s1.b0.act1', 'rprelu s1.b0.act1')),
    code: 'architecture',
    message: /the file has rprelu 's1\.b0\.act1', expected hardtanh 's1\.b0\.act1'/,
    python: 'tensor_mismatch',
  },
  {
    what: 'unknown attribute',
    base: 'binary',
    spoil: edit(replaceLine('hardtanh stem.act', 'hardtanh stem.act alpha=1')),
    code: 'architecture',
    message: /op list is malformed: line 3 \(stem\.act\): hardtanh has no attribute 'alpha'/,
    python: 'architecture',
  },
  {
    what: 'unknown op',
    base: 'binary',
    spoil: edit(replaceLine('hardtanh stem.act', 'relu stem.act')),
    code: 'architecture',
    message: /line 3: unknown op 'relu'/,
    python: 'architecture',
  },
  {
    what: 'attribute given twice',
    base: 'binary',
    spoil: edit(replaceLine('bconv2d s1.b0.conv1 out=8 scale=1', 'bconv2d s1.b0.conv1 out=8 out=8 scale=1')),
    code: 'architecture',
    message: /'out' is given twice/,
    python: 'architecture',
  },
  {
    what: 'tokens separated by two spaces',
    base: 'binary',
    spoil: edit(replaceLine('batchnorm stem.bn', 'batchnorm  stem.bn')),
    code: 'architecture',
    message: /line 2: tokens must be separated by single spaces/,
    python: 'architecture',
  },
  {
    what: 'input that no earlier op produced',
    base: 'binary',
    spoil: edit(replaceLine('add s1.b0.add1 in=s1.b0.bn1,stem.act', 'add s1.b0.add1 in=s1.b0.bn1,s1.b0.act2')),
    code: 'architecture',
    message: /input 's1\.b0\.act2' is not the output of an earlier op/,
    python: 'architecture',
  },
  {
    what: 'op list missing',
    base: 'binary',
    spoil: edit((_, meta) => void delete meta.ops),
    code: 'architecture',
    message: /__metadata__ has no 'ops' entry/,
    python: 'architecture',
  },
  {
    what: 'params one element short',
    base: 'binary',
    spoil: edit((t) => {
      const d = (t.get('params')!.data as Float32Array).slice(0, -1);
      t.set('params', { dtype: 'F32', shape: [d.length], data: d });
    }),
    code: 'tensor_mismatch',
    message: /tensor 'params' has shape \[\d+\], expected \[\d+\]/,
    python: 'tensor_mismatch',
  },
  {
    what: 'bits missing',
    base: 'binary',
    spoil: edit((t) => void t.delete('bits')),
    code: 'missing_tensor',
    message: /file has no tensor 'bits'/,
    python: 'missing_tensor',
  },
  {
    what: 'bits stored as F32',
    base: 'binary',
    spoil: edit((t) => {
      const n = t.get('bits')!.data.length;
      t.set('bits', { dtype: 'F32', shape: [n], data: new Float32Array(n) });
    }),
    code: 'tensor_mismatch',
    message: /tensor 'bits' has dtype F32, expected U8/,
    python: 'tensor_mismatch',
  },
  {
    what: 'latent one element long',
    base: 'binary',
    spoil: edit((t) => {
      const old = t.get('latent')!.data as Float32Array;
      const d = new Float32Array(old.length + 1);
      d.set(old);
      t.set('latent', { dtype: 'F32', shape: [d.length], data: d });
    }),
    code: 'tensor_mismatch',
    message: /tensor 'latent' has shape/,
    python: 'tensor_mismatch',
  },
  {
    what: 'extra tensor',
    base: 'binary',
    spoil: edit((t) => void t.set('s1.b0.conv1.w', { dtype: 'U8', shape: [1], data: new Uint8Array(1) })),
    code: 'unexpected_tensor',
    message: /unexpected tensor 's1\.b0\.conv1\.w'/,
    python: 'unexpected_tensor',
  },
  {
    what: 'latent weights in a full-precision model',
    base: 'full',
    spoil: edit((t) => void t.set('latent', { dtype: 'F32', shape: [4], data: new Float32Array(4) })),
    code: 'unexpected_tensor',
    message: /a full-precision model has no latent weights/,
    python: 'unexpected_tensor',
  },
  {
    what: 'bits in a full-precision model',
    base: 'full',
    spoil: edit((t) => void t.set('bits', { dtype: 'U8', shape: [4], data: new Uint8Array(4) })),
    code: 'unexpected_tensor',
    message: /unexpected tensor 'bits': the op list has no binary conv/,
    python: 'unexpected_tensor',
  },
  {
    what: 'NaN parameter',
    base: 'binary',
    spoil: edit(setF32('params', 3, NaN)),
    code: 'safetensors_non_finite',
    message: /tensor 'params' \(F32\) contains NaN at element 3/,
    python: 'safetensors_non_finite',
  },
  {
    what: 'infinite latent weight',
    base: 'binary',
    spoil: edit(setF32('latent', 10, -Infinity)),
    code: 'safetensors_non_finite',
    message: /tensor 'latent' \(F32\) contains an infinity at element 10/,
    python: 'safetensors_non_finite',
  },
  {
    what: 'negative BatchNorm variance',
    base: 'binary',
    spoil: edit(setF32('params', BINARY_PARAM_OFFSETS.s1b0bn1Variance + 2, -1)),
    code: 'bad_value',
    message: /'s1\.b0\.bn1\.variance' \(element \d+ of 'params'\) holds a negative variance \(-1\)/,
    python: 'bad_value',
  },
  {
    what: 'negative binary scale',
    base: 'binary',
    spoil: edit(setF32('params', 72 + 32 + 1, -0.5)),
    code: 'bad_value',
    message: /'s1\.b0\.conv1\.scale' \(element 105 of 'params'\) holds a negative scale \(-0\.5\)/,
    python: 'bad_value',
  },
  {
    what: 'unknown format version',
    base: 'binary',
    spoil: edit((_, m) => void (m.format_version = '3')),
    code: 'format_version',
    message: /unsupported format version '3'; this app reads versions 1 and 2/,
    python: 'format_version',
  },
  {
    what: 'format version missing',
    base: 'binary',
    spoil: edit((_, m) => void delete m.format_version),
    code: 'format_version',
    message: /unsupported format version missing/,
    python: 'format_version',
  },
  {
    what: 'another format',
    base: 'binary',
    spoil: edit((_, m) => void (m.format = 'pt')),
    code: 'not_model_file',
    message: /not a BNN Playground model: __metadata__ format is 'pt'/,
    python: 'not_model_file',
  },
  {
    what: 'invalid config value',
    base: 'binary',
    spoil: edit(json('config', (c) => void (c.depth = 9))),
    code: 'config',
    message: /run config is invalid: depth/,
    python: 'config',
  },
  {
    what: 'config not JSON',
    base: 'binary',
    spoil: edit((_, m) => void (m.config = '{depth: 8')),
    code: 'config',
    message: /'config' is not acceptable JSON/,
    python: 'config',
  },
  {
    what: 'config repeating the dataset',
    base: 'binary',
    spoil: edit(json('config', (c) => void (c.dataset = 'mnist'))),
    code: 'config',
    message: /config must not hold 'dataset'/,
    python: 'config',
  },
  {
    what: 'duplicate key inside the config JSON',
    base: 'binary',
    spoil: edit((_, m) => void (m.config = '{"width":8,"width":8}')),
    code: 'config',
    message: /duplicate key "width"/,
    python: 'config',
  },
  {
    what: 'class names shortened',
    base: 'binary',
    spoil: edit(json('dataset', (d) => void (d.classNames = (d.classNames as string[]).slice(0, 9)))),
    code: 'architecture',
    message: /\(head\.fc\): out is 10 in the file, expected 9/,
    python: 'architecture',
  },
  {
    what: 'dataset name with another input shape',
    base: 'binary',
    spoil: edit(json('dataset', (d) => void (d.name = 'cifar10'))),
    code: 'dataset',
    message: /input shape \[28,28,1\] does not match cifar10's \[32,32,3\]/,
    python: 'dataset',
  },
  {
    what: 'zero std',
    base: 'binary',
    spoil: edit(json('dataset', (d) => void (d.std = [0]))),
    code: 'dataset',
    message: /std\.0: must be positive/,
    python: 'dataset',
  },
  {
    what: 'accuracy out of range',
    base: 'binary',
    spoil: edit((_, m) => void (m.test_accuracy = '1.5')),
    code: 'metadata',
    message: /test_accuracy' does not match its schema/,
    python: 'metadata',
  },
  {
    what: 'header not padded to a multiple of 8 bytes',
    base: 'binary',
    spoil: (good) => {
      const { header, data } = split(good);
      const trimmed = header.trimEnd();
      return assemble(trimmed.length % 8 === 0 ? `${trimmed}${' '.repeat(7)}` : trimmed, data);
    },
    code: 'header_padding',
    message: /it must be padded with spaces to a multiple of 8/,
    python: 'header_padding',
  },
  {
    what: 'header padded with newlines',
    base: 'binary',
    spoil: (good) => {
      const { header, data } = split(good);
      const trimmed = header.trimEnd();
      return assemble(trimmed + '\n'.repeat(8 - (trimmed.length % 8)), data);
    },
    code: 'header_padding',
    message: /padded by spaces \(0x20\) only/,
    python: 'header_padding',
  },
  {
    what: 'duplicate metadata key',
    base: 'binary',
    spoil: (good) => {
      const { header, data } = split(good);
      const text = header.trimEnd().replace('"format":"bnn-playground"', '"format":"bnn-playground","format":"bnn-playground"');
      return assemble(text + ' '.repeat((8 - (text.length % 8)) % 8), data);
    },
    code: 'safetensors_duplicate_key',
    message: /duplicate key "format"/,
    python: 'safetensors_duplicate_key',
  },
  {
    what: 'trailing bytes after the tensors',
    base: 'binary',
    spoil: (good) => {
      const out = new Uint8Array(good.length + 4);
      out.set(good);
      return out;
    },
    code: 'safetensors_trailing_bytes',
    message: /4 trailing bytes after the last tensor/,
    python: 'safetensors_trailing_bytes',
  },
];
