import type { LayerOp, ParamSpec } from './architecture';

/** Appends ops and their parameter specs; each method returns the name of the op's output tensor. */
export class OpBuilder {
  readonly ops: LayerOp[] = [];
  readonly params: ParamSpec[] = [];
  /** Spatial size of every tensor produced so far, for ops that need it. */
  private readonly sizes = new Map<string, [number, number]>();

  conv(
    name: string,
    input: string,
    cin: number,
    cout: number,
    kernel: number,
    stride: number,
    inH: number,
    inW: number,
    binary: boolean,
  ): string {
    const pad = (kernel - 1) / 2;
    const outH = Math.floor((inH + 2 * pad - kernel) / stride) + 1;
    const outW = Math.floor((inW + 2 * pad - kernel) / stride) + 1;
    const weight = `${name}.w`;
    this.params.push({ name: weight, shape: [kernel, kernel, cin, cout], kind: 'conv', trainable: true, fanIn: kernel * kernel * cin });
    this.ops.push({ op: 'conv2d', name, input, output: name, weight, kernel, stride, pad, cin, cout, binary, inH, inW, outH, outW });
    this.sizes.set(name, [outH, outW]);
    return name;
  }

  dwconv(name: string, input: string, channels: number, multiplier: number, kernel: number, h: number, w: number): string {
    const weight = `${name}.w`;
    this.params.push({ name: weight, shape: [kernel, kernel, channels, multiplier], kind: 'dwconv', trainable: true, fanIn: kernel * kernel });
    this.ops.push({ op: 'dwconv2d', name, input, output: name, weight, kernel, pad: (kernel - 1) / 2, channels, multiplier, h, w });
    return name;
  }

  batchnorm(name: string, input: string, channels: number): string {
    const p = (suffix: string, kind: ParamSpec['kind'], trainable: boolean): string => {
      const n = `${name}.${suffix}`;
      this.params.push({ name: n, shape: [channels], kind, trainable });
      return n;
    };
    this.ops.push({
      op: 'batchnorm',
      name,
      input,
      output: name,
      channels,
      gamma: p('gamma', 'bn_gamma', true),
      beta: p('beta', 'bn_beta', true),
      mean: p('mean', 'bn_mean', false),
      variance: p('variance', 'bn_variance', false),
    });
    return name;
  }

  hardtanh(name: string, input: string): string {
    this.ops.push({ op: 'hardtanh', name, input, output: name });
    return name;
  }

  add(name: string, a: string, b: string): string {
    this.ops.push({ op: 'add', name, inputs: [a, b], output: name });
    return name;
  }

  shortcutA(name: string, input: string, stride: number, cin: number, cout: number): string {
    const padTotal = cout - cin;
    const padBefore = Math.floor(padTotal / 2);
    this.ops.push({ op: 'shortcut_a', name, input, output: name, stride, padBefore, padAfter: padTotal - padBefore });
    return name;
  }

  avgPool(name: string, input: string, size: number): string {
    this.ops.push({ op: 'avgpool', name, input, output: name, size });
    return name;
  }

  concat(name: string, inputs: string[]): string {
    this.ops.push({ op: 'concat', name, inputs, output: name });
    return name;
  }

  sliceChannels(name: string, input: string, count: number): string {
    this.ops.push({ op: 'slice_channels', name, input, output: name, count });
    return name;
  }

  globalAvgPool(name: string, input: string): string {
    this.ops.push({ op: 'global_avgpool', name, input, output: name });
    return name;
  }

  dense(name: string, input: string, cin: number, cout: number): string {
    const weight = `${name}.w`;
    const bias = `${name}.b`;
    this.params.push({ name: weight, shape: [cin, cout], kind: 'dense', trainable: true, fanIn: cin });
    this.params.push({ name: bias, shape: [cout], kind: 'bias', trainable: true });
    this.ops.push({ op: 'dense', name, input, output: name, weight, bias, cin, cout });
    return name;
  }
}
