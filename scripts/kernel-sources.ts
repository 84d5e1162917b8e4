import { conv3x3Source } from './conv3x3-source';
import { lutGemmBytesSource } from './lut-gemm-source';

/** The generated kernel files (paths from the repository root) and their generators. */
export const GENERATED_KERNELS: readonly { path: string; source: () => string }[] = [
  { path: 'src/kernels/binaryConv3x3.ts', source: conv3x3Source },
  { path: 'src/kernels/xnorLutGemmBytes.ts', source: lutGemmBytesSource },
];
