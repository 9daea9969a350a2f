/** TagResource, UntagResource, ListTagsForResource: tags of rules and event buses, by ARN. */
import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { Kind, type Tx } from '../../store/store.ts';
import { findBus } from '../model/buses.ts';
import { notFound } from '../model/errors.ts';
import {
  type BusRecord,
  DEFAULT_BUS,
  type EventsContext,
  eventsKeys,
  type RuleRecord,
} from '../model/records.ts';
import { tagList, tagMap } from './tags-input.ts';

export async function tagResource(ctx: EventsContext, input: Wire<TagResourceRequest>): Promise<object> {
  const tags = tagMap(input.Tags);
  await ctx.store.transact((tx) => updateTags(tx, ctx, input.ResourceARN ?? '', (t) => ({ ...t, ...tags })));
  return {};
}

export async function untagResource(ctx: EventsContext, input: Wire<UntagResourceRequest>): Promise<object> {
  const drop = new Set(input.TagKeys ?? []);
  await ctx.store.transact((tx) =>
    updateTags(tx, ctx, input.ResourceARN ?? '', (t) =>
      Object.fromEntries(Object.entries(t).filter(([k]) => !drop.has(k))),
    ),
  );
  return {};
}

export async function listTagsForResource(
  ctx: EventsContext,
  input: Wire<ListTagsForResourceRequest>,
): Promise<Wire<ListTagsForResourceResponse>> {
  const tags = await ctx.store.transact(async (tx) => {
    let seen: Record<string, string> = {};
    await updateTags(tx, ctx, input.ResourceARN ?? '', (t) => {
      seen = t;
      return undefined;
    });
    return seen;
  });
  return { Tags: tagList(tags) };
}

/** Applies `change` to the tags of the rule or bus `arn` names (undefined: only read). */
async function updateTags(
  tx: Tx,
  ctx: EventsContext,
  arn: string,
  change: (tags: Record<string, string>) => Record<string, string> | undefined,
): Promise<void> {
  const prefix = `arn:aws:events:${ctx.partition.region}:${ctx.partition.accountId}:`;
  const resource = arn.startsWith(prefix) ? arn.slice(prefix.length) : '';
  if (resource.startsWith('rule/')) {
    const parts = resource.slice('rule/'.length).split('/');
    const [bus, name] = parts.length === 1 ? [DEFAULT_BUS, parts[0]!] : [parts[0]!, parts[1]!];
    const key = eventsKeys.rule(bus, name);
    const stored = await tx.get<RuleRecord>(Kind.EventRule, key);
    if (!stored) throw notFound(`Rule ${name} does not exist on EventBus ${bus}.`);
    const tags = change(stored.value.tags);
    if (tags) await tx.put(Kind.EventRule, key, { ...stored.value, tags }, stored.version);
    return;
  }
  if (resource.startsWith('event-bus/')) {
    const bus = await findBus(tx, ctx, arn);
    if (!bus) throw notFound(`Event bus ${resource.slice('event-bus/'.length)} does not exist.`);
    const tags = change(bus.tags);
    if (!tags) return;
    const stored = await tx.get<BusRecord>(Kind.EventBus, bus.name);
    const now = ctx.clock.now();
    await tx.put(
      Kind.EventBus,
      bus.name,
      { ...bus, tags, createdAt: bus.createdAt || now, lastModifiedAt: bus.lastModifiedAt || now },
      stored ? stored.version : 'absent',
    );
    return;
  }
  throw notFound(`Resource ${arn} does not exist.`);
}
