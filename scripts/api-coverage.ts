/** Writes docs/api-coverage.md (run with `npm run docs:api-coverage`). */
import { writeFileSync } from 'node:fs';
import { renderApiCoverage } from '../src/docs/api-coverage.ts';

writeFileSync(new URL('../docs/api-coverage.md', import.meta.url), renderApiCoverage());
console.log('wrote docs/api-coverage.md');
