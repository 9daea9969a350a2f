import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteAccountSettingCommand,
  ListAccountSettingsCommand,
  paginateListAccountSettings,
  PutAccountSettingCommand,
  PutAccountSettingDefaultCommand,
  type SettingName,
} from '@aws-sdk/client-ecs';
import { awsError, startTestPlane, type TestPlane } from '../support/control-plane.ts';

const ROOT = 'arn:aws:iam::000000000000:root';
const USER = 'arn:aws:iam::000000000000:user/dev/alice';
const ROLE = 'arn:aws:iam::000000000000:role/deployer';

/** What ListAccountSettings(effectiveSettings) reports for an account that never changed a setting. */
const NEW_ACCOUNT = [
  { name: 'awsvpcTrunking', value: 'disabled', principalArn: ROOT, type: 'user' },
  { name: 'containerInsights', value: 'disabled', principalArn: ROOT, type: 'user' },
  { name: 'containerInstanceLongArnFormat', value: 'enabled', principalArn: ROOT, type: 'user' },
  { name: 'defaultLogDriverMode', value: 'non-blocking', principalArn: ROOT, type: 'user' },
  { name: 'dualStackIPv6', value: 'disabled', principalArn: ROOT, type: 'user' },
  { name: 'fargateEventWindows', value: 'disabled', principalArn: ROOT, type: 'user' },
  { name: 'fargateFIPSMode', value: 'disabled', principalArn: ROOT, type: 'user' },
  { name: 'fargateTaskRetirementWaitPeriod', value: '7', principalArn: ROOT, type: 'user' },
  { name: 'guardDutyActivate', value: 'off', principalArn: ROOT, type: 'aws_managed' },
  { name: 'serviceLongArnFormat', value: 'enabled', principalArn: ROOT, type: 'user' },
  { name: 'tagResourceAuthorization', value: 'on', principalArn: ROOT, type: 'user' },
  { name: 'taskLongArnFormat', value: 'enabled', principalArn: ROOT, type: 'user' },
];

describe('account settings', () => {
  let t: TestPlane;
  before(async () => {
    t = await startTestPlane();
  });
  after(() => t.stop());

  async function allEffective(principalArn?: string) {
    const settings = [];
    for await (const page of paginateListAccountSettings(
      { client: t.ecs },
      { effectiveSettings: true, principalArn },
    )) {
      settings.push(...(page.settings ?? []));
    }
    return settings;
  }

  it('lists ECS defaults for a new account, 10 per page', async () => {
    const first = await t.ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true }));
    assert.equal(first.settings?.length, 10);
    assert.ok(first.nextToken);
    const second = await t.ecs.send(
      new ListAccountSettingsCommand({ effectiveSettings: true, nextToken: first.nextToken }),
    );
    assert.equal(second.nextToken, undefined);
    assert.deepEqual([...(first.settings ?? []), ...(second.settings ?? [])], NEW_ACCOUNT);
    assert.deepEqual(await allEffective(), NEW_ACCOUNT);
  });

  it('lists nothing explicit for a new account', async () => {
    const out = await t.ecs.send(new ListAccountSettingsCommand({}));
    assert.deepEqual(out.settings, []);
    assert.equal(out.nextToken, undefined);
  });

  it('checks maxResults between 1 and 10', async () => {
    const page = await t.ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, maxResults: 3 }));
    assert.equal(page.settings?.length, 3);
    for (const maxResults of [0, 11]) {
      const e = await awsError(() => t.ecs.send(new ListAccountSettingsCommand({ maxResults })));
      assert.equal(e.name, 'InvalidParameterException');
    }
  });

  it('puts a setting for the caller (the root user), which is the account default', async () => {
    const out = await t.ecs.send(
      new PutAccountSettingCommand({ name: 'containerInsights', value: 'enhanced' }),
    );
    assert.deepEqual(out.setting, {
      name: 'containerInsights',
      value: 'enhanced',
      principalArn: ROOT,
      type: 'user',
    });
    const explicit = await t.ecs.send(new ListAccountSettingsCommand({}));
    assert.deepEqual(explicit.settings, [out.setting]);
    const effective = await t.ecs.send(
      new ListAccountSettingsCommand({ effectiveSettings: true, name: 'containerInsights' }),
    );
    assert.deepEqual(effective.settings, [out.setting]);
  });

  it('puts the account default with PutAccountSettingDefault', async () => {
    const out = await t.ecs.send(
      new PutAccountSettingDefaultCommand({ name: 'fargateTaskRetirementWaitPeriod', value: '14' }),
    );
    assert.deepEqual(out.setting, {
      name: 'fargateTaskRetirementWaitPeriod',
      value: '14',
      principalArn: ROOT,
      type: 'user',
    });
    const again = await t.ecs.send(
      new PutAccountSettingCommand({
        name: 'fargateTaskRetirementWaitPeriod',
        value: '0',
        principalArn: ROOT,
      }),
    );
    assert.equal(again.setting?.value, '0');
    const effective = await t.ecs.send(
      new ListAccountSettingsCommand({ effectiveSettings: true, name: 'fargateTaskRetirementWaitPeriod' }),
    );
    assert.deepEqual(effective.settings, [again.setting]);
  });

  it('sets per-principal settings for users and roles, which override the account default', async () => {
    await t.ecs.send(new PutAccountSettingDefaultCommand({ name: 'awsvpcTrunking', value: 'enabled' }));
    const user = await t.ecs.send(
      new PutAccountSettingCommand({ name: 'awsvpcTrunking', value: 'disabled', principalArn: USER }),
    );
    assert.deepEqual(user.setting, {
      name: 'awsvpcTrunking',
      value: 'disabled',
      principalArn: USER,
      type: 'user',
    });
    const own = await t.ecs.send(new ListAccountSettingsCommand({ principalArn: USER }));
    assert.deepEqual(own.settings, [user.setting]);

    const forUser = await allEffective(USER);
    assert.equal(forUser.length, NEW_ACCOUNT.length);
    assert.deepEqual(
      forUser.find((s) => s.name === 'awsvpcTrunking'),
      user.setting,
    );
    // Inherited settings come from the account default and name the root user.
    assert.deepEqual(
      forUser.find((s) => s.name === 'containerInsights'),
      { name: 'containerInsights', value: 'enhanced', principalArn: ROOT, type: 'user' },
    );
    const forRole = await t.ecs.send(
      new ListAccountSettingsCommand({ effectiveSettings: true, principalArn: ROLE, name: 'awsvpcTrunking' }),
    );
    assert.deepEqual(forRole.settings, [
      { name: 'awsvpcTrunking', value: 'enabled', principalArn: ROOT, type: 'user' },
    ]);
    const roleOwn = await t.ecs.send(new ListAccountSettingsCommand({ principalArn: ROLE }));
    assert.deepEqual(roleOwn.settings, []);
  });

  it('filters by value together with a name', async () => {
    const on = await t.ecs.send(
      new ListAccountSettingsCommand({ effectiveSettings: true, name: 'awsvpcTrunking', value: 'enabled' }),
    );
    assert.equal(on.settings?.length, 1);
    const off = await t.ecs.send(
      new ListAccountSettingsCommand({ effectiveSettings: true, name: 'awsvpcTrunking', value: 'disabled' }),
    );
    assert.deepEqual(off.settings, []);
    const e = await awsError(() => t.ecs.send(new ListAccountSettingsCommand({ value: 'enabled' })));
    assert.equal(e.name, 'InvalidParameterException');
  });

  it('refuses to turn off the long ARN formats, with ECS message', async () => {
    for (const name of [
      'serviceLongArnFormat',
      'taskLongArnFormat',
      'containerInstanceLongArnFormat',
    ] as const) {
      const put = await awsError(() => t.ecs.send(new PutAccountSettingCommand({ name, value: 'disabled' })));
      assert.deepEqual(put, {
        name: 'InvalidParameterException',
        message: 'You can no longer disable Long Arn settings',
        status: 400,
      });
      const def = await awsError(() =>
        t.ecs.send(new PutAccountSettingDefaultCommand({ name, value: 'disabled' })),
      );
      assert.equal(def.message, 'You can no longer disable Long Arn settings');
      const ok = await t.ecs.send(new PutAccountSettingDefaultCommand({ name, value: 'enabled' }));
      assert.equal(ok.setting?.value, 'enabled');
    }
  });

  it('checks each setting value', async () => {
    const cases: [string, string][] = [
      ['containerInsights', 'on'],
      ['awsvpcTrunking', 'ENABLED'],
      ['fargateTaskRetirementWaitPeriod', '3'],
      ['defaultLogDriverMode', 'enabled'],
      ['tagResourceAuthorization', 'enabled'],
    ];
    for (const [name, value] of cases) {
      const e = await awsError(() =>
        t.ecs.send(new PutAccountSettingCommand({ name: name as SettingName, value })),
      );
      assert.equal(e.name, 'InvalidParameterException', `${name}=${value}`);
      assert.match(e.message, /^Invalid setting 'value'/);
    }
    const ok = [
      ['defaultLogDriverMode', 'blocking'],
      ['tagResourceAuthorization', 'off'],
      ['fargateFIPSMode', 'enabled'],
      ['fargateEventWindows', 'enabled'],
      ['dualStackIPv6', 'enabled'],
    ];
    for (const [name, value] of ok) {
      const out = await t.ecs.send(new PutAccountSettingDefaultCommand({ name: name as SettingName, value }));
      assert.deepEqual(out.setting, { name, value, principalArn: ROOT, type: 'user' });
    }
  });

  it('rejects unknown names, read-only settings and account-level settings for users', async () => {
    const unknown = await awsError(() =>
      t.ecs.send(new PutAccountSettingCommand({ name: 'nope' as SettingName, value: 'enabled' })),
    );
    assert.equal(unknown.name, 'InvalidParameterException');
    const list = await awsError(() =>
      t.ecs.send(new ListAccountSettingsCommand({ name: 'nope' as SettingName })),
    );
    assert.equal(list.name, 'InvalidParameterException');
    const managed = await awsError(() =>
      t.ecs.send(new PutAccountSettingCommand({ name: 'guardDutyActivate', value: 'on' })),
    );
    assert.equal(managed.name, 'InvalidParameterException');
    const retire = await awsError(() =>
      t.ecs.send(
        new PutAccountSettingCommand({
          name: 'fargateTaskRetirementWaitPeriod',
          value: '7',
          principalArn: USER,
        }),
      ),
    );
    assert.equal(retire.name, 'InvalidParameterException');
    const missing = await awsError(() =>
      t.ecs.send(new PutAccountSettingCommand({ name: 'awsvpcTrunking' } as never)),
    );
    assert.equal(missing.name, 'InvalidParameterException');
  });

  it('validates principal ARNs', async () => {
    const bad = [
      'alice',
      'arn:aws:iam::000000000000:group/admins',
      'arn:aws:iam::111111111111:user/alice',
      'arn:aws:sts::000000000000:assumed-role/deployer/session',
    ];
    for (const principalArn of bad) {
      const e = await awsError(() =>
        t.ecs.send(new PutAccountSettingCommand({ name: 'awsvpcTrunking', value: 'enabled', principalArn })),
      );
      assert.equal(e.name, 'InvalidParameterException', principalArn);
    }
    const e = await awsError(() => t.ecs.send(new ListAccountSettingsCommand({ principalArn: 'bogus' })));
    assert.equal(e.name, 'InvalidParameterException');
  });

  it('deletes a principal setting, which falls back to the account default', async () => {
    const out = await t.ecs.send(
      new DeleteAccountSettingCommand({ name: 'awsvpcTrunking', principalArn: USER }),
    );
    assert.deepEqual(out.setting, {
      name: 'awsvpcTrunking',
      value: 'disabled',
      principalArn: USER,
      type: 'user',
    });
    const own = await t.ecs.send(new ListAccountSettingsCommand({ principalArn: USER }));
    assert.deepEqual(own.settings, []);
    const effective = await t.ecs.send(
      new ListAccountSettingsCommand({ effectiveSettings: true, principalArn: USER, name: 'awsvpcTrunking' }),
    );
    assert.deepEqual(effective.settings, [
      { name: 'awsvpcTrunking', value: 'enabled', principalArn: ROOT, type: 'user' },
    ]);
    // Nothing left to delete: the call changes nothing and reports what is in effect.
    const again = await t.ecs.send(
      new DeleteAccountSettingCommand({ name: 'awsvpcTrunking', principalArn: USER }),
    );
    assert.deepEqual(again.setting, effective.settings?.[0]);
  });

  it('deletes the account default, which resets it to the ECS default', async () => {
    const out = await t.ecs.send(new DeleteAccountSettingCommand({ name: 'containerInsights' }));
    assert.deepEqual(out.setting, {
      name: 'containerInsights',
      value: 'enhanced',
      principalArn: ROOT,
      type: 'user',
    });
    const effective = await t.ecs.send(
      new ListAccountSettingsCommand({ effectiveSettings: true, name: 'containerInsights' }),
    );
    assert.deepEqual(effective.settings, [
      { name: 'containerInsights', value: 'disabled', principalArn: ROOT, type: 'user' },
    ]);
    const longArn = await t.ecs.send(new DeleteAccountSettingCommand({ name: 'taskLongArnFormat' }));
    assert.equal(longArn.setting?.value, 'enabled');
    const managed = await awsError(() =>
      t.ecs.send(new DeleteAccountSettingCommand({ name: 'guardDutyActivate' })),
    );
    assert.equal(managed.name, 'InvalidParameterException');
  });
});
