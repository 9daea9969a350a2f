/**
 * The filter-pattern parser and matcher, table-driven over the examples of CloudWatch Logs'
 * "Filter pattern syntax" documentation (the patterns and log events it shows, and whether each
 * matches), plus malformed patterns.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compileFilterPattern,
  extractedValues,
  FilterPatternError,
  fieldValue,
} from '../../src/logs/filter-pattern/index.ts';

const matches = (pattern: string, message: string): boolean =>
  compileFilterPattern(pattern).match(message) !== undefined;

/** The documentation's unstructured example events. */
const TEXT_EVENTS = [
  '[ERROR 400] BAD REQUEST',
  '[ERROR 401] UNAUTHORIZED REQUEST',
  '[ERROR 419] MISSING ARGUMENTS',
  '[ERROR 420] INVALID ARGUMENTS',
];

describe('filter patterns: terms in unstructured events', () => {
  const table: [pattern: string, matching: number[]][] = [
    ['', [0, 1, 2, 3]],
    ['" "', [0, 1, 2, 3]],
    ['ERROR', [0, 1, 2, 3]],
    ['ERROR ARGUMENTS', [2, 3]],
    ['?ERROR ?ARGUMENTS', [0, 1, 2, 3]],
    ['?UNAUTHORIZED ?MISSING', [1, 2]],
    ['ERROR -ARGUMENTS', [0, 1]],
    ['"BAD REQUEST"', [0]],
    ['"ERROR 4"', [0, 1, 2, 3]],
    ['"INVALID ARGUMENTS" -MISSING', [3]],
    ['error', []],
    ['%4[01][0-9]%', [0, 1, 2]],
    ['%41[0-9]%', [2]],
    ['%^\\[ERROR%', [0, 1, 2, 3]],
    ['-ERROR', []],
    ['-MISSING', [0, 1, 3]],
    ['?%UNAUTH% ?BAD', [0, 1]],
  ];
  for (const [pattern, expected] of table) {
    it(`'${pattern}' matches events ${JSON.stringify(expected)}`, () => {
      const got = TEXT_EVENTS.flatMap((e, i) => (matches(pattern, e) ? [i] : []));
      assert.deepEqual(got, expected);
    });
  }

  it("matches the documentation's regular expression example", () => {
    // %AUTHORIZED% matches both events: the regex finds the keyword inside UNAUTHORIZED too.
    for (const e of ['[ERROR 401] UNAUTHORIZED REQUEST', '[SUCCESS 200] AUTHORIZED REQUEST']) {
      assert.equal(matches('%AUTHORIZED%', e), true);
    }
    assert.equal(matches('%colou?r%', 'the colour'), true);
    assert.equal(matches('%gray|grey%', 'a grey cat'), true);
    assert.equal(matches('%10\\.10\\.0\\.1%', 'from 10.10.0.1'), true);
    assert.equal(matches('%10\\.10\\.0\\.1%', 'from 10x10.0.1'), false);
  });

  it('pushes the terms of a one-group pattern down as required substrings', () => {
    assert.deepEqual(compileFilterPattern('ERROR "BAD REQUEST" -x').requiredSubstrings, [
      'ERROR',
      'BAD REQUEST',
    ]);
    assert.deepEqual(compileFilterPattern('?ERROR ?WARN').requiredSubstrings, []);
  });
});

/** The documentation's JSON example event. */
const JSON_EVENT = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '123.123.123.123',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  cluster: { name: 'prod', nodes: 3 },
  ThisFlag: true,
  latency: 500,
  bandwidth: 75.5,
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [{ id: 2, email: 'John.Doe@example.com' }],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [
    [0, 1],
    [2, 3],
  ],
});

describe('filter patterns: JSON events', () => {
  const table: [pattern: string, match: boolean][] = [
    ['{ $.eventType = "UpdateTrail" }', true],
    ['{ $.eventType = UpdateTrail }', true],
    ['{ $.eventType = "Update*" }', true],
    ['{ $.eventType != "UpdateTrail" }', false],
    ['{ $.sourceIPAddress != 123.123.* }', false],
    ['{ $.sourceIPAddress = 123.123.* }', true],
    ['{ $.arrayKey[0] = "value" }', true],
    ['{ $.arrayKey[1] = "value" }', false],
    ['{ $.objectList[1].id = 2 }', true],
    ['{ $.objectList[0].id = 2 }', false],
    ['{ $.SomeObject IS NULL }', true],
    ['{ $.cluster IS NULL }', false],
    ['{ $.SomeOtherObject NOT EXISTS }', true],
    ['{ $.SomeObject NOT EXISTS }', false],
    ['{ $.ThisFlag IS TRUE }', true],
    ['{ $.ThisFlag IS FALSE }', false],
    ['{ $.latency = 500 }', true],
    ['{ $.latency >= 500 }', true],
    ['{ $.latency > 500 }', false],
    ['{ $.latency < 1e3 }', true],
    ['{ $.bandwidth > 75 }', true],
    ['{ $.bandwidth <= 75 }', false],
    ['{ $.cluster.nodes != 3 }', false],
    ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch }', true],
    ['{ $.user.email = "nonmatch" || $.coordinates[0][1] = 1 }', true],
    ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "DELETE" }', true],
    ['{ $.user.id = 1 && $.users[0].id = 2 }', true],
    ['{ $.user.id = 1 && $.users[0].id = 3 }', false],
    ['{ ($.user.id = 2 || $.user.id = 1) && $.actions[0] = "GET" }', true],
    ['{ $.actions[*] = "PUT" }', true],
    ['{ $.eventType = %Update[A-Z][a-z]+% }', true],
  ];
  for (const [pattern, expected] of table) {
    it(`'${pattern}' ${expected ? 'matches' : 'does not match'}`, () => {
      assert.equal(matches(pattern, JSON_EVENT), expected);
    });
  }

  it('never matches an event that is not JSON', () => {
    assert.equal(matches('{ $.eventType = "UpdateTrail" }', 'eventType UpdateTrail'), false);
  });

  it('gives metric transformations the field values', () => {
    const m = compileFilterPattern('{ $.latency > 0 }').match(JSON_EVENT)!;
    assert.equal(fieldValue(m, '$.latency'), 500);
    assert.equal(fieldValue(m, '$.user.email'), 'John.Stiles@example.com');
    assert.equal(fieldValue(m, '$.objectList[1].name'), 'b');
  });
});

/** The documentation's space-delimited example (an Apache-style access log line). */
const ACCESS_LOG = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534';

describe('filter patterns: space-delimited events', () => {
  const table: [pattern: string, message: string, match: boolean][] = [
    ['[ip, user, username, timestamp, request, status_code, bytes]', ACCESS_LOG, true],
    ['[ip, user, username, timestamp, request, status_code]', ACCESS_LOG, false],
    ['[ip, user, username, timestamp, request, status_code = 200, bytes]', ACCESS_LOG, true],
    ['[ip, user, username, timestamp, request, status_code = 4*, bytes]', ACCESS_LOG, false],
    ['[ip, user, username, timestamp, request = "*gif*", status_code, bytes]', ACCESS_LOG, true],
    ['[ip, user, username, timestamp, request = "*html*", status_code = 4*, bytes]', ACCESS_LOG, false],
    ['[ip, user, username, timestamp, request, status_code, bytes > 1000]', ACCESS_LOG, true],
    [
      '[ip, user, username, timestamp, request, status_code, bytes > 1000 && bytes < 1500]',
      ACCESS_LOG,
      false,
    ],
    ['[..., status_code, bytes]', ACCESS_LOG, true],
    ['[..., status_code = 200, bytes]', ACCESS_LOG, true],
    ['[ip = 127.0.0.1, ...]', ACCESS_LOG, true],
    ['[ip != 127.0.0.1, ...]', ACCESS_LOG, false],
    ['[..., status_code = 404 || status_code = 200, bytes]', ACCESS_LOG, true],
    ['[..., status_code = 404 || status_code = 410, bytes]', ACCESS_LOG, false],
    ['[w1=ERROR, w2]', 'ERROR 42', true],
    ['[w1=ERROR, w2]', 'WARN 42', false],
  ];
  for (const [pattern, message, expected] of table) {
    it(`'${pattern}' ${expected ? 'matches' : 'does not match'}`, () => {
      assert.equal(matches(pattern, message), expected);
    });
  }

  it('extracts the named fields, quotes and brackets removed', () => {
    const m = compileFilterPattern('[ip, user, username, timestamp, request, status_code, bytes]').match(
      ACCESS_LOG,
    )!;
    assert.deepEqual(extractedValues(m), {
      $ip: '127.0.0.1',
      $user: '-',
      $username: 'frank',
      $timestamp: '10/Oct/2000:13:25:15 -0700',
      $request: 'GET /apache_pb.gif HTTP/1.0',
      $status_code: '200',
      $bytes: '1534',
    });
    assert.equal(fieldValue(m, '$bytes'), '1534');
  });
});

describe('filter patterns: malformed', () => {
  const bad = [
    '"unterminated',
    '{ $.eventType = "UpdateTrail"',
    '{ eventType = "x" }',
    '{ $.latency > "high" }',
    '{ $.latency }',
    '{ $.a = 1 } trailing',
    '[ip, user',
    '[a, a]',
    '[status = 404 || bytes = 1]',
    '"event": "x"',
    'ERROR ?',
    '%(?=x)%',
    '%(a|b)%',
    '%something!%',
    '{ $.a = %x% || $.b = %y% || $.c = %z% }',
    '%[%',
    'x'.repeat(1025),
  ];
  for (const pattern of bad) {
    it(`refuses ${pattern.slice(0, 40)}`, () => {
      assert.throws(() => compileFilterPattern(pattern), FilterPatternError);
    });
  }
});
