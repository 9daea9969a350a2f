/**
 * What the authorizer needs to know of a resource the catalog names by reference: its real ARN,
 * its resource-based policy and its tags, read from the region's store view. ECR repositories
 * (SetRepositoryPolicy's text), Secrets Manager secrets (PutResourcePolicy's) and EventBridge
 * buses (PutPermission's). The records are read by the keys their services write them under.
 */
import { Kind, type Reader } from '../../store/store.ts';
import type { ResourceFacts } from '../authorize.ts';
import type { ResourceRef } from './types.ts';

interface Tagged {
  tags?: { Key: string; Value: string }[] | Record<string, string>;
}
const tagsOf = (t: Tagged['tags']): Record<string, string> | undefined => {
  if (!t) return undefined;
  if (Array.isArray(t)) return t.length > 0 ? Object.fromEntries(t.map((x) => [x.Key, x.Value])) : undefined;
  return Object.keys(t).length > 0 ? t : undefined;
};

interface RepositoryLike extends Tagged {
  repositoryArn: string;
  policyText?: string;
}
interface SecretLike extends Tagged {
  arn: string;
  policy?: string;
}
interface BusLike {
  arn: string;
  policy?: string;
  tags?: Record<string, string>;
}

/** The facts of `ref` in `reader` (a region's store view), or undefined when it does not exist. */
export async function resourceFacts(reader: Reader, ref: ResourceRef): Promise<ResourceFacts | undefined> {
  switch (ref.type) {
    case 'ecr-repository': {
      const r = (await reader.get<RepositoryLike>(Kind.EcrRepository, ref.id))?.value;
      return r ? facts(r.repositoryArn, r.policyText, tagsOf(r.tags)) : undefined;
    }
    case 'secret': {
      for (const name of secretNames(ref.id)) {
        const s = (await reader.get<SecretLike>(Kind.SecretsManagerSecret, name))?.value;
        if (s && (!ref.id.startsWith('arn:') || s.arn.startsWith(ref.id)))
          return facts(s.arn, s.policy, tagsOf(s.tags));
      }
      return undefined;
    }
    case 'event-bus': {
      const b = (await reader.get<BusLike>(Kind.EventBus, ref.id))?.value;
      return b ? facts(b.arn, b.policy, tagsOf(b.tags)) : undefined;
    }
  }
}

const facts = (
  arn: string,
  policy: string | undefined,
  tags: Record<string, string> | undefined,
): ResourceFacts => ({
  arn,
  ...(policy ? { policy } : {}),
  ...(tags ? { tags } : {}),
});

/** The names a SecretId may stand for: itself, or from an ARN the name with and without its suffix. */
function secretNames(id: string): string[] {
  const marker = id.indexOf(':secret:');
  if (!id.startsWith('arn:') || marker < 0) return [id];
  const rest = id.slice(marker + ':secret:'.length);
  return /-[A-Za-z0-9]{6}$/.test(rest) ? [rest.slice(0, -7), rest] : [rest];
}
