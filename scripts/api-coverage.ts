/** Writes docs/api-coverage.md (ECS) and docs/api-coverage-<service>.md (run with `npm run docs:api-coverage`). */
import { writeFileSync } from 'node:fs';
import { renderCoverageDocs } from '../src/docs/api-coverage.ts';

for (const doc of renderCoverageDocs()) {
  writeFileSync(new URL(`../${doc.path}`, import.meta.url), doc.text);
  console.log(`wrote ${doc.path}`);
}
