/** ELBv2 over AWS Query on the wire (XML answers, `<ErrorResponse>` with Query codes) and through the `aws` CLI. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { awsCliEnv } from '../support/aws-cli.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { form, rawAws } from '../support/raw-aws.ts';
import { withoutDataplane } from './elbv2-plane.ts';

const run = promisify(execFile);

describe('ELBv2 Query wire and CLI', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    await withoutDataplane(t);
  });
  after(() => t.stop());

  const query = (params: Record<string, string>) =>
    rawAws(t.plane.endpoint, {
      service: 'elasticloadbalancing',
      ...form({ Version: '2015-12-01', ...params }),
    });
  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', t.plane.endpoint, '--output', 'json', 'elbv2', ...args],
      {
        env: awsCliEnv(),
      },
    );
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  };
  const ec2 = async (...args: string[]) => {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', t.plane.endpoint, '--output', 'json', 'ec2', ...args],
      {
        env: awsCliEnv(),
      },
    );
    return JSON.parse(stdout);
  };

  it('answers <OpResponse><OpResult> with ResponseMetadata in the 2015-12-01 namespace', async () => {
    const res = await query({ Action: 'DescribeAccountLimits', PageSize: '1' });
    assert.equal(res.status, 200);
    assert.match(
      res.text,
      /^<DescribeAccountLimitsResponse xmlns="http:\/\/elasticloadbalancing\.amazonaws\.com\/doc\/2015-12-01\/"><DescribeAccountLimitsResult><Limits><member><Name>application-load-balancers<\/Name><Max>50<\/Max><\/member><\/Limits><NextMarker>[^<]+<\/NextMarker><\/DescribeAccountLimitsResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/DescribeAccountLimitsResponse>$/,
    );
  });

  it('wraps an output without members in an empty <OpResult>, as botocore requires', async () => {
    const arn = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/gone/0123456789abcdef';
    const res = await query({ Action: 'DeleteLoadBalancer', LoadBalancerArn: arn });
    assert.equal(res.status, 200);
    assert.match(
      res.text,
      /^<DeleteLoadBalancerResponse xmlns="[^"]+"><DeleteLoadBalancerResult><\/DeleteLoadBalancerResult><ResponseMetadata>/,
    );
  });

  it('answers errors as <ErrorResponse> with the model awsQueryError codes', async () => {
    const arn = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/nope/0123456789abcdef';
    const res = await query({ Action: 'DescribeLoadBalancers', 'LoadBalancerArns.member.1': arn });
    assert.equal(res.status, 400);
    assert.match(
      res.text,
      /^<ErrorResponse xmlns="http:\/\/elasticloadbalancing\.amazonaws\.com\/doc\/2015-12-01\/"><Error><Type>Sender<\/Type><Code>LoadBalancerNotFound<\/Code><Message>Load balancers &apos;\[arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer\/app\/nope\/0123456789abcdef\]&apos; not found<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
    const missing = await query({ Action: 'CreateTargetGroup' });
    assert.match(
      missing.text,
      /<Code>ValidationError<\/Code><Message>1 validation error detected: Value null at &apos;name&apos;/i,
    );
    const unimplemented = await query({
      Action: 'CreateTrustStore',
      Name: 'x',
      CaCertificatesBundleS3Bucket: 'b',
      CaCertificatesBundleS3Key: 'k',
    });
    assert.match(
      unimplemented.text,
      /<Code>UnsupportedFeatureException<\/Code>.*docs\/api-coverage-elbv2\.md/,
    );
  });

  it('serves `aws elbv2` commands', async () => {
    const subnets = await ec2(
      'describe-subnets',
      '--filters',
      'Name=default-for-az,Values=true',
      '--query',
      'Subnets[].[SubnetId,AvailabilityZone]',
    );
    const byZone = Object.fromEntries(subnets.map(([id, zone]: [string, string]) => [zone, id]));
    const vpcId = (await ec2('describe-vpcs', '--filters', 'Name=is-default,Values=true')).Vpcs[0].VpcId;
    const lb = (
      await aws(
        'create-load-balancer',
        '--name',
        'cli',
        '--subnets',
        byZone['us-east-1a'],
        byZone['us-east-1b'],
        '--tags',
        'Key=team,Value=web',
      )
    ).LoadBalancers[0];
    assert.match(lb.DNSName, /^cli-\d{10}\.us-east-1\.elb\.localhost$/);
    assert.equal(lb.State.Code, 'active');
    const tg = (
      await aws(
        'create-target-group',
        '--name',
        'cli',
        '--protocol',
        'HTTP',
        '--port',
        '80',
        '--vpc-id',
        vpcId,
        '--target-type',
        'ip',
      )
    ).TargetGroups[0];
    assert.equal(tg.HealthCheckPath, '/');
    const listener = (
      await aws(
        'create-listener',
        '--load-balancer-arn',
        lb.LoadBalancerArn,
        '--protocol',
        'HTTP',
        '--port',
        '80',
        '--default-actions',
        `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`,
      )
    ).Listeners[0];
    const rule = (
      await aws(
        'create-rule',
        '--listener-arn',
        listener.ListenerArn,
        '--priority',
        '10',
        '--conditions',
        'Field=path-pattern,Values=/api/*',
        '--actions',
        'Type=fixed-response,FixedResponseConfig={StatusCode=503,ContentType=text/plain,MessageBody=down}',
      )
    ).Rules[0];
    assert.deepEqual(rule.Actions[0].FixedResponseConfig, {
      StatusCode: '503',
      ContentType: 'text/plain',
      MessageBody: 'down',
    });
    await aws(
      'register-targets',
      '--target-group-arn',
      tg.TargetGroupArn,
      '--targets',
      'Id=172.31.0.10,Port=8080',
    );
    const health = await aws('describe-target-health', '--target-group-arn', tg.TargetGroupArn);
    assert.deepEqual(health.TargetHealthDescriptions[0].TargetHealth, {
      State: 'initial',
      Reason: 'Elb.RegistrationInProgress',
      Description: 'Target registration is in progress',
    });
    const rules = await aws(
      'describe-rules',
      '--listener-arn',
      listener.ListenerArn,
      '--query',
      'Rules[].Priority',
    );
    assert.deepEqual(rules, ['10', 'default']);
    const attrs = await aws(
      'modify-load-balancer-attributes',
      '--load-balancer-arn',
      lb.LoadBalancerArn,
      '--attributes',
      'Key=deletion_protection.enabled,Value=true',
    );
    assert.ok(
      attrs.Attributes.some(
        (a: { Key: string; Value: string }) => a.Key === 'deletion_protection.enabled' && a.Value === 'true',
      ),
    );
    await assert.rejects(
      aws('delete-load-balancer', '--load-balancer-arn', lb.LoadBalancerArn),
      (error: { stderr: string }) => {
        assert.match(
          error.stderr,
          /An error occurred \(OperationNotPermitted\) when calling the DeleteLoadBalancer operation: Load balancer '.+' cannot be deleted because deletion protection is enabled/,
        );
        return true;
      },
    );
    const tags = await aws('describe-tags', '--resource-arns', lb.LoadBalancerArn);
    assert.deepEqual(tags.TagDescriptions[0].Tags, [{ Key: 'team', Value: 'web' }]);
    // `--page-size` is ELBv2's own PageSize member, which turns the CLI's paginator off (as against
    // AWS): one page and its NextMarker, which `--marker` continues.
    await aws(
      'create-load-balancer',
      '--name',
      'cli-2',
      '--subnets',
      byZone['us-east-1a'],
      byZone['us-east-1b'],
    );
    const first = await aws('describe-load-balancers', '--page-size', '1');
    assert.deepEqual(
      first.LoadBalancers.map((l: { LoadBalancerName: string }) => l.LoadBalancerName),
      ['cli'],
    );
    const rest = await aws('describe-load-balancers', '--marker', first.NextMarker);
    assert.deepEqual(
      rest.LoadBalancers.map((l: { LoadBalancerName: string }) => l.LoadBalancerName),
      ['cli-2'],
    );
    // The CLI's waiter polls DescribeLoadBalancers for State active.
    await aws('wait', 'load-balancer-available', '--load-balancer-arns', lb.LoadBalancerArn);
  });
});
