import {
  INPUT,
  type Architecture,
  type LayerOp,
  type ParamSpec,
} from './architecture';
import { recoveryOps, type RecoveryMode } from './recovery';
import { OpBuilder } from './op-builder';

export interface ResNetSpec {
  depth: 8 | 14 | 20;
  width: number;
  input: [number, number, number];
  classes: number;
  /** false: the full-precision model (same graph, float convs). */
  binary: boolean;
  recovery: RecoveryMode;
  recoveryRatio: number;
  /** ReActNet: a learned threshold (RSign) before every binary conv. */
  rsign?: boolean;
  /** The blocks' activation (ReActNet: RPReLU). */
  blockActivation?: 'hardtanh' | 'rprelu';
}

/**
 * The small CIFAR-style ResNet family of IR-Net's ResNet-20 1W/1A code with Bi-Real blocks
 * (every binary conv has its own shortcut):
 *   stem:  conv3x3(in→w) → BN → hardtanh                      (full precision)
 *   block: out = hardtanh(BN(bconv1(x)) + shortcut(x)); out = hardtanh(BN(bconv2(out)) + out)
 *          [ReActNet: bconv(x − α) with a learned threshold α (RSign), RPReLU in place of hardtanh]
 *   3 stages of n = (depth − 2)/6 blocks, widths w, 2w, 4w; stages 2 and 3 start with stride 2;
 *   shortcut on a shape change: option A (x[:, ::2, ::2] and zero channels, planes/4 each side)
 *   [IR2Net recovery: fuse pooled stem/stage features with the last stage]
 *   head:  global average pool → BN → dense (full precision)
 */
export function buildResNet(spec: ResNetSpec): Architecture {
  const n = (spec.depth - 2) / 6;
  if (!Number.isInteger(n) || n < 1) throw new Error(`depth must be 6n+2, got ${spec.depth}`);
  const [h0, w0, c0] = spec.input;
  const b = new OpBuilder();

  let h = h0;
  let w = w0;
  let x = b.conv('stem.conv', INPUT, c0, spec.width, 3, 1, h, w, false);
  x = b.batchnorm('stem.bn', x, spec.width);
  x = b.hardtanh('stem.act', x);
  const stageOutputs = [x];
  const stageFeatures: { name: string; channels: number; h: number }[] = [{ name: x, channels: spec.width, h }];

  const act = (name: string, input: string, channels: number): string =>
    spec.blockActivation === 'rprelu' ? b.rprelu(name, input, channels) : b.hardtanh(name, input);
  const signInput = (name: string, input: string, channels: number): string => (spec.rsign ? b.rsign(name, input, channels) : input);
  let cin = spec.width;
  for (let s = 0; s < 3; s++) {
    const cout = spec.width * 2 ** s;
    for (let i = 0; i < n; i++) {
      const stride = s > 0 && i === 0 ? 2 : 1;
      const p = `s${s + 1}.b${i}`;
      const c1 = b.conv(`${p}.conv1`, signInput(`${p}.rsign1`, x, cin), cin, cout, 3, stride, h, w, spec.binary);
      const oh = Math.floor((h + 2 - 3) / stride) + 1;
      const ow = Math.floor((w + 2 - 3) / stride) + 1;
      const bn1 = b.batchnorm(`${p}.bn1`, c1, cout);
      const short = stride !== 1 || cin !== cout ? b.shortcutA(`${p}.shortcut`, x, stride, cin, cout) : x;
      const mid = act(`${p}.act1`, b.add(`${p}.add1`, bn1, short), cout);
      const c2 = b.conv(`${p}.conv2`, signInput(`${p}.rsign2`, mid, cout), cout, cout, 3, 1, oh, ow, spec.binary);
      const bn2 = b.batchnorm(`${p}.bn2`, c2, cout);
      x = act(`${p}.act2`, b.add(`${p}.add2`, bn2, mid), cout);
      h = oh;
      w = ow;
      cin = cout;
    }
    stageOutputs.push(x);
    stageFeatures.push({ name: x, channels: cin, h });
  }
  const lastStage = x;

  if (spec.recovery !== 'off') {
    x = recoveryOps(b, stageFeatures, { mode: spec.recovery, ratio: spec.recoveryRatio, out: cin, h, w });
  }

  const pooled = b.globalAvgPool('head.pool', x);
  const bnHead = b.batchnorm('head.bn', pooled, cin);
  const logits = b.dense('head.fc', bnHead, cin, spec.classes);

  return {
    input: spec.input,
    classes: spec.classes,
    depth: spec.depth,
    width: spec.width,
    ops: b.ops,
    params: b.params,
    stageOutputs,
    lastStage,
    output: logits,
  };
}

export type { LayerOp, ParamSpec };
