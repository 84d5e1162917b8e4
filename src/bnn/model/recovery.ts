import type { OpBuilder } from './op-builder';

export type RecoveryMode = 'off' | 'full' | 'compact';

export interface RecoveryOptions {
  mode: Exclude<RecoveryMode, 'off'>;
  /** GhostNet ratio of the compact module. */
  ratio: number;
  /** Output channels (the last stage's width, 4w). */
  out: number;
  /** The last stage's spatial size. */
  h: number;
  w: number;
}

/**
 * IR2Net information recovery (Xue et al., arXiv 2210.02637), all full precision. The stem output
 * and the outputs of all stages but the last are average-pooled to the last stage's H×W and
 * concatenated with it (ResNet-20, w = 16: 16 + 16 + 32 + 64 = 128 channels), then fused:
 *   full:    1×1 conv (C → out) → BN → hardtanh
 *   compact: m = ceil(out / ratio);  y1 = hardtanh(BN(1×1 conv (C → m)))
 *            y2 = hardtanh(BN(3×3 depthwise conv of y1, multiplier ratio − 1))   (the cheap op)
 *            concat(y1, y2)[..., :out]                      (GhostNet-style, the official CIRec)
 * Returns the name of the fused tensor that replaces the last stage output before the head.
 */
export function recoveryOps(
  b: OpBuilder,
  features: { name: string; channels: number; h: number }[],
  o: RecoveryOptions,
): string {
  const last = features[features.length - 1];
  const parts: string[] = [];
  let channels = 0;
  features.forEach((f, i) => {
    if (f === last) {
      parts.push(f.name);
    } else {
      const size = f.h / o.h;
      if (!Number.isInteger(size)) throw new Error(`recovery: feature ${f.name} (${f.h}) does not pool to ${o.h}`);
      parts.push(size === 1 ? f.name : b.avgPool(`recovery.pool${i}`, f.name, size));
    }
    channels += f.channels;
  });
  const cat = b.concat('recovery.concat', parts);

  if (o.mode === 'full') {
    const c = b.conv('recovery.conv', cat, channels, o.out, 1, 1, o.h, o.w, false);
    return b.hardtanh('recovery.act', b.batchnorm('recovery.bn', c, o.out));
  }
  const m = Math.ceil(o.out / o.ratio);
  const primary = b.hardtanh(
    'recovery.primary.act',
    b.batchnorm('recovery.primary.bn', b.conv('recovery.primary.conv', cat, channels, m, 1, 1, o.h, o.w, false), m),
  );
  const cheapChannels = m * (o.ratio - 1);
  const cheap = b.hardtanh(
    'recovery.cheap.act',
    b.batchnorm('recovery.cheap.bn', b.dwconv('recovery.cheap.conv', primary, m, o.ratio - 1, 3, o.h, o.w), cheapChannels),
  );
  const both = b.concat('recovery.ghost', [primary, cheap]);
  return m + cheapChannels === o.out ? both : b.sliceChannels('recovery.slice', both, o.out);
}
