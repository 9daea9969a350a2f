/**
 * awslogs as ECS sets it up on Docker's own driver: the stream `prefix/container/task-id` from
 * ECS's awslogs-stream-prefix (which Docker would refuse), the endpoint and the credentials path;
 * and the metadata server's `/v2/credentials/<id>`, which answers only ids it knows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { MetadataServer } from '../../src/agent/endpoints/metadata-server.ts';
import { awslogsConfig } from '../../src/agent/engine/awslogs-config.ts';

const TASK = 'arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef';
const target = { endpoint: 'http://127.0.0.1:4590', credentialsUri: '/v2/credentials/feedface' };

describe('awslogs driver options', () => {
  it('names the stream prefix/container/task-id and points the driver at Longshore', () => {
    const config = awslogsConfig(
      {
        name: 'web',
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': '/ecs/web',
            'awslogs-region': 'us-east-1',
            'awslogs-stream-prefix': 'ecs',
            'awslogs-create-group': 'true',
            mode: 'non-blocking',
            'max-buffer-size': '4m',
          },
        },
      },
      TASK,
      target,
    );
    assert.deepEqual(config, {
      'awslogs-group': '/ecs/web',
      'awslogs-region': 'us-east-1',
      'awslogs-create-group': 'true',
      mode: 'non-blocking',
      'max-buffer-size': '4m',
      'awslogs-stream': 'ecs/web/0123456789abcdef0123456789abcdef',
      'awslogs-endpoint': 'http://127.0.0.1:4590',
      'awslogs-credentials-endpoint': '/v2/credentials/feedface',
    });
  });

  it('without a prefix leaves the stream to Docker (the container id), as ECS on EC2 does', () => {
    const config = awslogsConfig(
      {
        name: 'web',
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': 'g', 'awslogs-region': 'us-east-1' },
        },
      },
      TASK,
      target,
    );
    assert.equal(config['awslogs-stream'], undefined);
  });
});

describe('credentials endpoint', () => {
  it('answers a known id with the container credentials shape, 404 for any other', async () => {
    const creds = {
      RoleArn: 'arn:aws:iam::000000000000:role/exec',
      AccessKeyId: 'AKID',
      SecretAccessKey: 'secret',
      Token: '',
      Expiration: new Date(Date.now() + 3600_000).toISOString(),
    };
    const server = new MetadataServer(
      {
        lookup: () => undefined,
        stats: async () => ({}),
        instanceArn: 'i',
        credentials: (id) => (id === 'feedface' ? creds : undefined),
      },
      pino({ level: 'silent' }),
    );
    const port = await server.listen(['127.0.0.1'], 0, true);
    try {
      const ok = await fetch(`http://127.0.0.1:${port}/v2/credentials/feedface`);
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), creds);
      const other = await fetch(`http://127.0.0.1:${port}/v2/credentials/deadbeef`);
      assert.equal(other.status, 404);
      assert.doesNotMatch(await other.text(), /deadbeef|secret/);
    } finally {
      await server.close();
    }
  });
});
