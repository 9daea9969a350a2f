/**
 * What a target receives for an event, as EventBridge builds it from the target's Input,
 * InputPath or InputTransformer (at most one of them; none: the whole event as JSON).
 *
 * InputTransformer: each `<name>` of the template whose name is a key of InputPathsMap or a
 * predefined variable is replaced by the value its path selects in the event:
 *
 *   - inside a JSON string (`"... <name> ..."`): the value's text, escaped for JSON, no quotes;
 *   - outside a string in a JSON template (`{"id": <name>}`): the value as JSON (a string gets
 *     its quotes, an object stays an object);
 *   - in a plain-text template (`<name> is in state <state>`): strings as they are, others as JSON.
 *
 * A path that selects nothing gives `null` outside a string and nothing inside one. With the EC2
 * example of the EventBridge guide (`detail: {"instance-id": "i-0123456789", "state": "RUNNING"}`):
 *   `"<instance> is in state <state>"` -> `"i-0123456789 is in state RUNNING"`
 *   `{"instance": <instance>, "state": [9, <state>, true]}` -> `{"instance": "i-0123456789", "state": [9, "RUNNING", true]}`
 * Pure.
 */
import type { EventEnvelope } from './publish-events.ts';
import { selectJsonPath } from './json-path.ts';
import type { TargetRecord } from './records.ts';

/** The variables EventBridge defines for every transformer (reserved: not keys of InputPathsMap). */
export const PREDEFINED_VARIABLES = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
] as const;

export interface InputContext {
  ruleArn: string;
  ruleName: string;
  /** ISO 8601 time the event was accepted. */
  ingestionTime: string;
}

/** The text a target is invoked with. */
export function targetInput(target: TargetRecord, event: EventEnvelope, ctx: InputContext): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(selectJsonPath(event, target.InputPath) ?? null);
  const transformer = target.InputTransformer;
  if (transformer?.InputTemplate !== undefined) {
    const values = new Map<string, unknown>();
    for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
      values.set(name, selectJsonPath(event, path));
    }
    const { detail: _detail, ...withoutDetail } = event;
    values.set('aws.events.rule-arn', ctx.ruleArn);
    values.set('aws.events.rule-name', ctx.ruleName);
    values.set('aws.events.event.ingestion-time', ctx.ingestionTime);
    values.set('aws.events.event', withoutDetail);
    values.set('aws.events.event.json', event);
    return renderTemplate(transformer.InputTemplate, values);
  }
  return JSON.stringify(event);
}

/** Fills `template`'s placeholders (see the module comment). Unknown `<...>` stay as written. */
export function renderTemplate(template: string, values: ReadonlyMap<string, unknown>): string {
  const trimmed = template.trimStart();
  const json = trimmed.startsWith('{') || trimmed.startsWith('[');
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (inString && c === '\\') {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') {
      inString = !inString;
      out += c;
      continue;
    }
    if (c === '<') {
      const end = template.indexOf('>', i + 1);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (name && values.has(name)) {
        out += substitute(values.get(name), inString, json);
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function substitute(value: unknown, inString: boolean, json: boolean): string {
  if (inString) {
    if (value === undefined) return '';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return JSON.stringify(text).slice(1, -1);
  }
  if (value === undefined) return json ? 'null' : '';
  if (typeof value === 'string' && !json) return value;
  return JSON.stringify(value);
}
