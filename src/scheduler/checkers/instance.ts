/** Static checkers on the instance itself: status, agent connection, launch type, required attributes. */
import type { Attribute } from '@aws-sdk/client-ecs';
import { Reason } from '../reasons.ts';
import { type InstanceLaunchType, InstanceStatus } from '../types.ts';
import { type Checker, flat } from './checker.ts';

/** Only ACTIVE instances take new tasks; DRAINING ones keep what they run. */
export const statusChecker: Checker = {
  reason: Reason.Status,
  static: true,
  key: 'status',
  rejects: (view) => view.state.instance.status !== InstanceStatus.Active,
  shortfall: (view) => flat(`status ${view.state.instance.status}`),
};

/** "Only instances connected to an agent can accept task placement requests." */
export const agentChecker: Checker = {
  reason: Reason.Agent,
  static: true,
  key: 'agent',
  rejects: (view) => !view.state.instance.agentConnected,
  shortfall: () => flat('agent disconnected'),
};

/** External (ECS Anywhere) instances carry this attribute and take only EXTERNAL launches. */
export const EXTERNAL_ATTRIBUTE = 'ecs.capability.external';

export function launchTypeChecker(launchType: InstanceLaunchType): Checker {
  const kindOf = (attributes: Readonly<Record<string, string | undefined>>): InstanceLaunchType =>
    Object.hasOwn(attributes, EXTERNAL_ATTRIBUTE) ? 'EXTERNAL' : 'EC2';
  return {
    reason: Reason.LaunchType,
    static: true,
    key: `launch:${launchType}`,
    rejects: (view) => kindOf(view.state.instance.attributes) !== launchType,
    shortfall: (view) =>
      flat(`${kindOf(view.state.instance.attributes)} instance, launch type ${launchType}`),
  };
}

/**
 * `requiresAttributes` from the task definition (e.g. `com.amazonaws.ecs.capability.logging-driver.awslogs`):
 * each must exist on the instance, with the same value when one is given.
 */
export function attributesChecker(required: readonly Attribute[]): Checker {
  const missing = (attributes: Readonly<Record<string, string | undefined>>): Attribute | undefined =>
    required.find(
      (a) =>
        !a.name ||
        !Object.hasOwn(attributes, a.name) ||
        (a.value !== undefined && a.value !== null && attributes[a.name] !== a.value),
    );
  return {
    reason: Reason.Attribute,
    static: true,
    key: `attributes:${JSON.stringify(required.map((a) => [a.name, a.value ?? null]))}`,
    rejects: (view) => missing(view.state.instance.attributes) !== undefined,
    shortfall: (view) => {
      const a = missing(view.state.instance.attributes);
      return flat(`missing attribute ${a?.name}${a?.value ? `=${a.value}` : ''}`);
    },
  };
}
