/**
 * The variants of the training-step benchmark (step-bench.ts), kept free of tfjs so the benchmark
 * page can label its table without loading tfjs on the main thread.
 */
export type StepVariantId = 'binary' | 'fp' | 'layers' | 'layersIm2col';

export const STEP_VARIANTS: readonly StepVariantId[] = ['binary', 'fp', 'layers', 'layersIm2col'];

/**
 * 'layersIm2col' is the tf.layers model with a Conv2DBackpropFilter kernel supplied by our im2col +
 * matMul (withIm2colConvFilterGradient); it only runs where the backend lacks that kernel (wasm),
 * where the plain tf.layers model cannot train.
 */
export const STEP_VARIANT_LABELS: Readonly<Record<StepVariantId, string>> = {
  binary: 'ours, binarized (IR-Net)',
  fp: 'ours, full precision',
  layers: 'tf.layers FP, model.fit',
  layersIm2col: 'tf.layers FP, model.fit, im2col filter grad',
};
