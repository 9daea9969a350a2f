/**
 * The control plane runs the load-balancer data plane for its ELBv2 records: an ALB created with
 * the SDK gets a real listener (port 80, or the free port the data plane reports when 80 is taken
 * or privileged), requests to its DNS name reach an instance target (a server on this host,
 * registered by the EC2 instance id of a simulated agent's container instance, reached at the
 * agent's address), health checks make the target healthy in DescribeTargetHealth, and a
 * deregistered target with no connection left is gone at once (the data plane's drained report).
 */
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { DescribeContainerInstancesCommand, ListContainerInstancesCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SimulatedCluster } from '../../src/agent/simulated/start-simulated-agents.ts';
import { metricMinutes } from '../../src/cloudwatch/model/metric-data.ts';
import { dimensionOf } from '../../src/elbv2/supervisor/elb-metrics.ts';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { defaultVpcLayout } from '../support/ec2-client.ts';
import { simAgents } from '../controllers/support.ts';
import { elbv2Client } from './elbv2-plane.ts';

describe('the data plane behind the ELBv2 API', () => {
  let t: TestPlane;
  let agents: SimulatedCluster;
  let backend: Server;
  let backendPort = 0;
  let hits = 0;

  before(async () => {
    backend = createServer((req, res) => {
      if (req.url !== '/health') hits++;
      res.setHeader('content-type', 'text/plain');
      res.end(`backend saw ${req.headers.host} via ${req.headers['x-forwarded-for']}`);
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendPort = (backend.address() as { port: number }).port;
    t = await startTestPlane({ controllers: false, loadBalancerEnv: { LONGSHORE_LB_METRICS_MS: '500' } });
    agents = await simAgents(t.plane.endpoint, 'default', 1);
  });

  after(async () => {
    await agents?.stop();
    await t?.stop();
    backend?.close();
  });

  it('serves an ALB listener, checks its instance target healthy, and drains it on deregistration', async () => {
    const elb = elbv2Client(t.plane.endpoint);
    try {
      const { vpcId, subnetIds } = await defaultVpcLayout(t.plane.endpoint);
      const lb = (
        await elb.send(new CreateLoadBalancerCommand({ Name: 'glue', Subnets: subnetIds.slice(0, 2) }))
      ).LoadBalancers?.[0];
      assert.match(lb?.DNSName ?? '', /^glue-[0-9a-z]+\.us-east-1\.elb\.localhost$/);
      const tg = (
        await elb.send(
          new CreateTargetGroupCommand({
            Name: 'glue',
            Protocol: 'HTTP',
            Port: 80,
            VpcId: vpcId,
            HealthCheckPath: '/health',
            HealthCheckIntervalSeconds: 5,
            HealthCheckTimeoutSeconds: 2,
            HealthyThresholdCount: 2,
          }),
        )
      ).TargetGroups?.[0];
      const listener = (
        await elb.send(
          new CreateListenerCommand({
            LoadBalancerArn: lb?.LoadBalancerArn,
            Protocol: 'HTTP',
            Port: 80,
            DefaultActions: [{ Type: 'forward', TargetGroupArn: tg?.TargetGroupArn }],
          }),
        )
      ).Listeners?.[0];
      const arns = await t.ecs.send(new ListContainerInstancesCommand({ cluster: 'default' }));
      const instance = (
        await t.ecs.send(
          new DescribeContainerInstancesCommand({
            cluster: 'default',
            containerInstances: arns.containerInstanceArns,
          }),
        )
      ).containerInstances?.[0];
      const instanceId = instance?.ec2InstanceId ?? '';
      await elb.send(
        new RegisterTargetsCommand({
          TargetGroupArn: tg?.TargetGroupArn,
          Targets: [{ Id: instanceId, Port: backendPort }],
        }),
      );

      const address = await waitFor('the listener to listen', async () =>
        t.plane.loadBalancers.listeners().find((l) => l.listenerArn === listener?.ListenerArn && l.hostPort),
      );
      const url = `http://${address.hostAddress}:${address.hostPort}/hello`;
      const health = async () =>
        (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg?.TargetGroupArn })))
          .TargetHealthDescriptions ?? [];
      await waitFor(
        'the target to pass its health checks',
        async () => ((await health())[0]?.TargetHealth?.State === 'healthy' ? true : undefined),
        20_000,
        200,
      );
      const res = await getWithHost(url, lb?.DNSName ?? '');
      assert.equal(res.status, 200);
      assert.match(
        res.body,
        new RegExp(`^backend saw ${lb?.DNSName?.replace(/\./g, '\\.')} via 127\\.0\\.0\\.1`),
      );
      assert.ok(hits >= 1);
      // The request is counted in CloudWatch's AWS/ApplicationELB RequestCount for the load balancer.
      const lbDimension = [{ name: 'LoadBalancer', value: dimensionOf(lb?.LoadBalancerArn ?? '') }];
      await waitFor('RequestCount in the metric store', async () => {
        const minutes = await metricMinutes(
          t.plane.regions.context('us-east-1').store,
          'AWS/ApplicationELB',
          'RequestCount',
          lbDimension,
          0,
          Date.now() + 60_000,
        );
        return minutes.reduce((n, m) => n + m.sum, 0) >= 1 ? true : undefined;
      });

      // Deregistered with no request in flight: drained at once, not after the 300 s delay.
      await elb.send(
        new DeregisterTargetsCommand({
          TargetGroupArn: tg?.TargetGroupArn,
          Targets: [{ Id: instanceId, Port: backendPort }],
        }),
      );
      await waitFor(
        'the drained target to be gone',
        async () => ((await health()).length === 0 ? true : undefined),
        10_000,
      );
      const after = await getWithHost(url, lb?.DNSName ?? '');
      assert.equal(after.status, 503, 'no registered target: ALB answers 503');
    } finally {
      elb.destroy();
    }
  });
});

/** A GET with the Host header a client resolving the DNS name would send (fetch cannot set Host). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += String(d);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
