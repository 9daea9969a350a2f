/** CreateTargetGroup: an instance or ip target group in a VPC, with ELBv2's health check defaults; the same call again answers the same group. */
import type {
  CreateTargetGroupInput,
  CreateTargetGroupOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { getVpc } from '../ec2/model/index.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { healthCheckFrom } from './health-check.ts';
import { newElbId, targetGroupArn } from './model/arns.ts';
import { isHttpProtocol } from './model/attributes.ts';
import { Elbv2ErrorCode, validation } from './model/errors.ts';
import { ACCOUNT_LIMITS } from './model/limits.ts';
import { listTargetGroups } from './model/lookups.ts';
import { targetGroupLoadBalancers } from './model/usage.ts';
import type { TargetGroupProtocol, TargetGroupRecord, TargetType } from './model/records.ts';
import { checkName } from './names.ts';
import { inRegion } from './region.ts';
import { targetGroupShape } from './shapes.ts';
import { checkedTags } from './tags.ts';

const PROTOCOLS: readonly TargetGroupProtocol[] = ['HTTP', 'HTTPS', 'TCP', 'UDP', 'TCP_UDP', 'TLS'];

export async function createTargetGroup(
  ctx: Elbv2Context,
  input: Wire<CreateTargetGroupInput>,
  _request: RequestContext,
): Promise<Wire<CreateTargetGroupOutput>> {
  const name = checkName('Target group', input.Name ?? '');
  const targetType = checkedTargetType(input.TargetType);
  const protocol = checkedProtocol(input.Protocol);
  const port = input.Port;
  if (port === undefined) throw validation('A port must be specified');
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw validation(`Port '${port}' must be between 1 and 65535`);
  if (input.VpcId === undefined) throw validation('A VPC ID must be specified');
  const protocolVersion = checkedProtocolVersion(protocol, input.ProtocolVersion);
  if (input.IpAddressType !== undefined && input.IpAddressType !== 'ipv4') {
    throw validation(
      `IP address type '${input.IpAddressType}' is not supported: Longshore's VPCs have no IPv6 ranges`,
    );
  }
  const healthCheck = healthCheckFrom(protocol, input);
  const tags = checkedTags(input.Tags);
  const vpcId = input.VpcId;
  return inRegion(ctx, async (tx) => {
    if (!(await getVpc(tx, vpcId))) throw validation(`The VPC ID '${vpcId}' is not found`);
    const all = await listTargetGroups(tx);
    const record: Omit<TargetGroupRecord, 'arn' | 'tags' | 'createdAt'> = {
      name,
      protocol,
      ...(protocolVersion ? { protocolVersion } : {}),
      port,
      vpcId,
      targetType,
      ipAddressType: 'ipv4',
      healthCheck,
      attributes: {},
    };
    const same = all.find((tg) => tg.name === name);
    if (same) {
      const { arn: _a, tags: _t, createdAt: _c, attributes: _at, ...settings } = same;
      const { attributes: _at2, ...wanted } = record;
      if (JSON.stringify(sorted(settings)) === JSON.stringify(sorted(wanted))) {
        return { TargetGroups: [targetGroupShape(same, await targetGroupLoadBalancers(tx, same.arn))] };
      }
      throw new ServiceError(
        Elbv2ErrorCode.DuplicateTargetGroupName,
        `A target group with the same name '${name}' exists, but with different settings`,
      );
    }
    const max = ACCOUNT_LIMITS['target-groups'];
    if (all.length >= max) {
      throw new ServiceError(
        Elbv2ErrorCode.TooManyTargetGroups,
        `The maximum number of target groups (${max}) has been reached`,
      );
    }
    const tg: TargetGroupRecord = {
      ...record,
      arn: targetGroupArn(ctx.partition, name, newElbId(ctx.rng)),
      tags,
      createdAt: ctx.clock.now(),
    };
    await tx.put(Kind.Elbv2TargetGroup, tg.arn, tg, 'absent');
    return { TargetGroups: [targetGroupShape(tg, [])] };
  });
}

/** An object with its keys in order (for comparing settings). */
function sorted(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function checkedTargetType(type: string | undefined): TargetType {
  if (type === undefined || type === 'instance' || type === 'ip') return type ?? 'instance';
  if (type === 'lambda' || type === 'alb') {
    throw validation(`Longshore does not support target type '${type}'; use 'instance' or 'ip'`);
  }
  throw validation(`Target type '${type}' must be one of 'instance, ip, lambda, alb'`);
}

function checkedProtocol(protocol: string | undefined): TargetGroupProtocol {
  if (protocol === undefined) throw validation('A protocol must be specified');
  if (protocol === 'GENEVE')
    throw validation("Longshore does not support the 'GENEVE' protocol (gateway load balancers)");
  if (!PROTOCOLS.includes(protocol as TargetGroupProtocol)) {
    throw validation(`Protocol '${protocol}' must be one of '${[...PROTOCOLS, 'GENEVE'].join(', ')}'`);
  }
  return protocol as TargetGroupProtocol;
}

function checkedProtocolVersion(
  protocol: TargetGroupProtocol,
  version: string | undefined,
): string | undefined {
  if (!isHttpProtocol(protocol)) {
    if (version !== undefined)
      throw validation('A protocol version can only be specified for HTTP and HTTPS target groups');
    return undefined;
  }
  const v = version ?? 'HTTP1';
  if (v === 'GRPC') throw validation("Longshore does not support the 'GRPC' protocol version");
  if (v !== 'HTTP1' && v !== 'HTTP2')
    throw validation(`Protocol version '${v}' must be one of 'HTTP1, HTTP2, GRPC'`);
  return v;
}
