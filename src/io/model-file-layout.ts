import type { Architecture } from '../bnn/model/architecture';
import { packedBytesPerTap } from './model-file-bits';

/**
 * Where every parameter sits in a version-2 file (docs/EXPORT_FORMAT.md §2). The file holds at
 * most three tensors, each the concatenation of its parameters in op order:
 *   params  F32  float parameters: float conv and depthwise weights, binary scales, BatchNorm
 *                γ, β, μ, σ², RSign thresholds, RPReLU shifts and slopes, dense weight and bias
 *   bits    U8   the packed signs of every binary conv
 *   latent  F32  the binary convs' latent float weights (optional)
 * so the header has three entries however deep the model is, and a parameter's place follows
 * from the op list alone.
 */
export const PARAMS_TENSOR = 'params';
export const BITS_TENSOR = 'bits';
export const LATENT_TENSOR = 'latent';

export type SegmentTensor = typeof PARAMS_TENSOR | typeof BITS_TENSOR | typeof LATENT_TENSOR;

/** One parameter's slice of its tensor (offset and length in elements). */
export interface Segment {
  tensor: SegmentTensor;
  /** The parameter's name: the app's (and PyTorch state dict's) name for it. */
  name: string;
  /** Its shape: HWIO for conv weights, [cout, kh, kw, ceil(cin/8)] for packed bits. */
  shape: number[];
  offset: number;
  length: number;
  /** A binary conv's packed signs, scale or latent weight (else a plain float parameter). */
  role: 'float' | 'bits' | 'scale' | 'latent';
  /** The op the parameter belongs to. */
  op: string;
}

export interface FileLayout {
  segments: Segment[];
  /** Elements of each tensor (0: the tensor is absent). */
  lengths: Record<SegmentTensor, number>;
}

/** Name of a binary conv's per-out-channel scale (the doc's naming rule: `<op>.scale`). */
export function scaleParamName(convName: string): string {
  return `${convName}.scale`;
}

/** The file layout of an architecture; `withScale`: binary convs store α; `latent`: latent weights too. */
export function fileLayout(arch: Architecture, withScale: boolean, latent: boolean): FileLayout {
  const lengths: Record<SegmentTensor, number> = { params: 0, bits: 0, latent: 0 };
  const segments: Segment[] = [];
  const add = (tensor: SegmentTensor, name: string, shape: number[], role: Segment['role'], op: string): void => {
    const length = shape.reduce((a, b) => a * b, 1);
    segments.push({ tensor, name, shape, offset: lengths[tensor], length, role, op });
    lengths[tensor] += length;
  };
  for (const op of arch.ops) {
    switch (op.op) {
      case 'conv2d': {
        const hwio = [op.kernel, op.kernel, op.cin, op.cout];
        if (!op.binary) {
          add(PARAMS_TENSOR, op.weight, hwio, 'float', op.name);
          break;
        }
        add(BITS_TENSOR, op.weight, [op.cout, op.kernel, op.kernel, packedBytesPerTap(op.cin)], 'bits', op.name);
        if (withScale) add(PARAMS_TENSOR, scaleParamName(op.name), [op.cout], 'scale', op.name);
        if (latent) add(LATENT_TENSOR, op.weight, hwio, 'latent', op.name);
        break;
      }
      case 'dwconv2d':
        add(PARAMS_TENSOR, op.weight, [op.kernel, op.kernel, op.channels, op.multiplier], 'float', op.name);
        break;
      case 'batchnorm':
        for (const name of [op.gamma, op.beta, op.mean, op.variance]) add(PARAMS_TENSOR, name, [op.channels], 'float', op.name);
        break;
      case 'rsign':
        add(PARAMS_TENSOR, op.threshold, [op.channels], 'float', op.name);
        break;
      case 'rprelu':
        for (const name of [op.shiftIn, op.slope, op.shiftOut]) add(PARAMS_TENSOR, name, [op.channels], 'float', op.name);
        break;
      case 'dense':
        add(PARAMS_TENSOR, op.weight, [op.cin, op.cout], 'float', op.name);
        add(PARAMS_TENSOR, op.bias, [op.cout], 'float', op.name);
        break;
      default:
        break;
    }
  }
  return { segments, lengths };
}
