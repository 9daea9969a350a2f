/** Tags on EC2 resources: TagSpecifications at creation, validation, and the `{Key, Value}` form answers use. */
import type { Tag, TagSpecification } from '@aws-sdk/client-ec2';
import { ServiceError } from '../core/errors.ts';
import { invalidValue } from './model/errors.ts';
import type { Ec2Tag } from './model/records.ts';

/** The resource types this subset can tag, as TagSpecifications and DescribeTags name them. */
export const TaggableType = {
  Vpc: 'vpc',
  Subnet: 'subnet',
  SecurityGroup: 'security-group',
  SecurityGroupRule: 'security-group-rule',
  NetworkInterface: 'network-interface',
} as const;
export type TaggableType = (typeof TaggableType)[keyof typeof TaggableType];

/** EC2's limits: 50 tags per resource, keys up to 128 characters, values up to 256. */
const MAX_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;

/** The tags a create call's TagSpecifications give a resource of `type` (any other type is refused). */
export function tagsFromSpecifications(
  specs: readonly TagSpecification[] | undefined,
  type: TaggableType,
): Ec2Tag[] {
  let tags: Ec2Tag[] = [];
  for (const spec of specs ?? []) {
    if (spec.ResourceType !== type) {
      throw invalidValue(
        `'${spec.ResourceType ?? 'null'}' is not a valid taggable resource type for this operation.`,
      );
    }
    if (!spec.Tags || spec.Tags.length === 0)
      throw invalidValue('Tag specification must have at least one tag');
    tags = mergeTags(tags, checkedTags(spec.Tags));
  }
  return tags;
}

/** Tags as given, checked: a key, not `aws:`, within EC2's lengths. */
export function checkedTags(tags: readonly Tag[]): Ec2Tag[] {
  return tags.map((t) => {
    const key = t.Key;
    if (key === undefined) throw new ServiceError('InvalidParameterValue', 'Tag key cannot be null.');
    if (key.length === 0 || key.length > MAX_KEY) {
      throw invalidValue(
        `Tag key exceeds the maximum length of ${MAX_KEY} characters` +
          (key.length === 0 ? ' or is empty' : ''),
      );
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidValue("Tag keys starting with 'aws:' are reserved for internal use");
    }
    const value = t.Value ?? '';
    if (value.length > MAX_VALUE)
      throw invalidValue(`Tag value exceeds the maximum length of ${MAX_VALUE} characters`);
    return { key, value };
  });
}

/** `tags` with `added` put in: a key already there takes the new value. */
export function mergeTags(tags: readonly Ec2Tag[], added: readonly Ec2Tag[]): Ec2Tag[] {
  const byKey = new Map(tags.map((t) => [t.key, t.value]));
  for (const t of added) byKey.set(t.key, t.value);
  if (byKey.size > MAX_TAGS) {
    throw new ServiceError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** The answer form; EC2 leaves the member out when a resource has no tags. */
export function tagsOut(tags: readonly Ec2Tag[]): { Key: string; Value: string }[] | undefined {
  return tags.length === 0 ? undefined : tags.map((t) => ({ Key: t.key, Value: t.value }));
}
