/**
 * Public surface of the kernels: bit packing (DESIGN §7), the XNOR GEMMs (Harley–Seal on
 * bits, table lookup on prepared weights), the binary conv, and the float baselines. The
 * benchmark suite lives in ./bench and is imported on demand.
 */
export {
  convWeightsAsMatrix,
  packActivationsNHWC,
  packColumns,
  packRows,
  packRowsInto,
  packWeightsHWIO,
  signBit,
  wordsForBits,
  type PackedActivations,
  type PackedConvWeights,
  type PackedMatrix,
} from './bitpack';
export {
  binaryConv2d,
  binaryConv2dFromFloat,
  binaryConvGeometry,
  defaultGroupBits,
  prepareBinaryConv,
  type BinaryConvLayer,
} from './binaryConv';
export { convGeometry, convOutputSize, outputPositions, type ConvGeometry } from './convGeometry';
export { floatConv2d, prepareFloatConv, type FloatConvLayer } from './floatConv';
export { floatGemm, floatGemmPanels, packColumnPanels, packRowPanels, type FloatPanels } from './floatGemm';
export { popcount32 } from './popcount';
export { int32View, xnorGemm, xnorGemmWords, type GemmOutput } from './xnorGemm';
export { prepareXnorLut, xnorLutBytes, type XnorLut } from './xnorLut';
export { xnorLutGemm, xnorLutGemmWords } from './xnorLutGemm';
