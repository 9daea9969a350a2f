/**
 * The AWS managed policies Longshore knows (`src/iam/managed-policies/*.json`, one file each with
 * AWS's document): listed by ListPolicies Scope=AWS, attachable by `arn:aws:iam::aws:policy<path><name>`.
 * Read once, on first use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { AWS_POLICY_ARN_PREFIX } from './ids.ts';
import type { PolicyDocument } from './principal.ts';

export interface AwsManagedPolicy {
  policyName: string;
  path: string;
  arn: string;
  /** A stable id derived from the name (AWS's own ids are not published). */
  policyId: string;
  description: string;
  defaultVersionId: string;
  createDate: number;
  updateDate: number;
  document: PolicyDocument;
}

interface PolicyFile {
  PolicyName: string;
  Path: string;
  Description: string;
  DefaultVersionId: string;
  CreateDate: string;
  UpdateDate: string;
  Document: PolicyDocument;
}

const DIR = new URL('../managed-policies/', import.meta.url);

let byArn: ReadonlyMap<string, AwsManagedPolicy> | undefined;

/** Every AWS managed policy, by ARN, sorted by name. */
export function awsManagedPolicies(): ReadonlyMap<string, AwsManagedPolicy> {
  if (byArn) return byArn;
  const policies: AwsManagedPolicy[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
    const raw = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as PolicyFile;
    policies.push({
      policyName: raw.PolicyName,
      path: raw.Path,
      arn: `${AWS_POLICY_ARN_PREFIX}${raw.Path}${raw.PolicyName}`,
      policyId: stableId(raw.PolicyName),
      description: raw.Description,
      defaultVersionId: raw.DefaultVersionId,
      createDate: Date.parse(raw.CreateDate),
      updateDate: Date.parse(raw.UpdateDate),
      document: raw.Document,
    });
  }
  policies.sort((a, b) => a.policyName.localeCompare(b.policyName));
  byArn = new Map(policies.map((p) => [p.arn, p]));
  return byArn;
}

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return awsManagedPolicies().get(arn);
}

/** `ANPA` + 17 base32 characters from a hash of the name: the same id on every installation. */
function stableId(name: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let h = 2166136261;
  let out = 'ANPA';
  for (let i = 0; out.length < 21; i++) {
    h = Math.imul(h ^ name.charCodeAt(i % name.length) ^ i, 16777619) >>> 0;
    out += alphabet[h % 32];
  }
  return out;
}
