/** Registers container instances through the SDK, as an agent would, for API tests. */
import {
  type ContainerInstance,
  type ECSClient,
  RegisterContainerInstanceCommand,
  type RegisterContainerInstanceCommandInput,
} from '@aws-sdk/client-ecs';

/** 2 vCPU, 4 GiB, ECS's default reserved TCP ports and no UDP ports, unless `overrides` says otherwise. */
export async function registerTestInstance(
  ecs: ECSClient,
  cluster: string,
  overrides: Partial<RegisterContainerInstanceCommandInput> = {},
): Promise<ContainerInstance> {
  const out = await ecs.send(
    new RegisterContainerInstanceCommand({
      cluster,
      totalResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
        { name: 'MEMORY', type: 'INTEGER', integerValue: 4096 },
        { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2375', '2376', '51678', '51679'] },
        { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] },
      ],
      versionInfo: { agentVersion: '1.0.0', agentHash: 'test', dockerVersion: 'DockerVersion: 25.0.0' },
      ...overrides,
    }),
  );
  if (!out.containerInstance) throw new Error('RegisterContainerInstance returned no containerInstance');
  return out.containerInstance;
}
