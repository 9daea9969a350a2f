/**
 * Schedule expressions: the cron and rate examples of the EventBridge and Scheduler user guides,
 * the expressions AWS refuses, and next occurrences in time zones across daylight saving.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isTimeZone,
  nextOccurrence,
  nextOccurrences,
  parseRuleScheduleExpression,
  parseScheduleExpression,
  ScheduleExpressionError,
} from '../../src/events/model/schedule-expression.ts';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const at = (text: string) => Date.parse(text);
/** The next `n` occurrences (ISO, UTC) after `from`. */
const next = (expression: string, from: string, n: number, zone?: string) =>
  nextOccurrences(parseScheduleExpression(expression), at(from), n, zone).map(iso);

describe("schedule expressions: the user guides' cron examples", () => {
  // 2026-01-01 is a Thursday.
  const from = '2026-01-01T00:00:00Z';
  const table: [string, string, string[]][] = [
    ['cron(0 10 * * ? *)', '10:00 every day', ['2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z']],
    ['cron(15 12 * * ? *)', '12:15 every day', ['2026-01-01T12:15:00Z', '2026-01-02T12:15:00Z']],
    [
      'cron(0 18 ? * MON-FRI *)',
      '18:00 Monday to Friday',
      ['2026-01-01T18:00:00Z', '2026-01-02T18:00:00Z', '2026-01-05T18:00:00Z'],
    ],
    ['cron(0 8 1 * ? *)', '08:00 on the 1st', ['2026-01-01T08:00:00Z', '2026-02-01T08:00:00Z']],
    [
      'cron(0/15 * * * ? *)',
      'every 15 minutes',
      ['2026-01-01T00:15:00Z', '2026-01-01T00:30:00Z', '2026-01-01T00:45:00Z'],
    ],
    [
      'cron(0/10 * ? * MON-FRI *)',
      'every 10 minutes on weekdays',
      ['2026-01-01T00:10:00Z', '2026-01-01T00:20:00Z'],
    ],
    [
      'cron(0/5 8-17 ? * MON-FRI *)',
      'every 5 minutes, 08:00-17:55 weekdays',
      ['2026-01-01T08:00:00Z', '2026-01-01T08:05:00Z'],
    ],
    ['cron(0 9 ? * 2#1 *)', '09:00 on the first Monday', ['2026-01-05T09:00:00Z', '2026-02-02T09:00:00Z']],
    [
      'cron(0/30 20-2 ? * MON-FRI *)',
      'every 30 minutes 20:00-02:30, wrapping',
      ['2026-01-01T00:30:00Z', '2026-01-01T01:00:00Z'],
    ],
    [
      'cron(15 10 ? * 6L 2026-2027)',
      '10:15 on the last Friday',
      ['2026-01-30T10:15:00Z', '2026-02-27T10:15:00Z'],
    ],
    ['cron(0 12 L * ? *)', 'noon on the last day', ['2026-01-31T12:00:00Z', '2026-02-28T12:00:00Z']],
    ['cron(0 12 LW * ? *)', 'noon on the last weekday', ['2026-01-30T12:00:00Z', '2026-02-27T12:00:00Z']],
    [
      'cron(0 12 3W * ? *)',
      'noon on the weekday nearest the 3rd',
      ['2026-01-02T12:00:00Z', '2026-02-03T12:00:00Z'],
    ],
    [
      'cron(0 0 ? * L *)',
      "midnight Saturdays (L is the week's last day)",
      ['2026-01-03T00:00:00Z', '2026-01-10T00:00:00Z'],
    ],
    ['cron(0 0 ? * 1 *)', 'day-of-week 1 is Sunday', ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z']],
    [
      'cron(10,44 14 ? 3 WED *)',
      '14:10 and 14:44 Wednesdays in March',
      ['2026-03-04T14:10:00Z', '2026-03-04T14:44:00Z'],
    ],
    [
      'cron(0 0 1 JAN-MAR ? 2027)',
      'the first of January to March 2027',
      ['2027-01-01T00:00:00Z', '2027-02-01T00:00:00Z', '2027-03-01T00:00:00Z'],
    ],
    ['cron(0 12 1/5 * ? *)', 'every 5 days from the 1st', ['2026-01-01T12:00:00Z', '2026-01-06T12:00:00Z']],
    ['cron(* * * * ? *)', 'every minute', ['2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z']],
  ];
  for (const [expression, meaning, expected] of table) {
    it(`${expression}: ${meaning}`, () => {
      assert.deepEqual(next(expression, from, expected.length), expected);
    });
  }

  it('a cron whose years are over has no next occurrence', () => {
    assert.equal(nextOccurrence(parseScheduleExpression('cron(0 0 1 1 ? 2025)'), at(from)), undefined);
    assert.deepEqual(next('cron(0 0 1 1 ? 2027)', from, 3), ['2027-01-01T00:00:00Z']);
  });
});

describe('schedule expressions: rate and at', () => {
  it('rate() is value units from the anchor; singular for 1, plural otherwise', () => {
    const anchor = at('2026-01-01T00:00:30Z');
    const five = parseScheduleExpression('rate(5 minutes)');
    assert.deepEqual(five, {
      type: 'rate',
      text: 'rate(5 minutes)',
      value: 5,
      unit: 'minute',
      periodMs: 300_000,
    });
    assert.equal(iso(nextOccurrence(five, anchor - 1, undefined, anchor)!), '2026-01-01T00:00:30Z');
    assert.equal(iso(nextOccurrence(five, anchor, undefined, anchor)!), '2026-01-01T00:05:30Z');
    assert.equal(iso(nextOccurrence(five, anchor + 299_999, undefined, anchor)!), '2026-01-01T00:05:30Z');
    for (const [text, ms] of [
      ['rate(1 minute)', 60_000],
      ['rate(1 hour)', 3_600_000],
      ['rate(12 hours)', 43_200_000],
      ['rate(1 day)', 86_400_000],
      ['rate(7 days)', 604_800_000],
    ] as const) {
      const expr = parseScheduleExpression(text);
      assert.equal(expr.type === 'rate' && expr.periodMs, ms, text);
    }
  });

  it("at() is a wall-clock time in the schedule's time zone, once", () => {
    const expr = parseScheduleExpression('at(2026-07-01T09:30:00)');
    assert.equal(iso(nextOccurrence(expr, at('2026-01-01T00:00:00Z'))!), '2026-07-01T09:30:00Z');
    assert.equal(iso(nextOccurrence(expr, 0, 'America/New_York')!), '2026-07-01T13:30:00Z');
    assert.equal(iso(nextOccurrence(expr, 0, 'Asia/Tokyo')!), '2026-07-01T00:30:00Z');
    assert.equal(nextOccurrence(expr, at('2026-07-01T09:30:00Z')), undefined, 'past: none');
    // 02:30 does not exist in New York on 2026-03-08; the schedule runs at 03:30 EDT.
    const gap = parseScheduleExpression('at(2026-03-08T02:30:00)');
    assert.equal(iso(nextOccurrence(gap, 0, 'America/New_York')!), '2026-03-08T07:30:00Z');
  });

  it('EventBridge rules take rate() and cron() but not at()', () => {
    assert.equal(parseRuleScheduleExpression('rate(1 hour)').type, 'rate');
    assert.throws(() => parseRuleScheduleExpression('at(2026-07-01T09:30:00)'), ScheduleExpressionError);
  });
});

describe('schedule expressions: what AWS refuses', () => {
  const bad = [
    'rate(1 minutes)',
    'rate(5 minute)',
    'rate(0 minutes)',
    'rate(-1 minutes)',
    'rate(1.5 hours)',
    'rate(5 seconds)',
    'rate(5 weeks)',
    'rate(5minutes)',
    'rate( 5 minutes)',
    'cron(0 10 * * *)',
    'cron(0 10 * * ? * *)',
    'cron(15 12 * * * *)',
    'cron(15 12 ? * ? *)',
    'cron(60 10 * * ? *)',
    'cron(0 24 * * ? *)',
    'cron(0 10 0 * ? *)',
    'cron(0 10 32 * ? *)',
    'cron(0 10 * 13 ? *)',
    'cron(0 10 ? * 8 *)',
    'cron(0 10 ? * 0 *)',
    'cron(0 10 * * ? 1969)',
    'cron(0 10 * * ? 2200)',
    'cron(0 10 ? * 2#6 *)',
    'cron(0 10 ? * FUN *)',
    'cron(0 10 * FOO ? *)',
    'cron(0/0 * * * ? *)',
    'cron(0 10 * * ? *',
    'cron(0 10 L-2 * ? *)',
    'cron(0, 9-18, ?, *, MON-FRI, *)',
    'at(2026-02-30T10:00:00)',
    'at(2026-01-01T24:00:00)',
    'at(2026-01-01 10:00:00)',
    'at(2026-01-01T10:00)',
    '15 12 * * ? *',
    '',
    'every 5 minutes',
  ];
  for (const text of bad) {
    it(`refuses ${JSON.stringify(text)} with Scheduler's message`, () => {
      assert.throws(
        () => parseScheduleExpression(text),
        (error: unknown) =>
          error instanceof ScheduleExpressionError &&
          error.message === `Invalid Schedule Expression ${text}.`,
      );
    });
  }
});

describe('schedule expressions: time zones and daylight saving', () => {
  it('knows IANA names and refuses others', () => {
    assert.equal(isTimeZone('America/New_York'), true);
    assert.equal(isTimeZone('UTC'), true);
    assert.equal(isTimeZone('Mars/Olympus_Mons'), false);
    assert.equal(isTimeZone(''), false);
  });

  it('a daily 09:00 in New York follows the offset across both transitions', () => {
    assert.deepEqual(next('cron(0 9 * * ? *)', '2026-03-07T00:00:00Z', 2, 'America/New_York'), [
      '2026-03-07T14:00:00Z', // EST, UTC-5
      '2026-03-08T13:00:00Z', // EDT, UTC-4
    ]);
    assert.deepEqual(next('cron(0 9 * * ? *)', '2026-10-31T00:00:00Z', 3, 'America/New_York'), [
      '2026-10-31T13:00:00Z',
      '2026-11-01T14:00:00Z',
      '2026-11-02T14:00:00Z',
    ]);
  });

  it('a time the clock skips is skipped (spring forward)', () => {
    // 2026-03-08 02:00 EST becomes 03:00 EDT: 02:30 does not exist that day.
    assert.deepEqual(next('cron(30 2 * * ? *)', '2026-03-07T00:00:00Z', 3, 'America/New_York'), [
      '2026-03-07T07:30:00Z',
      '2026-03-09T06:30:00Z',
      '2026-03-10T06:30:00Z',
    ]);
  });

  it('a time the clock repeats runs once (fall back)', () => {
    // 2026-11-01 02:00 EDT becomes 01:00 EST: 01:00-01:59 happens twice, runs happen once.
    assert.deepEqual(next('cron(30 1 * * ? *)', '2026-10-31T12:00:00Z', 2, 'America/New_York'), [
      '2026-11-01T05:30:00Z',
      '2026-11-02T06:30:00Z',
    ]);
    const quarterHours = next('cron(0/15 * * * ? *)', '2026-11-01T05:00:00Z', 6, 'America/New_York');
    assert.deepEqual(quarterHours, [
      '2026-11-01T05:15:00Z', // 01:15 EDT
      '2026-11-01T05:30:00Z',
      '2026-11-01T05:45:00Z',
      '2026-11-01T07:00:00Z', // 02:00 EST: the repeated 01:00-01:45 EST do not run again
      '2026-11-01T07:15:00Z',
      '2026-11-01T07:30:00Z',
    ]);
  });

  it('a zone south of the equator and one with a half-hour offset', () => {
    // Sydney leaves daylight time on 2026-04-05 (03:00 AEDT becomes 02:00 AEST).
    assert.deepEqual(next('cron(0 12 * * ? *)', '2026-04-04T00:00:00Z', 2, 'Australia/Sydney'), [
      '2026-04-04T01:00:00Z',
      '2026-04-05T02:00:00Z',
    ]);
    assert.deepEqual(next('cron(0 9 * * ? *)', '2026-01-01T00:00:00Z', 1, 'Asia/Kolkata'), [
      '2026-01-01T03:30:00Z',
    ]);
  });

  it('rate() ignores the time zone', () => {
    const expr = parseScheduleExpression('rate(1 hour)');
    const anchor = at('2026-03-08T06:00:00Z');
    assert.equal(
      nextOccurrence(expr, anchor, 'America/New_York', anchor),
      nextOccurrence(expr, anchor, undefined, anchor),
    );
  });
});
