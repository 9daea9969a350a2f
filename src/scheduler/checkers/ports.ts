/** RESOURCE:PORTS: static host ports free, the 100 reserved-port limit, and room in the dynamic range. */
import { Reason } from '../reasons.ts';
import { MAX_RESERVED_PORTS, type PortUsage } from '../state/port-usage.ts';
import type { TaskResources } from '../task-resources.ts';
import type { Checker, Shortfall } from './checker.ts';

/**
 * Checks both protocols. Example: a bridge task with hostPort 80 and two dynamic mappings on an
 * instance that already holds 80/tcp is rejected "port 80/tcp in use"; one whose dynamic range has
 * a single free port is rejected "1 of 2 dynamic tcp ports free".
 */
export function portsChecker(resources: TaskResources): Checker {
  const problem = (usage: PortUsage): Shortfall | undefined =>
    protocolProblem(
      'tcp',
      resources.tcpPorts,
      resources.dynamicTcpPorts,
      usage.tcp,
      usage.reservedTcp,
      usage.dynamicFreeTcp,
    ) ??
    protocolProblem(
      'udp',
      resources.udpPorts,
      resources.dynamicUdpPorts,
      usage.udp,
      usage.reservedUdp,
      usage.dynamicFreeUdp,
    );
  return {
    reason: Reason.Ports,
    static: false,
    key: 'ports',
    rejects: (view) => problem(view.state.ports) !== undefined,
    shortfall: (view) => problem(view.state.ports) ?? { amount: 0, text: 'ports free' },
  };
}

/** Has host ports to check at all (awsvpc, none and port-less tasks skip the checker). */
export function needsPorts(r: TaskResources): boolean {
  return r.tcpPorts.length + r.udpPorts.length + r.dynamicTcpPorts + r.dynamicUdpPorts > 0;
}

function protocolProblem(
  protocol: 'tcp' | 'udp',
  staticPorts: readonly number[],
  dynamic: number,
  held: ReadonlySet<number>,
  reserved: number,
  dynamicFree: number,
): Shortfall | undefined {
  if (anyHeld(staticPorts, held)) {
    const taken = staticPorts.filter((p) => held.has(p));
    return { amount: taken.length, text: `port ${taken.join(',')}/${protocol} in use` };
  }
  if (staticPorts.length > 0 && reserved + staticPorts.length > MAX_RESERVED_PORTS) {
    const over = reserved + staticPorts.length - MAX_RESERVED_PORTS;
    return { amount: over, text: `${reserved} of ${MAX_RESERVED_PORTS} ${protocol} ports reserved` };
  }
  if (dynamic > 0 && dynamic > dynamicFree) {
    return {
      amount: dynamic - dynamicFree,
      text: `${Math.max(0, dynamicFree)} of ${dynamic} dynamic ${protocol} ports free`,
    };
  }
  return undefined;
}

/** The pass path allocates nothing: this runs for every instance a port-using task looks at. */
function anyHeld(ports: readonly number[], held: ReadonlySet<number>): boolean {
  for (let i = 0; i < ports.length; i++) if (held.has(ports[i])) return true;
  return false;
}
