import { conv3x3Source } from './conv3x3-generator';
import { lutGemmBytesSource } from './lut-gemm-generator';

/** The generated kernel files (paths from the repository root) and their generators. */
export const GENERATED_KERNELS: readonly { path: string; source: () => string }[] = [
  { path: 'src/kernels/binary-conv3x3.ts', source: conv3x3Source },
  { path: 'src/kernels/xnor-lut-gemm-bytes.ts', source: lutGemmBytesSource },
];
