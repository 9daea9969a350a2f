/** EC2 Query on the wire (XML answers, `<Response><Errors>`) and through the `aws` CLI. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { awsCliEnv } from '../support/aws-cli.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { form, rawAws } from '../support/raw-aws.ts';

const run = promisify(execFile);

describe('EC2 Query wire and CLI', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane({ controllers: false });
  });
  after(() => t.stop());

  const query = (params: Record<string, string>) =>
    rawAws(t.plane.endpoint, { service: 'ec2', ...form({ Version: '2016-11-15', ...params }) });
  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', t.plane.endpoint, '--output', 'json', 'ec2', ...args],
      {
        env: awsCliEnv(),
      },
    );
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  };

  it('answers members under <OpResponse> with <requestId>, lists as <item>s', async () => {
    const res = await query({
      Action: 'DescribeVpcs',
      'Filter.1.Name': 'is-default',
      'Filter.1.Value.1': 'true',
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/xml');
    assert.match(
      res.text,
      /^<DescribeVpcsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><vpcSet><item><ownerId>000000000000<\/ownerId>/,
    );
    assert.match(res.text, /<isDefault>true<\/isDefault>/);
  });

  it('answers errors as <Response><Errors><Error> with <RequestID>', async () => {
    const res = await query({ Action: 'DeleteVpc', VpcId: 'vpc-0123456789abcdef0' });
    assert.equal(res.status, 400);
    assert.match(
      res.text,
      /^<Response><Errors><Error><Code>InvalidVpcID\.NotFound<\/Code><Message>The vpc ID &apos;vpc-0123456789abcdef0&apos; does not exist<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
    );
    const missing = await query({ Action: 'CreateSubnet', CidrBlock: '10.0.0.0/24' });
    assert.match(missing.text, /<Code>MissingParameter<\/Code>/);
    const unimplemented = await query({ Action: 'RunInstances' });
    assert.match(unimplemented.text, /<Code>UnsupportedFeatureException<\/Code>.*docs\/api-coverage-ec2\.md/);
  });

  it('serves `aws ec2` commands', async () => {
    const vpcs = await aws('describe-vpcs', '--filters', 'Name=is-default,Values=true');
    assert.equal(vpcs.Vpcs[0].CidrBlock, '172.31.0.0/16');
    const vpcId = vpcs.Vpcs[0].VpcId;
    const zones = await aws('describe-availability-zones', '--query', 'AvailabilityZones[].ZoneName');
    assert.deepEqual(zones, [
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
      'us-east-1d',
      'us-east-1e',
      'us-east-1f',
    ]);
    const { GroupId } = await aws(
      'create-security-group',
      '--group-name',
      'web',
      '--description',
      'web tier',
      '--vpc-id',
      vpcId,
    );
    assert.match(GroupId, /^sg-[0-9a-f]{17}$/);
    const added = await aws(
      'authorize-security-group-ingress',
      '--group-id',
      GroupId,
      '--protocol',
      'tcp',
      '--port',
      '80',
      '--cidr',
      '0.0.0.0/0',
    );
    assert.equal(added.Return, true);
    assert.equal(added.SecurityGroupRules[0].FromPort, 80);
    const groups = await aws('describe-security-groups', '--group-ids', GroupId);
    assert.deepEqual(groups.SecurityGroups[0].IpPermissions[0].IpRanges, [{ CidrIp: '0.0.0.0/0' }]);
    const subnets = await aws(
      'describe-subnets',
      '--filters',
      `Name=vpc-id,Values=${vpcId}`,
      'Name=availability-zone,Values=us-east-1a',
    );
    assert.equal(subnets.Subnets[0].CidrBlock, '172.31.0.0/20');
    await aws('create-tags', '--resources', GroupId, '--tags', 'Key=team,Value=web');
    const tags = await aws('describe-tags', '--filters', `Name=resource-id,Values=${GroupId}`);
    assert.deepEqual(tags.Tags, [
      { Key: 'team', ResourceId: GroupId, ResourceType: 'security-group', Value: 'web' },
    ]);
    await aws('delete-security-group', '--group-id', GroupId);
    await assert.rejects(aws('delete-security-group', '--group-id', GroupId), (error: { stderr: string }) => {
      assert.match(
        error.stderr,
        /An error occurred \(InvalidGroup\.NotFound\) when calling the DeleteSecurityGroup operation: The security group 'sg-[0-9a-f]{17}' does not exist/,
      );
      return true;
    });
  });
});
