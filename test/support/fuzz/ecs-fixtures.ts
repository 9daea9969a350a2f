/**
 * ECS resources for the fuzz to aim at, so fuzzed requests get past "cluster not found" into the
 * handlers' own checks: two clusters (`fuzz` and `default`), a task definition, a container
 * instance, a service and a task. `refresh` recreates whatever the previous operation's fuzzed
 * (and accepted) requests deleted or stopped.
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { registerTestInstance } from '../container-instances.ts';
import type { Hints } from './shapes.ts';

export const FUZZ_CLUSTER = 'fuzz';
const FAMILY = 'fuzz';

export class EcsFixtures {
  private instanceArn = '';
  private serviceName = 'fuzz-svc';
  private services = 0;
  private taskArn = '';
  private clusterArn = '';
  private readonly ecs: ECSClient;

  constructor(ecs: ECSClient) {
    this.ecs = ecs;
  }

  /** Member values by name; anything else gets the generic `fuzz`. */
  readonly hints: Hints = (member) => {
    const value = this.hint(member);
    return value === '' ? undefined : value;
  };

  private hint(member: string): unknown {
    switch (member) {
      case 'cluster':
      case 'clusters':
      case 'clusterName':
        return FUZZ_CLUSTER;
      case 'taskDefinition':
      case 'familyPrefix':
        return FAMILY;
      case 'taskDefinitions':
        return `${FAMILY}:1`;
      case 'service':
      case 'services':
      case 'serviceName':
        return this.serviceName;
      case 'containerInstance':
      case 'containerInstances':
        return this.instanceArn;
      case 'task':
      case 'tasks':
        return this.taskArn;
      case 'resourceArn':
        return this.clusterArn;
      case 'targetType':
        return 'container-instance';
      case 'image':
        return 'busybox';
      case 'name':
        return 'app';
      case 'key':
      case 'value':
        return 'fuzz';
      case 'memory':
        return 512;
      case 'desiredCount':
        return 0;
      default:
        return undefined;
    }
  }

  async refresh(): Promise<void> {
    const clusters = await this.ecs.send(
      new DescribeClustersCommand({ clusters: [FUZZ_CLUSTER, 'default'] }),
    );
    for (const name of [FUZZ_CLUSTER, 'default']) {
      if (!clusters.clusters?.some((c) => c.clusterName === name && c.status === 'ACTIVE')) {
        await this.ecs.send(new CreateClusterCommand({ clusterName: name }));
      }
    }
    this.clusterArn = `arn:aws:ecs:us-east-1:000000000000:cluster/${FUZZ_CLUSTER}`;
    await this.ensureTaskDefinition();
    await this.ensureInstance();
    await this.ensureService();
    await this.ensureTask();
  }

  private async ensureTaskDefinition(): Promise<void> {
    try {
      await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: FAMILY }));
    } catch {
      await this.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: FAMILY,
          containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64, essential: true }],
        }),
      );
    }
  }

  private async ensureInstance(): Promise<void> {
    const out = this.instanceArn
      ? await this.ecs.send(
          new DescribeContainerInstancesCommand({
            cluster: FUZZ_CLUSTER,
            containerInstances: [this.instanceArn],
          }),
        )
      : undefined;
    if (out?.containerInstances?.[0]?.status === 'ACTIVE') return;
    const instance = await registerTestInstance(this.ecs, FUZZ_CLUSTER);
    this.instanceArn = instance.containerInstanceArn ?? '';
  }

  private async ensureService(): Promise<void> {
    const out = await this.ecs.send(
      new DescribeServicesCommand({ cluster: FUZZ_CLUSTER, services: [this.serviceName] }),
    );
    if (out.services?.[0]?.status === 'ACTIVE') return;
    this.serviceName = `fuzz-svc-${++this.services}`;
    await this.ecs.send(
      new CreateServiceCommand({
        cluster: FUZZ_CLUSTER,
        serviceName: this.serviceName,
        taskDefinition: FAMILY,
        desiredCount: 0,
      }),
    );
  }

  private async ensureTask(): Promise<void> {
    const out = this.taskArn
      ? await this.ecs.send(new DescribeTasksCommand({ cluster: FUZZ_CLUSTER, tasks: [this.taskArn] }))
      : undefined;
    if (out?.tasks?.[0] && out.tasks[0].lastStatus !== 'STOPPED' && out.tasks[0].desiredStatus !== 'STOPPED')
      return;
    const run = await this.ecs.send(
      new RunTaskCommand({ cluster: FUZZ_CLUSTER, taskDefinition: FAMILY, launchType: 'EC2' }),
    );
    this.taskArn = run.tasks?.[0]?.taskArn ?? this.taskArn;
  }
}
