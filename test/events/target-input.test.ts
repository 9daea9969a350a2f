/**
 * Input, InputPath and InputTransformer as EventBridge substitutes them, with the EC2 example
 * event and the templates of the EventBridge user guide's "Input transform examples", plus the
 * JSON paths EventBridge accepts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonPath, selectJsonPath } from '../../src/events/model/json-path.ts';
import type { EventEnvelope } from '../../src/events/model/publish-events.ts';
import { targetInput } from '../../src/events/model/target-input.ts';

const EVENT: EventEnvelope = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const CTX = {
  ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r',
  ruleName: 'r',
  ingestionTime: '2015-11-11T21:29:55Z',
};
const PATHS = { instance: '$.detail.instance-id', state: '$.detail.state' };

const transform = (template: string, paths: Record<string, string> = PATHS) =>
  targetInput(
    { Id: 't', Arn: 'arn', InputTransformer: { InputPathsMap: paths, InputTemplate: template } },
    EVENT,
    CTX,
  );

describe('target input', () => {
  it('substitutes as the EventBridge guide shows', () => {
    const table: [string, string][] = [
      ['"<instance> is in state <state>"', '"i-0123456789 is in state RUNNING"'],
      ['"<instance> is in state \\"<state>\\""', '"i-0123456789 is in state \\"RUNNING\\""'],
      ['<instance> is in state <state>', 'i-0123456789 is in state RUNNING'],
      [
        '{\n  "instance" : <instance>,\n  "state": <state>\n}',
        '{\n  "instance" : "i-0123456789",\n  "state": "RUNNING"\n}',
      ],
      [
        '{"instance" : "<instance>", "state": "<state>"}',
        '{"instance" : "i-0123456789", "state": "RUNNING"}',
      ],
      [
        '{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}',
        '{"instance" : "i-0123456789", "state": [ 9, "RUNNING", true ], "Transformed" : "Yes"}',
      ],
      [
        '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<state>\\""}',
        '{"myInstance": "i-0123456789","myStatus": "i-0123456789 is in state \\"RUNNING\\""}',
      ],
    ];
    for (const [template, expected] of table) assert.equal(transform(template), expected, template);
    // The JSON results parse.
    assert.deepEqual(JSON.parse(transform('{"instance" : <instance>, "state": [ 9, <state>, true ]}')), {
      instance: 'i-0123456789',
      state: [9, 'RUNNING', true],
    });
  });

  it('inserts objects, arrays, numbers and the predefined variables', () => {
    const out = JSON.parse(
      transform(
        '{"detail": <detail>, "res": <res>, "rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>", "at": <aws.events.event.ingestion-time>, "event": <aws.events.event.json>, "head": <aws.events.event>}',
        {
          detail: '$.detail',
          res: '$.resources',
        },
      ),
    );
    assert.deepEqual(out.detail, EVENT.detail);
    assert.deepEqual(out.res, EVENT.resources);
    assert.equal(out.rule, 'r');
    assert.equal(out.arn, CTX.ruleArn);
    assert.equal(out.at, CTX.ingestionTime);
    assert.deepEqual(out.event, EVENT);
    assert.equal(out.head.detail, undefined);
    assert.equal(out.head.id, EVENT.id);
  });

  it('gives null for a path that selects nothing, and leaves unknown placeholders', () => {
    assert.equal(
      transform('{"x": <missing>, "y": "<missing>", "z": "<unknown>"}', { missing: '$.detail.nope' }),
      '{"x": null, "y": "", "z": "<unknown>"}',
    );
  });

  it('escapes strings placed inside JSON strings', () => {
    const event = { ...EVENT, detail: { msg: 'say "hi"\n' } };
    const out = targetInput(
      {
        Id: 't',
        Arn: 'a',
        InputTransformer: { InputPathsMap: { m: '$.detail.msg' }, InputTemplate: '{"text": "got <m>"}' },
      },
      event,
      CTX,
    );
    assert.deepEqual(JSON.parse(out), { text: 'got say "hi"\n' });
  });

  it('sends Input as is, InputPath selections, or the whole event', () => {
    assert.equal(targetInput({ Id: 't', Arn: 'a', Input: '{"k": 1}' }, EVENT, CTX), '{"k": 1}');
    assert.equal(
      targetInput({ Id: 't', Arn: 'a', InputPath: '$.detail' }, EVENT, CTX),
      JSON.stringify(EVENT.detail),
    );
    assert.deepEqual(JSON.parse(targetInput({ Id: 't', Arn: 'a' }, EVENT, CTX)), EVENT);
  });

  it('reads the JSON paths EventBridge accepts', () => {
    assert.equal(selectJsonPath(EVENT, '$.resources[0]'), EVENT.resources[0]);
    assert.deepEqual(selectJsonPath({ a: [{ b: 1 }, { b: 2 }] }, '$.a[*].b'), [1, 2]);
    assert.equal(selectJsonPath(EVENT, '$.detail.instance-id'), 'i-0123456789');
    assert.equal(selectJsonPath(EVENT, '$'), EVENT);
    assert.equal(selectJsonPath(EVENT, '$.nope.deeper'), undefined);
    for (const bad of ['detail', '$..x', '$[x]', '$.a[']) assert.equal(parseJsonPath(bad), undefined, bad);
  });
});
