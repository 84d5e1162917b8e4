import { BN_EPSILON, INPUT, type Architecture, type LayerOp } from '../bnn/model/architecture';

/**
 * The op list of a version-2 model file (docs/EXPORT_FORMAT.md §3): one op per line,
 *   <kind> <name> [key=value ...]
 * with every attribute that equals its default left out and a single input left out when it is
 * the previous op's output. Compact enough that the header stays small next to packed bits, and
 * still the whole graph: a reader runs the model from it and the doc alone.
 */

export const OP_KINDS = [
  'conv2d',
  'bconv2d',
  'dwconv2d',
  'batchnorm',
  'hardtanh',
  'add',
  'shortcut_a',
  'avgpool',
  'concat',
  'slice_channels',
  'global_avgpool',
  'dense',
  'rsign',
  'rprelu',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** One op with every attribute explicit (defaults filled in) and its inputs listed. */
export interface OpLine {
  kind: OpKind;
  name: string;
  inputs: string[];
  attrs: Record<string, number>;
}

type AttrType = 'count' | 'size' | 'flag' | 'epsilon';
interface AttrSpec {
  type: AttrType;
  /** The value when the key is absent; a function of the other attributes; null = required. */
  default: number | ((attrs: Record<string, number>) => number) | null;
}
interface OpSpec {
  /** 'one': `in` optional (default the previous op's output); 'two' / 'many': `in` required. */
  inputs: 'one' | 'two' | 'many';
  /** In writing order; defaults may only refer to attributes listed before them. */
  attrs: Record<string, AttrSpec>;
}

const samePad = (a: Record<string, number>): number => Math.floor((a.k - 1) / 2);
const convAttrs: Record<string, AttrSpec> = {
  out: { type: 'count', default: null },
  k: { type: 'count', default: 3 },
  stride: { type: 'count', default: 1 },
  pad: { type: 'size', default: samePad },
};

export const OP_SPECS: Readonly<Record<OpKind, OpSpec>> = {
  conv2d: { inputs: 'one', attrs: convAttrs },
  bconv2d: { inputs: 'one', attrs: { ...convAttrs, scale: { type: 'flag', default: 0 } } },
  dwconv2d: { inputs: 'one', attrs: { mult: { type: 'count', default: null }, k: { type: 'count', default: 3 }, pad: { type: 'size', default: samePad } } },
  batchnorm: { inputs: 'one', attrs: { eps: { type: 'epsilon', default: BN_EPSILON } } },
  hardtanh: { inputs: 'one', attrs: {} },
  add: { inputs: 'two', attrs: {} },
  shortcut_a: { inputs: 'one', attrs: { stride: { type: 'count', default: 1 }, before: { type: 'size', default: 0 }, after: { type: 'size', default: 0 } } },
  avgpool: { inputs: 'one', attrs: { size: { type: 'count', default: null } } },
  concat: { inputs: 'many', attrs: {} },
  slice_channels: { inputs: 'one', attrs: { count: { type: 'count', default: null } } },
  global_avgpool: { inputs: 'one', attrs: {} },
  dense: { inputs: 'one', attrs: { out: { type: 'count', default: null } } },
  rsign: { inputs: 'one', attrs: {} },
  rprelu: { inputs: 'one', attrs: {} },
};

/** Op and tensor names: letters, digits, '.', '_', '-'; at most 200 characters. */
const NAME = /^[A-Za-z0-9_.-]{1,200}$/;
const INTEGER = /^(0|[1-9][0-9]{0,8})$/;
/** A JSON number without a sign: the epsilon's spelling. */
const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
export const MAX_OPS = 10_000;

/** A malformed op list; `message` names the line and what is wrong. */
export class OpsSyntaxError extends Error {
  override name = 'OpsSyntaxError';
}

/** The app's graph as version-2 op lines (every attribute explicit). */
export function opLinesOf(arch: Architecture, withScale: boolean): OpLine[] {
  return arch.ops.map((op) => lineOf(op, withScale));
}

function lineOf(op: LayerOp, withScale: boolean): OpLine {
  const one = (attrs: Record<string, number>, kind: OpKind = op.op as OpKind): OpLine => ({
    kind,
    name: op.name,
    inputs: [(op as { input: string }).input],
    attrs,
  });
  if (op.output !== op.name) throw new Error(`op '${op.name}' writes '${op.output}'; the file format needs output = name`);
  switch (op.op) {
    case 'conv2d': {
      const attrs = { out: op.cout, k: op.kernel, stride: op.stride, pad: op.pad };
      return op.binary ? one({ ...attrs, scale: withScale ? 1 : 0 }, 'bconv2d') : one(attrs);
    }
    case 'dwconv2d':
      return one({ mult: op.multiplier, k: op.kernel, pad: op.pad });
    case 'batchnorm':
      return one({ eps: BN_EPSILON });
    case 'hardtanh':
    case 'global_avgpool':
    case 'rsign':
    case 'rprelu':
      return one({});
    case 'add':
      return { kind: 'add', name: op.name, inputs: [...op.inputs], attrs: {} };
    case 'concat':
      return { kind: 'concat', name: op.name, inputs: [...op.inputs], attrs: {} };
    case 'shortcut_a':
      return one({ stride: op.stride, before: op.padBefore, after: op.padAfter });
    case 'avgpool':
      return one({ size: op.size });
    case 'slice_channels':
      return one({ count: op.count });
    case 'dense':
      return one({ out: op.cout });
  }
}

/** The op list's text: defaults and the implicit input left out, lines joined by '\n'. */
export function encodeOps(lines: readonly OpLine[]): string {
  let previous = INPUT;
  const out: string[] = [];
  for (const line of lines) {
    const spec = OP_SPECS[line.kind];
    const tokens = [line.kind, line.name];
    if (spec.inputs !== 'one' || line.inputs[0] !== previous) tokens.push(`in=${line.inputs.join(',')}`);
    for (const [key, a] of Object.entries(spec.attrs)) {
      const value = line.attrs[key];
      if (value === undefined) throw new Error(`op '${line.name}' lacks attribute '${key}'`);
      if (value !== defaultOf(a, line.attrs)) tokens.push(`${key}=${formatValue(value, a.type)}`);
    }
    out.push(tokens.join(' '));
    previous = line.name;
  }
  return out.join('\n');
}

/**
 * Parses and checks the op list's syntax: known kinds and keys, each key once, well-formed
 * values, unique names, inputs that an earlier op (or the network input) produced. Defaults are
 * filled in. Throws OpsSyntaxError naming the line.
 */
export function parseOps(text: string): OpLine[] {
  if (text === '') throw new OpsSyntaxError('the op list is empty');
  const rows = text.split('\n');
  if (rows.length > MAX_OPS) throw new OpsSyntaxError(`the op list has ${rows.length} lines, more than ${MAX_OPS}`);
  const produced = new Set<string>([INPUT]);
  let previous = INPUT;
  return rows.map((row, i) => {
    const where = `line ${i + 1}`;
    const line = parseLine(row, where, previous);
    for (const input of line.inputs) {
      if (!produced.has(input)) throw new OpsSyntaxError(`${where} (${line.name}): input '${input}' is not the output of an earlier op`);
    }
    if (produced.has(line.name)) throw new OpsSyntaxError(`${where}: the name '${line.name}' is ${line.name === INPUT ? 'reserved for the network input' : 'used twice'}`);
    produced.add(line.name);
    previous = line.name;
    return line;
  });
}

function parseLine(row: string, where: string, previous: string): OpLine {
  if (row === '') throw new OpsSyntaxError(`${where} is empty`);
  const tokens = row.split(' ');
  if (tokens.some((t) => t === '')) throw new OpsSyntaxError(`${where}: tokens must be separated by single spaces`);
  const [kind, name, ...args] = tokens;
  if (!(OP_KINDS as readonly string[]).includes(kind)) throw new OpsSyntaxError(`${where}: unknown op '${short(kind)}' (known: ${OP_KINDS.join(', ')})`);
  const spec = OP_SPECS[kind as OpKind];
  if (name === undefined || !NAME.test(name)) throw new OpsSyntaxError(`${where}: '${short(name ?? '')}' is not a valid op name`);
  const label = `${where} (${name})`;
  const given = new Map<string, string>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new OpsSyntaxError(`${label}: '${short(arg)}' is not key=value`);
    const key = arg.slice(0, eq);
    if (key !== 'in' && !Object.prototype.hasOwnProperty.call(spec.attrs, key)) {
      const known = ['in', ...Object.keys(spec.attrs)].join(', ');
      throw new OpsSyntaxError(`${label}: ${kind} has no attribute '${short(key)}' (it takes ${known})`);
    }
    if (given.has(key)) throw new OpsSyntaxError(`${label}: '${key}' is given twice`);
    given.set(key, arg.slice(eq + 1));
  }
  const inputs = parseInputs(given.get('in'), spec, label, previous);
  const attrs: Record<string, number> = {};
  for (const [key, a] of Object.entries(spec.attrs)) {
    const raw = given.get(key);
    if (raw === undefined) {
      if (a.default === null) throw new OpsSyntaxError(`${label}: ${kind} needs '${key}'`);
      attrs[key] = defaultOf(a, attrs);
    } else {
      attrs[key] = parseValue(raw, a.type, `${label}: ${key}`);
    }
  }
  return { kind: kind as OpKind, name, inputs, attrs };
}

function parseInputs(raw: string | undefined, spec: OpSpec, label: string, previous: string): string[] {
  if (raw === undefined) {
    if (spec.inputs !== 'one') throw new OpsSyntaxError(`${label}: needs its inputs (in=a,b)`);
    return [previous];
  }
  const inputs = raw.split(',');
  for (const input of inputs) if (!NAME.test(input)) throw new OpsSyntaxError(`${label}: '${short(input)}' is not a valid input name`);
  const n = inputs.length;
  if (spec.inputs === 'one' && n !== 1) throw new OpsSyntaxError(`${label}: takes one input, found ${n}`);
  if (spec.inputs === 'two' && n !== 2) throw new OpsSyntaxError(`${label}: takes two inputs, found ${n}`);
  if (spec.inputs === 'many' && n > 64) throw new OpsSyntaxError(`${label}: takes at most 64 inputs, found ${n}`);
  return inputs;
}

function parseValue(raw: string, type: AttrType, label: string): number {
  if (type === 'epsilon') {
    const v = DECIMAL.test(raw) ? Number(raw) : NaN;
    if (!(v > 0 && v <= 1)) throw new OpsSyntaxError(`${label} must be a number in (0, 1], found '${short(raw)}'`);
    return v;
  }
  if (!INTEGER.test(raw)) throw new OpsSyntaxError(`${label} must be a non-negative integer, found '${short(raw)}'`);
  const v = Number(raw);
  if (type === 'count' && v < 1) throw new OpsSyntaxError(`${label} must be at least 1, found ${v}`);
  if (type === 'flag' && v > 1) throw new OpsSyntaxError(`${label} must be 0 or 1, found ${v}`);
  return v;
}

function defaultOf(a: AttrSpec, attrs: Record<string, number>): number {
  if (a.default === null) return NaN;
  return typeof a.default === 'function' ? a.default(attrs) : a.default;
}

function formatValue(v: number, type: AttrType): string {
  // Integers print as integers; the epsilon as the shortest decimal that reads back the same.
  return type === 'epsilon' ? String(v) : String(Math.trunc(v));
}

/**
 * The first place two op lists differ, readably (`line 12 (s2.b0.conv1): stride is 1 in the
 * file, expected 2`), or null when they are equal.
 */
export function firstOpDifference(actual: readonly OpLine[], expected: readonly OpLine[]): string | null {
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i];
    const e = expected[i];
    const where = `line ${i + 1}`;
    if (a.kind !== e.kind || a.name !== e.name) return `${where}: the file has ${a.kind} '${a.name}', expected ${e.kind} '${e.name}'`;
    if (a.inputs.join(',') !== e.inputs.join(',')) return `${where} (${e.name}): inputs are ${a.inputs.join(',')} in the file, expected ${e.inputs.join(',')}`;
    for (const key of Object.keys(e.attrs)) {
      if (a.attrs[key] !== e.attrs[key]) return `${where} (${e.name}): ${key} is ${a.attrs[key]} in the file, expected ${e.attrs[key]}`;
    }
  }
  if (actual.length !== expected.length) return `the file has ${actual.length} ops, expected ${expected.length}`;
  return null;
}

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
