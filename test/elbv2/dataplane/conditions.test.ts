/** Rule conditions, redirects and matchers as the ELBv2 docs describe them (table tests from the docs' own examples). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compileCondition,
  type RequestFacts,
  wildcardRegExp,
} from '../../../src/elbv2/dataplane/conditions.ts';
import { matchesHttpCode } from '../../../src/elbv2/dataplane/health.ts';
import { redirectLocation } from '../../../src/elbv2/dataplane/redirect.ts';
import { TraceIds } from '../../../src/elbv2/dataplane/trace-id.ts';
import { seededRng } from '../../../src/core/clock.ts';

const facts = (over: Partial<RequestFacts>): RequestFacts => ({
  host: 'www.example.com',
  path: '/',
  query: '',
  method: 'GET',
  headers: {},
  sourceIp: '127.0.0.1',
  ...over,
});

describe('conditions', () => {
  it('path-pattern: case-sensitive, * and ? wildcards, path only', () => {
    const table: [string, string, boolean][] = [
      ['/img/*', '/img/a.png', true],
      ['/img/*', '/img/', true],
      ['/img/*', '/IMG/a.png', false],
      ['/img/*', '/img', false],
      ['/img/*/pics', '/img/2024/pics', true],
      ['/img/*/pics', '/img/pics', false],
      ['/api/v?/*', '/api/v1/users', true],
      ['/api/v?/*', '/api/v10/users', false],
      ['*.jpg', '/a/b/c.jpg', true],
      ['/a.b', '/aXb', false],
    ];
    for (const [pattern, path, want] of table)
      assert.equal(
        compileCondition({ field: 'path-pattern', values: [pattern] })(facts({ path })),
        want,
        `${pattern} ~ ${path}`,
      );
  });

  it('host-header: case-insensitive, wildcards', () => {
    const table: [string, string, boolean][] = [
      ['example.com', 'EXAMPLE.com', true],
      ['*.example.com', 'test.example.com', true],
      ['*.example.com', 'example.com', false],
      ['*.example.com', 'a.b.example.com', true],
      ['www.example.?om', 'www.example.com', true],
      ['example.com', 'example.com.evil', false],
    ];
    for (const [pattern, host, want] of table)
      assert.equal(
        compileCondition({ field: 'host-header', values: [pattern] })(facts({ host })),
        want,
        `${pattern} ~ ${host}`,
      );
  });

  it('http-header, method, query-string, source-ip', () => {
    const header = compileCondition({
      field: 'http-header',
      headerName: 'User-Agent',
      values: ['*Mobile*', '*Android*'],
    });
    assert.equal(header(facts({ headers: { 'user-agent': 'Foo mobile Bar' } })), true);
    assert.equal(header(facts({ headers: { 'user-agent': 'Desktop' } })), false);
    assert.equal(header(facts({})), false);
    const method = compileCondition({ field: 'http-request-method', values: ['GET', 'HEAD'] });
    assert.equal(method(facts({ method: 'HEAD' })), true);
    assert.equal(method(facts({ method: 'POST' })), false);
    const query = compileCondition({
      field: 'query-string',
      values: [{ key: 'version', value: 'v1' }, { value: '*example*' }],
    });
    assert.equal(query(facts({ query: 'a=1&Version=V1' })), true);
    assert.equal(query(facts({ query: 'x=an%20example%20here' })), true);
    assert.equal(query(facts({ query: 'version=v2' })), false);
    const src = compileCondition({ field: 'source-ip', values: ['192.0.2.0/24', '2001:db8::/32'] });
    assert.equal(src(facts({ sourceIp: '192.0.2.55' })), true);
    assert.equal(src(facts({ sourceIp: '198.51.100.1' })), false);
    assert.equal(src(facts({ sourceIp: '2001:db8::1' })), true);
  });

  it('wildcards escape regular-expression characters', () => {
    assert.equal(wildcardRegExp('/a+(b)', false).test('/a+(b)'), true);
    assert.equal(wildcardRegExp('/a+(b)', false).test('/aa(b)'), false);
  });
});

describe('redirect', () => {
  const req = { protocol: 'http' as const, host: 'example.com', port: 80, path: '/a/b', query: 'x=1' };
  it('substitutes #{...} and leaves out default ports', () => {
    const base = { type: 'redirect' as const, statusCode: 'HTTP_301' as const };
    assert.equal(
      redirectLocation(
        { ...base, protocol: 'HTTPS', host: '#{host}', port: '443', path: '/#{path}', query: '#{query}' },
        req,
      ),
      'https://example.com/a/b?x=1',
    );
    assert.equal(
      redirectLocation(
        {
          ...base,
          protocol: '#{protocol}',
          host: 'new.#{host}',
          port: '8080',
          path: '/v2/#{path}',
          query: '',
        },
        req,
      ),
      'http://new.example.com:8080/v2/a/b',
    );
    assert.equal(
      redirectLocation(
        {
          ...base,
          protocol: '#{protocol}',
          host: '#{host}',
          port: '#{port}',
          path: '/#{path}',
          query: '#{query}&y=2',
        },
        { ...req, query: '' },
      ),
      'http://example.com/a/b?&y=2',
    );
  });
});

describe('health matcher and trace ids', () => {
  it('matches ELBv2 matcher syntax', () => {
    assert.equal(matchesHttpCode('200', 200), true);
    assert.equal(matchesHttpCode('200,202', 202), true);
    assert.equal(matchesHttpCode('200,202', 201), false);
    assert.equal(matchesHttpCode('200-299', 204), true);
    assert.equal(matchesHttpCode('200-299', 301), false);
    assert.equal(matchesHttpCode('200,300-399', 302), true);
  });

  it('writes Root ids and adds Self to a client id', () => {
    const ids = new TraceIds({ now: () => 0x5759e988 * 1000 }, seededRng(1));
    assert.match(ids.header(undefined), /^Root=1-5759e988-[0-9a-f]{24}$/);
    assert.match(
      ids.header('Root=1-1-abc;Sampled=1'),
      /^Self=1-5759e988-[0-9a-f]{24};Root=1-1-abc;Sampled=1$/,
    );
    assert.match(ids.header('Self=1-old;Root=1-1-abc'), /^Self=1-5759e988-[0-9a-f]{24};Root=1-1-abc$/);
  });
});
