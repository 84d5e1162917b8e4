import type { LayerOp } from '../bnn/model/architecture';
import { opDef } from '../bnn/model/ops';
import type { ConvGroup } from './plan';

/**
 * Fusion groups: each conv or depthwise conv absorbs the BN that alone reads its output, then
 * the add that alone reads that (the other operand becomes the residual), then the hardtanh
 * that alone reads that, so a Bi-Real block's BN, shortcut add and activation run in the conv's
 * epilogue. Returns the group ending at each op and the ops absorbed into a group.
 */
export function fusionGroups(ops: readonly LayerOp[], output: string): { groupEnd: Map<LayerOp, ConvGroup>; absorbed: Set<LayerOp> } {
  const uses = new Map<string, number>([[output, 1]]);
  const consumers = new Map<string, LayerOp[]>();
  for (const op of ops) {
    for (const input of opDef(op).inputs(op)) {
      uses.set(input, (uses.get(input) ?? 0) + 1);
      consumers.set(input, [...(consumers.get(input) ?? []), op]);
    }
  }
  const soleConsumer = (name: string): LayerOp | undefined => (uses.get(name) === 1 ? consumers.get(name)?.[0] : undefined);
  const groupEnd = new Map<LayerOp, ConvGroup>();
  const absorbed = new Set<LayerOp>();
  for (const op of ops) {
    if (op.op !== 'conv2d' && op.op !== 'dwconv2d') continue;
    const group: ConvGroup = { producer: op, output: op.output };
    let last: LayerOp = op;
    let next = soleConsumer(group.output);
    if (next?.op === 'batchnorm') {
      group.bn = next;
      group.output = next.output;
      last = next;
      absorbed.add(next);
      next = soleConsumer(group.output);
    }
    if (next?.op === 'add') {
      group.residual = next.inputs[0] === group.output ? next.inputs[1] : next.inputs[0];
      group.addName = next.name;
      group.output = next.output;
      last = next;
      absorbed.add(next);
      next = soleConsumer(group.output);
    }
    if (next?.op === 'hardtanh') {
      group.act = next;
      group.output = next.output;
      last = next;
      absorbed.add(next);
    }
    if (last !== op) absorbed.add(op);
    groupEnd.set(last, group);
  }
  return { groupEnd, absorbed };
}
