import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, PRESETS, applyPreset, type PresetName, type RunConfig } from '../bnn/config';
import { architectureFor } from '../bnn/model/model';
import { hasBinaryScale } from './model-file-format';
import { OP_KINDS, OP_SPECS, OpsSyntaxError, encodeOps, firstOpDifference, opLinesOf, parseOps } from './model-file-ops';

const configs: RunConfig[] = [];
for (const preset of Object.keys(PRESETS) as PresetName[]) {
  for (const depth of [8, 20] as const) {
    for (const [recovery, ratio] of [['off', 4], ['full', 4], ['compact', 3], ['compact', 4]] as const) {
      configs.push({ ...applyPreset({ ...DEFAULT_CONFIG, depth, width: 16, dataset: 'shapes' }, preset), recovery, recoveryRatio: ratio });
    }
  }
}

describe('the compact op list', () => {
  it.each(configs.map((c) => [`${c.precision} ${c.weightTransform} depth ${c.depth} ${c.recovery}/${c.recoveryRatio}`, c] as const))(
    '%s: encodes and parses back to the same ops',
    (_, cfg) => {
      const lines = opLinesOf(architectureFor(cfg, 10), hasBinaryScale(cfg));
      const text = encodeOps(lines);
      expect(parseOps(text)).toEqual(lines);
      expect(firstOpDifference(parseOps(text), lines)).toBeNull();
      // Nothing that equals its default is written.
      expect(text).not.toMatch(/ k=3\b| stride=1\b| pad=1\b| eps=| scale=0\b| before=0\b/);
    },
  );

  it('writes an input only when it is not the previous op output, and always for add and concat', () => {
    const text = encodeOps(opLinesOf(architectureFor({ ...DEFAULT_CONFIG, depth: 8, width: 8 }, 10), true));
    const lines = text.split('\n');
    expect(lines[0]).toBe('conv2d stem.conv out=8');
    expect(lines[5]).toBe('add s1.b0.add1 in=s1.b0.bn1,stem.act');
    expect(lines.filter((l) => l.includes(' in=')).every((l) => /^(add|concat|shortcut_a) /.test(l))).toBe(true);
  });

  it("ReActNet: an rsign before every binary conv, rprelu for the blocks' activations, neither with attributes", () => {
    const cfg = applyPreset({ ...DEFAULT_CONFIG, depth: 8, width: 8 }, 'reactnet');
    const lines = encodeOps(opLinesOf(architectureFor(cfg, 10), hasBinaryScale(cfg))).split('\n');
    expect(lines.slice(2, 9)).toEqual([
      'hardtanh stem.act',
      'rsign s1.b0.rsign1',
      'bconv2d s1.b0.conv1 out=8 scale=1',
      'batchnorm s1.b0.bn1',
      'add s1.b0.add1 in=s1.b0.bn1,stem.act',
      'rprelu s1.b0.act1',
      'rsign s1.b0.rsign2',
    ]);
    expect(lines.filter((l) => l.startsWith('rsign ')).length).toBe(lines.filter((l) => l.startsWith('bconv2d ')).length);
    expect(lines.filter((l) => l.startsWith('rprelu ')).length).toBe(6);
    expect(lines.filter((l) => l.startsWith('hardtanh '))).toEqual(['hardtanh stem.act']);
    expect(parseOps('rsign a\nrprelu b')).toEqual([
      { kind: 'rsign', name: 'a', inputs: ['input'], attrs: {} },
      { kind: 'rprelu', name: 'b', inputs: ['a'], attrs: {} },
    ]);
  });

  it('docs/EXPORT_FORMAT.md §3 gives every op kind its row with its attributes and says what it computes', () => {
    const doc = readFileSync(new URL('../../docs/EXPORT_FORMAT.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## 3. The op list'), doc.indexOf('## 4.'));
    for (const kind of OP_KINDS) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${kind}\` |`));
      expect(row, kind).toBeDefined();
      for (const key of Object.keys(OP_SPECS[kind].attrs)) if (kind !== 'bconv2d') expect(row, `${kind} ${key}`).toContain(`\`${key}\``);
      expect(section, kind).toContain(`- **\`${kind}\`** — `);
    }
  });

  it('fills in the documented defaults', () => {
    const [conv, bconv, dw, bn, sc] = parseOps(
      'conv2d a out=4 k=1\nbconv2d b out=8\ndwconv2d c mult=2 k=5\nbatchnorm d\nshortcut_a e in=a stride=2 after=4',
    );
    expect(conv.attrs).toEqual({ out: 4, k: 1, stride: 1, pad: 0 });
    expect(conv.inputs).toEqual(['input']);
    expect(bconv).toEqual({ kind: 'bconv2d', name: 'b', inputs: ['a'], attrs: { out: 8, k: 3, stride: 1, pad: 1, scale: 0 } });
    expect(dw.attrs).toEqual({ mult: 2, k: 5, pad: 2 });
    expect(bn.attrs).toEqual({ eps: 1e-5 });
    expect(sc.attrs).toEqual({ stride: 2, before: 0, after: 4 });
  });

  it('writes epsilons that read back exactly', () => {
    for (const eps of [1e-5, 1e-3, 2.5e-7, 0.1]) {
      const text = encodeOps([{ kind: 'batchnorm', name: 'bn', inputs: ['input'], attrs: { eps } }]);
      expect(parseOps(text)[0].attrs.eps).toBe(eps);
    }
  });

  const bad: [string, string, RegExp][] = [
    ['empty list', '', /the op list is empty/],
    ['empty line', 'hardtanh a\n\nhardtanh b', /line 2 is empty/],
    ['trailing newline', 'hardtanh a\n', /line 2 is empty/],
    ['tab', 'hardtanh\ta', /unknown op 'hardtanh\ta'/],
    ['leading space', ' hardtanh a', /tokens must be separated by single spaces/],
    ['unknown op', 'relu a', /line 1: unknown op 'relu'/],
    ['no name', 'hardtanh', /'' is not a valid op name/],
    ['bad name', 'hardtanh a/b', /'a\/b' is not a valid op name/],
    ['name reused', 'hardtanh a\nhardtanh a', /line 2: the name 'a' is used twice/],
    ['name of the input', 'hardtanh input', /reserved for the network input/],
    ['not key=value', 'conv2d a 8', /'8' is not key=value/],
    ['unknown key', 'conv2d a out=8 dilation=2', /conv2d has no attribute 'dilation' \(it takes in, out, k, stride, pad\)/],
    ['key twice', 'conv2d a out=8 k=3 k=3', /'k' is given twice/],
    ['an attribute on rsign', 'rsign a channels=8', /rsign has no attribute 'channels' \(it takes in\)/],
    ['two inputs to rprelu', 'hardtanh a\nrprelu b in=a,input', /takes one input, found 2/],
    ['required key missing', 'conv2d a k=3', /conv2d needs 'out'/],
    ['zero count', 'conv2d a out=0', /out must be at least 1, found 0/],
    ['negative', 'conv2d a out=8 pad=-1', /pad must be a non-negative integer, found '-1'/],
    ['leading zero', 'conv2d a out=08', /must be a non-negative integer, found '08'/],
    ['fraction', 'avgpool a size=1.5', /size must be a non-negative integer, found '1.5'/],
    ['flag out of range', 'bconv2d a out=8 scale=2', /scale must be 0 or 1, found 2/],
    ['epsilon zero', 'batchnorm a eps=0', /eps must be a number in \(0, 1\], found '0'/],
    ['epsilon not a number', 'batchnorm a eps=1e', /eps must be a number/],
    ['add with one input', 'hardtanh a\nadd b in=a', /takes two inputs, found 1/],
    ['add without inputs', 'add b', /needs its inputs/],
    ['two inputs to a conv', 'hardtanh a\nconv2d b in=a,input out=8', /takes one input, found 2/],
    ['unknown input', 'add b in=input,x', /input 'x' is not the output of an earlier op/],
    ['input produced later', 'hardtanh a in=b\nhardtanh b', /input 'b' is not the output of an earlier op/],
    ['empty input name', 'concat c in=input,', /'' is not a valid input name/],
  ];
  it.each(bad)('rejects %s', (_, text, message) => {
    expect(() => parseOps(text)).toThrow(OpsSyntaxError);
    expect(() => parseOps(text)).toThrow(message);
  });

  it('names the first difference between two op lists', () => {
    const expected = parseOps('conv2d a out=8\nbatchnorm b\nhardtanh c');
    expect(firstOpDifference(parseOps('conv2d a out=8 stride=2\nbatchnorm b\nhardtanh c'), expected)).toBe('line 1 (a): stride is 2 in the file, expected 1');
    expect(firstOpDifference(parseOps('conv2d a out=8\nhardtanh b\nhardtanh c'), expected)).toBe("line 2: the file has hardtanh 'b', expected batchnorm 'b'");
    expect(firstOpDifference(parseOps('conv2d a out=8\nbatchnorm b'), expected)).toBe('the file has 2 ops, expected 3');
    expect(firstOpDifference(parseOps('conv2d a out=8\nbatchnorm b in=input\nhardtanh c'), expected)).toBe('line 2 (b): inputs are input in the file, expected a');
  });
});
