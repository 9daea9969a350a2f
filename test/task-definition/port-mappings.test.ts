import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PortMapping } from '@aws-sdk/client-ecs';
import { EcsErrorCode } from '../../src/ecs/model/errors.ts';
import { build, container, rejects } from './helpers.ts';

const C = EcsErrorCode.Client;
type Mode = 'bridge' | 'host' | 'awsvpc' | 'none' | undefined;
const ports = (portMappings: PortMapping[], networkMode: Mode = undefined) =>
  build({ networkMode, containerDefinitions: [container({ portMappings })] }).containerDefinitions?.[0]
    .portMappings;

describe('port mapping defaults', () => {
  it('fills protocol tcp and a dynamic hostPort 0 in bridge mode', () => {
    assert.deepEqual(ports([{ containerPort: 80 }]), [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }]);
    assert.deepEqual(ports([{ containerPort: 53, hostPort: 8053, protocol: 'udp' }], 'bridge'), [
      { containerPort: 53, hostPort: 8053, protocol: 'udp' },
    ]);
  });
  it('sets hostPort to containerPort in host and awsvpc modes', () => {
    for (const mode of ['host', 'awsvpc'] as const) {
      assert.deepEqual(ports([{ containerPort: 8080 }], mode), [
        { containerPort: 8080, hostPort: 8080, protocol: 'tcp' },
      ]);
    }
  });
  it('lists members in the order ECS returns them', () => {
    const [pm] = ports([{ appProtocol: 'http', containerPort: 80, name: 'web-80' }], 'awsvpc') ?? [];
    assert.deepEqual(Object.keys(pm), ['name', 'containerPort', 'hostPort', 'protocol', 'appProtocol']);
  });
});

describe('port mapping rules', () => {
  it('needs hostPort to equal containerPort in host and awsvpc modes (0 is not blank)', () => {
    rejects(
      () => ports([{ containerPort: 3000, hostPort: 7000 }], 'awsvpc'),
      C,
      'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
    );
    rejects(
      () => ports([{ containerPort: 3000, hostPort: 0 }], 'awsvpc'),
      C,
      'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
    );
    rejects(
      () => ports([{ containerPort: 3000, hostPort: 7000 }], 'host'),
      C,
      'When networkMode=host, the host ports and container ports in port mappings must match.',
    );
  });
  it('allows no port mappings in none mode', () => {
    rejects(
      () => ports([{ containerPort: 80 }], 'none'),
      C,
      'Port mappings are not supported when networkMode=none.',
    );
    assert.deepEqual(ports([], 'none'), []);
  });
  it('needs containerPort in 1-65535 and hostPort in 0-65535', () => {
    for (const bad of [{}, { containerPort: 0 }, { containerPort: 65536 }, { hostPort: 80 }]) {
      rejects(() => ports([bad]), C, "Invalid 'containerPort' setting for container 'app'.");
    }
    rejects(
      () => ports([{ containerPort: 80, hostPort: 70000 }]),
      C,
      "Invalid 'hostPort' setting for container 'app'.",
    );
  });
  it('checks protocol and appProtocol against the model enums', () => {
    rejects(
      () => ports([{ containerPort: 80, protocol: 'sctp' as 'tcp' }]),
      EcsErrorCode.InvalidParameter,
      "1 validation error detected: Value 'sctp' at 'containerDefinitions.1.member.portMappings.1.member.protocol' failed to satisfy constraint: Member must satisfy enum value set: [tcp, udp]",
    );
    rejects(
      () => ports([{ containerPort: 80, appProtocol: 'ws' as 'http' }]),
      EcsErrorCode.InvalidParameter,
      /enum value set: \[http, http2, grpc\]/,
    );
  });
  it('rejects a port in two mappings of one container, but not tcp and udp', () => {
    rejects(
      () => ports([{ containerPort: 80 }, { containerPort: 80, hostPort: 8080 }]),
      C,
      /Port 80\/tcp is in more than one port mapping/,
    );
    ports([{ containerPort: 53 }, { containerPort: 53, protocol: 'udp' }]);
  });
  it('rejects one static host port mapped by two containers', () => {
    rejects(
      () =>
        build({
          networkMode: 'awsvpc',
          containerDefinitions: [
            container({ portMappings: [{ containerPort: 80 }] }),
            container({ name: 'b', portMappings: [{ containerPort: 80 }] }),
          ],
        }),
      C,
      /Host port 80\/tcp is mapped by both container 'app' and container 'b'/,
    );
    build({
      containerDefinitions: [
        container({ portMappings: [{ containerPort: 80 }] }),
        container({ name: 'b', portMappings: [{ containerPort: 80 }] }),
      ],
    });
  });
  it('checks port mapping names', () => {
    ports([{ containerPort: 80, name: 'web_80-a' }]);
    rejects(() => ports([{ containerPort: 80, name: '-web' }]), C, /Invalid port mapping name '-web'/);
    rejects(() => ports([{ containerPort: 80, name: 'Web' }]), C, /Invalid port mapping name 'Web'/);
    rejects(() => ports([{ containerPort: 80, name: 'n'.repeat(65) }]), C, /Invalid port mapping name/);
    rejects(
      () =>
        ports([
          { containerPort: 80, name: 'a' },
          { containerPort: 81, name: 'a' },
        ]),
      C,
      /'a' is used more than once/,
    );
  });
});

describe('container port ranges', () => {
  it('accepts a range in bridge and awsvpc modes without a hostPort', () => {
    assert.deepEqual(ports([{ containerPortRange: '8000-8100' }]), [
      { protocol: 'tcp', containerPortRange: '8000-8100' },
    ]);
    ports([{ containerPortRange: '8000-8100' }], 'awsvpc');
  });
  it('rejects ranges in host and none modes', () => {
    rejects(() => ports([{ containerPortRange: '8000-8100' }], 'host'), C, /bridge or awsvpc network mode/);
  });
  it('rejects malformed, reversed and out-of-range ranges', () => {
    for (const range of ['8000', '8100-8000', '0-10', '1-65536', '10-10', 'a-b']) {
      rejects(
        () => ports([{ containerPortRange: range }]),
        C,
        /^Invalid 'containerPortRange' setting for container 'app'/,
      );
    }
  });
  it('rejects a range combined with containerPort or hostPort', () => {
    rejects(
      () => ports([{ containerPortRange: '8000-8100', hostPort: 8000 }]),
      C,
      /no hostPort with a range/,
    );
    rejects(
      () => ports([{ containerPortRange: '8000-8100', containerPort: 8000 }]),
      C,
      /either containerPort or containerPortRange/,
    );
  });
  it('rejects overlapping ranges and more than 100 ranges', () => {
    rejects(
      () => ports([{ containerPortRange: '8000-8100' }, { containerPort: 8050 }]),
      C,
      /Port 8050\/tcp is in more than one/,
    );
    const many = Array.from({ length: 101 }, (_, i) => ({
      containerPortRange: `${10000 + i * 2}-${10001 + i * 2}`,
    }));
    rejects(() => ports(many), C, /Too many port ranges for container 'app'/);
  });
});
