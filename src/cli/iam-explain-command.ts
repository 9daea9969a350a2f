/** `longshore iam explain`: why a key may or may not do an action on a resource. */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { ContextValue } from '../iam/policy/context.ts';
import { explain, formatExplanation, installationKey } from './iam-explain.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, defaultDataDir } from './options.ts';

const USAGE = `usage: longshore iam explain --access-key KEY --action SERVICE:ACTION [--resource ARN]
       [--context KEY=VALUE ...] [--region R] [--data-dir DIR] [--account-id ID] [--json]

Evaluates the key's policies (its user's or role session's identity policies, permissions
boundary, session policies, and the resource's own policy for ECR repositories, secrets and event
buses) as Longshore authorizes a request, and prints the decision with the statements that made
it. --resource defaults to *; --context adds condition keys (repeat KEY=VALUE for a list).`;

export async function iamCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      'access-key': { type: 'string' },
      action: { type: 'string' },
      resource: { type: 'string' },
      context: { type: 'string', multiple: true },
      region: { type: 'string' },
      'data-dir': { type: 'string' },
      'account-id': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (sub !== 'explain' || values.help || !values['access-key'] || !values.action) {
    console.log(USAGE);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const env = process.env;
  const dataDir = values['data-dir'] ?? env.LONGSHORE_DATA_DIR ?? defaultDataDir(env);
  const accountId = values['account-id'] ?? env.LONGSHORE_ACCOUNT_ID ?? DEFAULT_ACCOUNT_ID;
  const context: Record<string, ContextValue> = {};
  for (const pair of values.context ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--context takes KEY=VALUE, got ${pair}`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const prior = context[key];
    context[key] = prior === undefined ? value : [...(typeof prior === 'string' ? [prior] : prior), value];
  }
  const store = SqliteStore.open(join(dataDir, 'longshore.db'));
  try {
    const result = await explain(store, installationKey(dataDir, accountId, env), {
      accessKeyId: values['access-key'],
      action: values.action,
      resource: values.resource ?? '*',
      region: values.region ?? env.LONGSHORE_REGION ?? DEFAULT_REGION,
      context,
      now: Date.now(),
    });
    console.log(values.json ? JSON.stringify(result, null, 2) : formatExplanation(result));
    if (result.decision.type !== 'allowed') process.exitCode = 1;
  } finally {
    await store.close();
  }
}
