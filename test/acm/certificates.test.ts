/**
 * ACM's certificate calls: a self-signed certificate (openssl) imported with the SDK and the aws
 * CLI, described with what it says (domain, names, validity, key algorithm), listed, tagged,
 * named by an HTTPS listener (then in use: DeleteCertificate refused), re-imported under its ARN,
 * and deleted; a key that is not the certificate's, and a malformed ARN, get ACM's errors.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ACMClient,
  AddTagsToCertificateCommand,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  GetCertificateCommand,
  ImportCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
  RemoveTagsFromCertificateCommand,
} from '@aws-sdk/client-acm';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  DeleteListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsCliEnv } from '../support/aws-cli.ts';
import { TEST_CREDENTIALS } from '../support/control-plane.ts';
import { type Elbv2Plane, startElbv2Plane } from '../elbv2/elbv2-plane.ts';

/** A self-signed RSA certificate and its key (openssl runs asynchronously: keygen takes a while). */
async function selfSigned(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '30',
    '-subj',
    `/CN=${name}.example.test`,
    '-addext',
    `subjectAltName=DNS:${name}.example.test,DNS:www.${name}.example.test`,
  ]);
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

describe('ACM certificates', () => {
  let p: Elbv2Plane;
  let acm: ACMClient;
  let dir: string;
  before(async () => {
    p = await startElbv2Plane();
    acm = new ACMClient({
      endpoint: p.t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    dir = mkdtempSync(join(tmpdir(), 'longshore-acm-'));
  });
  after(async () => {
    acm.destroy();
    await p.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports, describes, lists, gets and tags a certificate', async () => {
    const { cert, key } = await selfSigned(dir, 'site');
    const { CertificateArn } = await acm.send(
      new ImportCertificateCommand({
        Certificate: Buffer.from(cert),
        PrivateKey: Buffer.from(key),
        Tags: [{ Key: 'team', Value: 'web' }],
      }),
    );
    assert.match(CertificateArn ?? '', /^arn:aws:acm:us-east-1:000000000000:certificate\/[0-9a-f-]{36}$/);
    const { Certificate: d } = await acm.send(new DescribeCertificateCommand({ CertificateArn }));
    assert.equal(d?.DomainName, 'site.example.test');
    assert.deepEqual(d?.SubjectAlternativeNames, ['site.example.test', 'www.site.example.test']);
    assert.equal(d?.Type, 'IMPORTED');
    assert.equal(d?.Status, 'ISSUED');
    assert.equal(d?.KeyAlgorithm, 'RSA_2048');
    assert.ok(d?.NotAfter && d.NotAfter.getTime() > Date.now() + 29 * 86_400_000);
    assert.deepEqual(d?.InUseBy, []);
    const listed = await acm.send(new ListCertificatesCommand({}));
    assert.deepEqual(
      listed.CertificateSummaryList?.map((s) => s.CertificateArn),
      [CertificateArn],
    );
    const got = await acm.send(new GetCertificateCommand({ CertificateArn }));
    assert.equal(got.Certificate, cert);
    await acm.send(
      new AddTagsToCertificateCommand({ CertificateArn, Tags: [{ Key: 'env', Value: 'test' }] }),
    );
    await acm.send(new RemoveTagsFromCertificateCommand({ CertificateArn, Tags: [{ Key: 'team' }] }));
    const tags = await acm.send(new ListTagsForCertificateCommand({ CertificateArn }));
    assert.deepEqual(tags.Tags, [{ Key: 'env', Value: 'test' }]);
  });

  it("refuses a key that is not the certificate's, a malformed ARN and an unknown one", async () => {
    const a = await selfSigned(dir, 'a');
    const b = await selfSigned(dir, 'b');
    await assert.rejects(
      acm.send(
        new ImportCertificateCommand({ Certificate: Buffer.from(a.cert), PrivateKey: Buffer.from(b.key) }),
      ),
      { name: 'ValidationException' },
    );
    await assert.rejects(acm.send(new DescribeCertificateCommand({ CertificateArn: 'nope' })), {
      name: 'InvalidArnException',
    });
    const unknown = 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-a000-000000000000';
    await assert.rejects(acm.send(new DescribeCertificateCommand({ CertificateArn: unknown })), {
      name: 'ResourceNotFoundException',
      message: `Could not find certificate ${unknown}.`,
    });
  });

  it('is in use by an HTTPS listener (not deletable), re-imported under its ARN, then deleted', async () => {
    const { cert, key } = await selfSigned(dir, 'lb');
    // The CLI runs asynchronously: the control plane answering it is in this process.
    const { stdout } = await promisify(execFile)(
      'aws',
      [
        '--endpoint-url',
        p.t.plane.endpoint,
        'acm',
        'import-certificate',
        '--certificate',
        `fileb://${join(dir, 'lb.pem')}`,
        '--private-key',
        `fileb://${join(dir, 'lb.key')}`,
        '--query',
        'CertificateArn',
        '--output',
        'text',
      ],
      { env: awsCliEnv(), encoding: 'utf8' },
    );
    const arn = stdout.trim();
    const lb = await p.elb.send(
      new CreateLoadBalancerCommand({
        Name: 'tls',
        Subnets: [p.subnets['us-east-1a'], p.subnets['us-east-1b']],
      }),
    );
    const listener = await p.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancers?.[0].LoadBalancerArn,
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: arn }],
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }],
      }),
    );
    const { Certificate: d } = await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }));
    assert.deepEqual(d?.InUseBy, [lb.LoadBalancers?.[0].LoadBalancerArn]);
    await assert.rejects(acm.send(new DeleteCertificateCommand({ CertificateArn: arn })), {
      name: 'ResourceInUseException',
    });
    const again = await acm.send(
      new ImportCertificateCommand({
        CertificateArn: arn,
        Certificate: Buffer.from(cert),
        PrivateKey: Buffer.from(key),
      }),
    );
    assert.equal(again.CertificateArn, arn);
    await p.elb.send(new DeleteListenerCommand({ ListenerArn: listener.Listeners?.[0].ListenerArn }));
    await acm.send(new DeleteCertificateCommand({ CertificateArn: arn }));
    await assert.rejects(acm.send(new GetCertificateCommand({ CertificateArn: arn })), {
      name: 'ResourceNotFoundException',
    });
  });
});
