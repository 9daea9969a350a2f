import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { renderCoverageDocs } from '../../src/docs/api-coverage.ts';

it('every docs/api-coverage*.md matches the implemented handlers (run `npm run docs:api-coverage`)', () => {
  const docs = renderCoverageDocs();
  assert.ok(docs.some((d) => d.path === 'docs/api-coverage.md'));
  for (const doc of docs) {
    const onDisk = readFileSync(new URL(`../../${doc.path}`, import.meta.url), 'utf8');
    assert.equal(onDisk, doc.text, `${doc.path} is stale`);
  }
});
