/** `npm run generate:docs`: rewrites the generated technique table in docs/TECHNIQUES.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withTechniqueTable } from './technique-table';

const file = new URL('../docs/TECHNIQUES.md', import.meta.url);
writeFileSync(file, withTechniqueTable(readFileSync(file, 'utf8')));
console.log('wrote docs/TECHNIQUES.md');
