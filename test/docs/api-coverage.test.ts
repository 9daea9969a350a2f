import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { renderApiCoverage } from '../../src/docs/api-coverage.ts';

it('docs/api-coverage.md matches the implemented handlers (run `npm run docs:api-coverage`)', () => {
  const onDisk = readFileSync(new URL('../../docs/api-coverage.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderApiCoverage());
});
