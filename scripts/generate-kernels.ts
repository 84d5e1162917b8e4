/**
 * `npm run generate:kernels`: rewrites the generated kernels, src/kernels/binary-conv3x3.ts
 * (from scripts/conv3x3-generator.ts) and src/kernels/xnor-lut-gemm-bytes.ts (from
 * scripts/lut-gemm-generator.ts).
 */
import { writeFileSync } from 'node:fs';
import { GENERATED_KERNELS } from './generated-kernels';

for (const { path, source } of GENERATED_KERNELS) {
  writeFileSync(new URL(`../${path}`, import.meta.url), source());
  console.log(`wrote ${path}`);
}
