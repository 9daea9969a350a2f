/**
 * Lifecycle policy documents: parsed and checked as ECR checks them before it stores one (its JSON
 * schema, then its rules about priorities, tag selections and count types), with ECR's
 * "Lifecycle policy validation failure" messages. The evaluation is in lifecycle-evaluate.ts.
 */
import { ServiceError } from '../../core/errors.ts';

/** ECR's error type for a policy it refuses (EcrErrorCode.InvalidParameter; not imported, to keep the model acyclic). */
const INVALID_PARAMETER = 'InvalidParameterException';

export type TagStatus = 'tagged' | 'untagged' | 'any';
export type CountType = 'imageCountMoreThan' | 'sinceImagePushed';

export interface LifecycleSelection {
  tagStatus: TagStatus;
  tagPrefixList?: string[];
  tagPatternList?: string[];
  countType: CountType;
  countUnit?: 'days';
  countNumber: number;
}

export interface LifecycleRule {
  rulePriority: number;
  description?: string;
  selection: LifecycleSelection;
  action: { type: 'expire' };
}

/** A checked policy: its rules in priority order (lowest number first). */
export interface LifecyclePolicy {
  rules: LifecycleRule[];
}

/** The policy text's length limits (the model's). */
export const LIFECYCLE_POLICY_LENGTH = { min: 100, max: 30_720 } as const;
/** At most four `*` wildcards in one tagPatternList entry, as ECR. */
export const MAX_PATTERN_WILDCARDS = 4;

const RULE_KEYS = ['rulePriority', 'description', 'selection', 'action'];
const SELECTION_KEYS = [
  'tagStatus',
  'tagPrefixList',
  'tagPatternList',
  'countType',
  'countUnit',
  'countNumber',
];

/** ECR's InvalidParameterException for a policy it refuses. */
export function invalidPolicy(detail: string): ServiceError {
  return new ServiceError(
    INVALID_PARAMETER,
    `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${detail}'`,
  );
}

const missing = (names: string[]) =>
  invalidPolicy(`object has missing required properties (${JSON.stringify(names)})`);
const notAllowed = (name: string) =>
  invalidPolicy(
    `object instance has properties which are not allowed by the schema: (${JSON.stringify([name])})`,
  );
const notInEnum = (value: unknown, allowed: string[]) =>
  invalidPolicy(
    `instance value (${JSON.stringify(value)}) not found in enum (possible values: ${JSON.stringify(allowed)})`,
  );
const wrongType = (value: unknown, type: string) =>
  invalidPolicy(
    `instance type (${jsonType(value)}) does not match any allowed primitive type (allowed: [${JSON.stringify(type)}])`,
  );

/** Parses and checks a lifecycle policy text; throws ECR's InvalidParameterException when it is not one. */
export function parseLifecyclePolicy(text: string): LifecyclePolicy {
  if (text.length < LIFECYCLE_POLICY_LENGTH.min || text.length > LIFECYCLE_POLICY_LENGTH.max) {
    throw new ServiceError(
      INVALID_PARAMETER,
      `Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: 'Member must have length between ${LIFECYCLE_POLICY_LENGTH.min} and ${LIFECYCLE_POLICY_LENGTH.max}'`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalidPolicy('Could not map policyString into LifecyclePolicy.');
  }
  if (!isObject(doc)) throw wrongType(doc, 'object');
  if (!('rules' in doc)) throw missing(['rules']);
  for (const key of Object.keys(doc)) if (key !== 'rules') throw notAllowed(key);
  if (!Array.isArray(doc.rules)) throw wrongType(doc.rules, 'array');
  if (doc.rules.length === 0)
    throw invalidPolicy('array is too short: must have at least 1 elements but instance has 0 elements');
  const rules = doc.rules.map(readRule).sort((a, b) => a.rulePriority - b.rulePriority);
  checkRuleSet(rules);
  return { rules };
}

function readRule(raw: unknown): LifecycleRule {
  if (!isObject(raw)) throw wrongType(raw, 'object');
  const absent = ['action', 'rulePriority', 'selection'].filter((k) => !(k in raw));
  if (absent.length > 0) throw missing(absent);
  for (const key of Object.keys(raw)) if (!RULE_KEYS.includes(key)) throw notAllowed(key);
  const priority = raw.rulePriority;
  if (typeof priority !== 'number' || !Number.isInteger(priority)) throw wrongType(priority, 'integer');
  if (priority < 1)
    throw invalidPolicy(
      `numeric instance is lower than the required minimum (minimum: 1, found: ${priority})`,
    );
  if (raw.description !== undefined && typeof raw.description !== 'string')
    throw wrongType(raw.description, 'string');
  return {
    rulePriority: priority,
    ...(raw.description !== undefined ? { description: raw.description as string } : {}),
    selection: readSelection(raw.selection),
    action: readAction(raw.action),
  };
}

function readAction(raw: unknown): { type: 'expire' } {
  if (!isObject(raw)) throw wrongType(raw, 'object');
  if (!('type' in raw)) throw missing(['type']);
  for (const key of Object.keys(raw)) if (key !== 'type') throw notAllowed(key);
  if (raw.type !== 'expire') throw notInEnum(raw.type, ['expire']);
  return { type: 'expire' };
}

function readSelection(raw: unknown): LifecycleSelection {
  if (!isObject(raw)) throw wrongType(raw, 'object');
  const absent = ['countNumber', 'countType', 'tagStatus'].filter((k) => !(k in raw));
  if (absent.length > 0) throw missing(absent);
  for (const key of Object.keys(raw)) if (!SELECTION_KEYS.includes(key)) throw notAllowed(key);
  const tagStatus = raw.tagStatus;
  if (tagStatus !== 'tagged' && tagStatus !== 'untagged' && tagStatus !== 'any') {
    throw notInEnum(tagStatus, ['any', 'tagged', 'untagged']);
  }
  const countType = raw.countType;
  if (countType !== 'imageCountMoreThan' && countType !== 'sinceImagePushed') {
    throw notInEnum(countType, ['imageCountMoreThan', 'sinceImagePushed']);
  }
  const countNumber = raw.countNumber;
  if (typeof countNumber !== 'number' || !Number.isInteger(countNumber))
    throw wrongType(countNumber, 'integer');
  if (countNumber < 1)
    throw invalidPolicy(
      `numeric instance is lower than the required minimum (minimum: 1, found: ${countNumber})`,
    );
  const selection: LifecycleSelection = { tagStatus, countType, countNumber };
  if (countType === 'sinceImagePushed') {
    if (raw.countUnit === undefined)
      throw invalidPolicy('countUnit is required when countType is sinceImagePushed');
    if (raw.countUnit !== 'days') throw notInEnum(raw.countUnit, ['days']);
    selection.countUnit = 'days';
  } else if (raw.countUnit !== undefined) {
    throw invalidPolicy('countUnit must not be specified when countType is imageCountMoreThan');
  }
  const prefixes = readStrings(raw.tagPrefixList, 'tagPrefixList');
  const patterns = readStrings(raw.tagPatternList, 'tagPatternList');
  if (tagStatus === 'tagged') {
    if (prefixes === undefined && patterns === undefined) {
      throw invalidPolicy('tagPrefixList or tagPatternList is required when tagStatus is tagged');
    }
    if (prefixes !== undefined && patterns !== undefined) {
      throw invalidPolicy('tagPrefixList and tagPatternList cannot both be specified in one rule');
    }
  } else if (prefixes !== undefined || patterns !== undefined) {
    throw invalidPolicy(
      `tagPrefixList and tagPatternList can only be specified when tagStatus is tagged, not ${tagStatus}`,
    );
  }
  for (const p of patterns ?? []) {
    if ((p.match(/\*/g) ?? []).length > MAX_PATTERN_WILDCARDS) {
      throw invalidPolicy(`tagPatternList entry '${p}' has more than ${MAX_PATTERN_WILDCARDS} wildcards`);
    }
  }
  if (prefixes !== undefined) selection.tagPrefixList = prefixes;
  if (patterns !== undefined) selection.tagPatternList = patterns;
  return selection;
}

function readStrings(raw: unknown, name: string): string[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw wrongType(raw, 'array');
  if (raw.length === 0)
    throw invalidPolicy(
      `${name}: array is too short: must have at least 1 elements but instance has 0 elements`,
    );
  for (const s of raw) {
    if (typeof s !== 'string') throw wrongType(s, 'string');
    if (s.length < 1 || s.length > 128)
      throw invalidPolicy(`${name} entries must have length between 1 and 128`);
  }
  return [...new Set(raw as string[])];
}

/** The rules across the policy: unique priorities, `any` last, one rule for untagged images. */
function checkRuleSet(rules: LifecycleRule[]): void {
  for (let i = 1; i < rules.length; i++) {
    if (rules[i].rulePriority === rules[i - 1].rulePriority) {
      throw invalidPolicy(
        `The rulePriority ${rules[i].rulePriority} is used by more than one rule; rule priorities must be unique`,
      );
    }
  }
  const anyIndex = rules.findIndex((r) => r.selection.tagStatus === 'any');
  if (anyIndex >= 0 && anyIndex !== rules.length - 1) {
    throw invalidPolicy(
      "A rule with tagStatus 'any' must have the highest rulePriority and be evaluated last",
    );
  }
  if (rules.filter((r) => r.selection.tagStatus === 'untagged').length > 1) {
    throw invalidPolicy("Only one rule may select untagged images (tagStatus 'untagged')");
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
