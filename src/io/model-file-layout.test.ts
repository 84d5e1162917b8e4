import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, PRESETS, applyPreset, type PresetName } from '../bnn/config';
import { architectureFor } from '../bnn/model/model';
import { hasBinaryScale } from './model-file-format';
import { fileLayout } from './model-file-layout';

describe('the version-2 tensor layout', () => {
  it.each(Object.keys(PRESETS) as PresetName[])('%s with compact recovery: every parameter once, in op order, tiling its tensor', (preset) => {
    const cfg = { ...applyPreset({ ...DEFAULT_CONFIG, depth: 14 }, preset), recovery: 'compact' as const, recoveryRatio: 3 };
    const arch = architectureFor(cfg, 10);
    const layout = fileLayout(arch, hasBinaryScale(cfg), true);
    const binary = new Set(arch.ops.flatMap((op) => (op.op === 'conv2d' && op.binary ? [op.weight] : [])));
    const names = (tensor: string): string[] => layout.segments.filter((s) => s.tensor === tensor).map((s) => s.name);
    const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

    // Parameters of non-binary ops, plus one scale per binary conv when the transform has one.
    const scales = hasBinaryScale(cfg) ? [...binary].map((w) => w.replace(/\.w$/, '.scale')) : [];
    expect(names('params').filter((n) => !n.endsWith('.scale'))).toEqual(arch.params.map((p) => p.name).filter((n) => !binary.has(n)));
    expect(names('params').filter((n) => n.endsWith('.scale'))).toEqual(scales);
    expect(names('bits')).toEqual([...binary]);
    expect(names('latent')).toEqual([...binary]);
    for (const tensor of ['params', 'bits', 'latent'] as const) {
      let at = 0;
      for (const s of layout.segments.filter((x) => x.tensor === tensor)) {
        expect(s.offset).toBe(at);
        expect(s.length).toBe(size(s.shape));
        at += s.length;
      }
      expect(layout.lengths[tensor]).toBe(at);
    }
    // The naming rule of the doc: <op>.w, <op>.b, <op>.gamma|beta|mean|variance, <op>.scale,
    // <op>.threshold (rsign), <op>.shift_in|slope|shift_out (rprelu).
    const suffix = '(w|b|gamma|beta|mean|variance|scale|threshold|shift_in|slope|shift_out)';
    for (const s of layout.segments) expect(s.name).toMatch(new RegExp(`^${s.op.replace(/\./g, '\\.')}\\.${suffix}$`));
    if (cfg.rsign) expect(names('params')).toContain('s1.b0.rsign1.threshold');
    if (cfg.blockActivation === 'rprelu') {
      const act = layout.segments.filter((s) => s.op === 's1.b0.act1');
      expect(act.map((s) => [s.name, s.shape])).toEqual(['shift_in', 'slope', 'shift_out'].map((p) => [`s1.b0.act1.${p}`, [cfg.width]]));
      expect(act[1].offset).toBe(act[0].offset + cfg.width);
    }
    if (binary.size === 0) return;
    // A binary conv's bits are [cout, k, k, cin/8]; its latent weight is HWIO.
    const bits = layout.segments.find((s) => s.tensor === 'bits')!;
    const latent = layout.segments.find((s) => s.tensor === 'latent')!;
    expect(bits.length * 8).toBe(latent.length);
    expect([bits.shape[0], bits.shape[1], bits.shape[2], 8 * bits.shape[3]]).toEqual([latent.shape[3], latent.shape[0], latent.shape[1], latent.shape[2]]);
  });
});
