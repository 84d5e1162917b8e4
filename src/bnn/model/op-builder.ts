import type { LayerOp, ParamSpec } from './architecture';
import { opDef } from './ops';

/**
 * Appends ops and the parameters each op declares (ops/); each method returns the name of the
 * op's output tensor.
 */
export class OpBuilder {
  readonly ops: LayerOp[] = [];
  readonly params: ParamSpec[] = [];

  /** Appends an op and its parameters; returns its output name. */
  push(op: LayerOp): string {
    this.ops.push(op);
    this.params.push(...opDef(op).params(op));
    return op.output;
  }

  conv(name: string, input: string, cin: number, cout: number, kernel: number, stride: number, inH: number, inW: number, binary: boolean): string {
    const pad = (kernel - 1) / 2;
    const outH = Math.floor((inH + 2 * pad - kernel) / stride) + 1;
    const outW = Math.floor((inW + 2 * pad - kernel) / stride) + 1;
    return this.push({ op: 'conv2d', name, input, output: name, weight: `${name}.w`, kernel, stride, pad, cin, cout, binary, inH, inW, outH, outW });
  }

  dwconv(name: string, input: string, channels: number, multiplier: number, kernel: number, h: number, w: number): string {
    return this.push({ op: 'dwconv2d', name, input, output: name, weight: `${name}.w`, kernel, pad: (kernel - 1) / 2, channels, multiplier, h, w });
  }

  batchnorm(name: string, input: string, channels: number): string {
    const p = (suffix: string) => `${name}.${suffix}`;
    return this.push({ op: 'batchnorm', name, input, output: name, channels, gamma: p('gamma'), beta: p('beta'), mean: p('mean'), variance: p('variance') });
  }

  hardtanh(name: string, input: string): string {
    return this.push({ op: 'hardtanh', name, input, output: name });
  }

  add(name: string, a: string, b: string): string {
    return this.push({ op: 'add', name, inputs: [a, b], output: name });
  }

  shortcutA(name: string, input: string, stride: number, cin: number, cout: number): string {
    const padTotal = cout - cin;
    const padBefore = Math.floor(padTotal / 2);
    return this.push({ op: 'shortcut_a', name, input, output: name, stride, padBefore, padAfter: padTotal - padBefore });
  }

  avgPool(name: string, input: string, size: number): string {
    return this.push({ op: 'avgpool', name, input, output: name, size });
  }

  concat(name: string, inputs: string[]): string {
    return this.push({ op: 'concat', name, inputs, output: name });
  }

  sliceChannels(name: string, input: string, count: number): string {
    return this.push({ op: 'slice_channels', name, input, output: name, count });
  }

  globalAvgPool(name: string, input: string): string {
    return this.push({ op: 'global_avgpool', name, input, output: name });
  }

  rsign(name: string, input: string, channels: number): string {
    return this.push({ op: 'rsign', name, input, output: name, channels, threshold: `${name}.threshold` });
  }

  rprelu(name: string, input: string, channels: number): string {
    return this.push({ op: 'rprelu', name, input, output: name, channels, shiftIn: `${name}.shift_in`, slope: `${name}.slope`, shiftOut: `${name}.shift_out` });
  }

  dense(name: string, input: string, cin: number, cout: number): string {
    return this.push({ op: 'dense', name, input, output: name, weight: `${name}.w`, bias: `${name}.b`, cin, cout });
  }
}
