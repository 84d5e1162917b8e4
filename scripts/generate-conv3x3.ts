/** `npm run generate:conv3x3`: rewrites src/kernels/binaryConv3x3.ts from scripts/conv3x3-source.ts. */
import { writeFileSync } from 'node:fs';
import { conv3x3Source } from './conv3x3-source';

const CONV3X3_PATH = new URL('../src/kernels/binaryConv3x3.ts', import.meta.url);

writeFileSync(CONV3X3_PATH, conv3x3Source());
console.log('wrote src/kernels/binaryConv3x3.ts');
