/** The table of implemented EventBridge operations. docs/api-coverage-events.md is generated from it. */
import type { Handler } from '../../aws/handler-table.ts';
import type { EventsContext } from '../model/records.ts';
import {
  createApiDestination,
  deleteApiDestination,
  describeApiDestination,
  listApiDestinations,
  updateApiDestination,
} from './api-destinations.ts';
import { createConnection, updateConnection } from './create-connection.ts';
import { createEventBus } from './create-event-bus.ts';
import { deleteEventBus } from './delete-event-bus.ts';
import { deleteRule } from './delete-rule.ts';
import { deleteConnection, describeConnection, listConnections } from './describe-connection.ts';
import { describeEventBus, listEventBuses } from './describe-event-bus.ts';
import { describeRule, listRuleNamesByTarget, listRules } from './describe-rule.ts';
import { disableRule, enableRule } from './enable-rule.ts';
import { listTargetsByRule } from './list-targets-by-rule.ts';
import { putPermission, removePermission } from './permissions.ts';
import { putEvents } from './put-events.ts';
import { putRule } from './put-rule.ts';
import { putTargets } from './put-targets.ts';
import { removeTargets } from './remove-targets.ts';
import { listTagsForResource, tagResource, untagResource } from './resource-tags.ts';
import { testEventPattern } from './test-event-pattern.ts';
import { updateEventBus } from './update-event-bus.ts';

export const handlers: Readonly<Record<string, Handler<EventsContext>>> = {
  CreateEventBus: { category: 'write', handle: createEventBus },
  DescribeEventBus: { category: 'read', handle: describeEventBus },
  ListEventBuses: { category: 'read', handle: listEventBuses },
  DeleteEventBus: { category: 'write', handle: deleteEventBus },
  UpdateEventBus: { category: 'write', handle: updateEventBus },
  PutPermission: { category: 'write', handle: putPermission },
  RemovePermission: { category: 'write', handle: removePermission },
  PutRule: { category: 'write', handle: putRule },
  DescribeRule: { category: 'read', handle: describeRule },
  ListRules: { category: 'read', handle: listRules },
  ListRuleNamesByTarget: { category: 'read', handle: listRuleNamesByTarget },
  DeleteRule: { category: 'write', handle: deleteRule },
  EnableRule: { category: 'write', handle: enableRule },
  DisableRule: { category: 'write', handle: disableRule },
  PutTargets: { category: 'write', handle: putTargets },
  RemoveTargets: { category: 'write', handle: removeTargets },
  ListTargetsByRule: { category: 'read', handle: listTargetsByRule },
  PutEvents: { category: 'putEvents', handle: putEvents },
  TestEventPattern: { category: 'read', handle: testEventPattern },
  TagResource: { category: 'write', handle: tagResource },
  UntagResource: { category: 'write', handle: untagResource },
  ListTagsForResource: { category: 'read', handle: listTagsForResource },
  CreateConnection: { category: 'write', handle: createConnection },
  DescribeConnection: { category: 'read', handle: describeConnection },
  ListConnections: { category: 'read', handle: listConnections },
  UpdateConnection: { category: 'write', handle: updateConnection },
  DeleteConnection: { category: 'write', handle: deleteConnection },
  CreateApiDestination: { category: 'write', handle: createApiDestination },
  DescribeApiDestination: { category: 'read', handle: describeApiDestination },
  ListApiDestinations: { category: 'read', handle: listApiDestinations },
  UpdateApiDestination: { category: 'write', handle: updateApiDestination },
  DeleteApiDestination: { category: 'write', handle: deleteApiDestination },
};
