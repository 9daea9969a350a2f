/** `ECR Image Action` events: a push and a delete reach an EventBridge rule's log group target. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchDeleteImageCommand,
  CreateRepositoryCommand,
  type ECRClient,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { blobStoreFor } from '../../src/ecr/model/blob-store.ts';
import { waitFor } from '../support/agents.ts';
import { TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { startEcrPlane } from './ecr-plane.ts';

let t: TestPlane;
let ecr: ECRClient;
let events: EventBridgeClient;
let logs: CloudWatchLogsClient;
before(async () => {
  ({ t, ecr } = await startEcrPlane());
  const config = {
    endpoint: t.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  };
  events = new EventBridgeClient(config);
  logs = new CloudWatchLogsClient(config);
});
after(async () => {
  events.destroy();
  logs.destroy();
  ecr.destroy();
  await t.stop();
});

it('tells a push and a delete as ECR Image Action events with the ECR user guide detail', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/events/ecr' }));
  await events.send(
    new PutRuleCommand({ Name: 'ecr-actions', EventPattern: JSON.stringify({ source: ['aws.ecr'] }) }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'ecr-actions',
      Targets: [{ Id: 'log', Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/events/ecr' }],
    }),
  );
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'web' }));
  const store = blobStoreFor(join(t.dataDir, 'registry'));
  const put = async (content: string, name: string) => {
    const bytes = Buffer.from(content);
    return { digest: await store.putBytes(bytes, name), size: bytes.length };
  };
  const config = await put(JSON.stringify({ architecture: 'amd64', os: 'linux' }), 'cfg');
  const layer = await put('layer bytes', 'layer');
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...layer }],
  });
  const pushed = await ecr.send(
    new PutImageCommand({ repositoryName: 'web', imageManifest: manifest, imageTag: 'v1' }),
  );
  const digest = pushed.image?.imageId?.imageDigest ?? '';
  await ecr.send(new BatchDeleteImageCommand({ repositoryName: 'web', imageIds: [{ imageDigest: digest }] }));
  const delivered = await waitFor('both events in the log group', async () => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/events/ecr' }));
    const found = (out.events ?? []).map((e) => JSON.parse(e.message ?? '{}'));
    return found.length >= 2 ? found : undefined;
  });
  const byAction = new Map(delivered.map((e) => [e.detail['action-type'], e]));
  for (const action of ['PUSH', 'DELETE']) {
    const e = byAction.get(action);
    assert.ok(e, `${action} event delivered`);
    assert.equal(e['detail-type'], 'ECR Image Action');
    assert.equal(e.source, 'aws.ecr');
    assert.deepEqual(e.detail, {
      result: 'SUCCESS',
      'repository-name': 'web',
      'image-digest': digest,
      'action-type': action,
      'image-tag': 'v1',
    });
  }
});
