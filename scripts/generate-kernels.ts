/**
 * `npm run generate:kernels`: rewrites the generated kernels, src/kernels/binaryConv3x3.ts
 * (from scripts/conv3x3-source.ts) and src/kernels/xnorLutGemmBytes.ts (from
 * scripts/lut-gemm-source.ts).
 */
import { writeFileSync } from 'node:fs';
import { GENERATED_KERNELS } from './kernel-sources';

for (const { path, source } of GENERATED_KERNELS) {
  writeFileSync(new URL(`../${path}`, import.meta.url), source());
  console.log(`wrote ${path}`);
}
