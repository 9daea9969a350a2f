import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paginate, paginateWhere } from '../../src/aws/pagination.ts';
import { seededRng } from '../../src/core/clock.ts';

const keys = Array.from({ length: 257 }, (_, i) => `k/${String(i).padStart(4, '0')}`);
const keyOf = (k: string) => k;

/** Every item, page by page, following nextToken. */
function walk(page: (token: string | undefined) => { items: string[]; nextToken?: string }): string[][] {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const p = page(token);
    pages.push(p.items);
    token = p.nextToken;
  } while (token !== undefined);
  return pages;
}

test('paginateWhere pages exactly like paginate over the filtered list', () => {
  const rng = seededRng('pagination');
  for (let round = 0; round < 50; round++) {
    const odds = rng.next();
    const kept = new Set(keys.filter(() => rng.next() < odds));
    const keep = (k: string) => kept.has(k);
    const size = 1 + Math.floor(rng.next() * 30);
    const filtered = keys.filter(keep);
    const limits = { max: 100, default: 100 };
    const expected = walk((nextToken) => paginate(filtered, keyOf, { nextToken, maxResults: size }, limits));
    const actual = walk((nextToken) =>
      paginateWhere(keys, keyOf, keep, { nextToken, maxResults: size }, limits),
    );
    assert.deepEqual(actual, expected, `round ${round}: ${kept.size} kept, pages of ${size}`);
  }
});

test('paginateWhere stops filtering once the page and one more are found', () => {
  let calls = 0;
  const page = paginateWhere(keys, keyOf, () => ++calls > 0, { maxResults: 10 }, { max: 100, default: 100 });
  assert.equal(page.items.length, 10);
  assert.ok(page.nextToken);
  assert.equal(calls, 11);
});

test('paginateWhere rejects a bad maxResults or token as paginate does', () => {
  const limits = { max: 100, default: 100 };
  assert.throws(
    () => paginateWhere(keys, keyOf, () => true, { maxResults: 0 }, limits),
    /maxResults must be between 1 and 100/,
  );
  assert.throws(
    () => paginateWhere(keys, keyOf, () => true, { nextToken: 'bogus' }, limits),
    /Invalid nextToken/,
  );
});
