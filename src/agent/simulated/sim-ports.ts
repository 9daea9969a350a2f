/**
 * Host ports of a SIMULATED task: the network bindings Docker would report for its port mappings,
 * with dynamic host ports taken from the agent's range by the engine's own HostPortAllocator
 * (with a probe that always succeeds: no socket is ever bound).
 */
import type { NetworkBinding, TaskAssignment } from '../../core/agent-protocol.ts';
import { HostPortAllocator, type PortProbe, type PortRange } from '../engine/host-ports.ts';
import { networkModeOf } from '../engine/task-limits.ts';
import type { Rng } from '../../core/clock.ts';

/** A binding whose host port is 0 until the allocator picks one. */
interface PlannedBinding {
  container: string;
  binding: NetworkBinding;
}

/** Nothing is bound in a simulation, so every port of the range is free unless a task holds it. */
const ALWAYS_FREE: PortProbe = async () => true;

export function simPortAllocator(range: PortRange, rng: Rng): HostPortAllocator {
  return new HostPortAllocator(range, rng, ALWAYS_FREE);
}

/**
 * Bridge mode: static host ports as given, 0 or omitted from the range. Host mode: the container
 * port itself. awsvpc and none: no bindings.
 */
function plan(assignment: TaskAssignment): PlannedBinding[] {
  const mode = networkModeOf(assignment);
  if (mode !== 'bridge' && mode !== 'host') return [];
  const out: PlannedBinding[] = [];
  for (const c of assignment.containers) {
    for (const p of c.definition.portMappings ?? []) {
      const containerPort = p.containerPort ?? 0;
      const hostPort = mode === 'host' ? containerPort : (p.hostPort ?? 0);
      out.push({
        container: c.name,
        binding: {
          bindIP: '0.0.0.0',
          containerPort,
          hostPort,
          protocol: p.protocol === 'udp' ? 'udp' : 'tcp',
        },
      });
    }
  }
  return out;
}

/** Bindings per container name; throws PortExhaustedError when the range has no free port. */
export async function allocateBindings(
  ports: HostPortAllocator,
  assignment: TaskAssignment,
): Promise<Map<string, NetworkBinding[]>> {
  const planned = plan(assignment);
  const dynamic = planned.filter((p) => p.binding.hostPort === 0);
  if (dynamic.length > 0) {
    const got = await ports.allocate(
      assignment.taskArn,
      dynamic.map((p) => p.binding.protocol),
    );
    dynamic.forEach((p, i) => {
      p.binding.hostPort = got[i];
    });
  }
  const out = new Map<string, NetworkBinding[]>();
  for (const p of planned) {
    const list = out.get(p.container) ?? [];
    list.push(p.binding);
    out.set(p.container, list);
  }
  return out;
}

/** Ports a restored task holds, to re-reserve after a restart. */
export function heldPorts(
  bindings: readonly NetworkBinding[],
): { hostPort: number; protocol: 'tcp' | 'udp' }[] {
  return bindings.map((b) => ({ hostPort: b.hostPort, protocol: b.protocol }));
}
