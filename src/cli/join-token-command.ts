/**
 * `longshore join-token create|list|delete`: agent join tokens (CreateAgentJoinToken,
 * ListAgentJoinTokens, DeleteAgentJoinToken), signed with the environment's key pair.
 */
import { parseArgs } from 'node:util';
import type { AgentJoinTokenView } from '../longshore-api/agent-join-tokens.ts';
import { CALL_FLAGS, callLongshore } from './longshore-call.ts';
import { DEFAULT_PORT, DEFAULT_REGION, parseDuration } from './options.ts';

const USAGE = `usage: longshore join-token create [--cluster C] [--expires 24h] [--max-uses N] [--description D]
       longshore join-token list
       longshore join-token delete TOKEN_ID
       (each also takes [--endpoint URL] [--region R] [--json])

A join token lets an agent on another host join without the root key: it trades the token once for
a key pair of its own, which signs as the role ecsInstanceRole (what an ECS container instance may
do). --cluster restricts the agents to that cluster; --expires is at most 30d (default 24h);
--max-uses bounds how many agents may join with it (default unlimited). The token is shown once.
Deleting a token stops new joins; agents that joined keep their keys.`;

export async function joinTokenCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      cluster: { type: 'string' },
      expires: { type: 'string' },
      'max-uses': { type: 'string' },
      description: { type: 'string' },
      ...CALL_FLAGS,
    },
  });
  const wanted = { create: 0, list: 0, delete: 1 }[sub ?? ''];
  if (values.help || wanted === undefined || positionals.length !== wanted) {
    console.log(USAGE);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const endpoint = values.endpoint ?? `http://127.0.0.1:${DEFAULT_PORT}`;
  const call = (operation: string, body: object) =>
    callLongshore(operation, endpoint.split(',')[0]!, values.region ?? DEFAULT_REGION, body);
  if (sub === 'create') {
    const maxUses = values['max-uses'] === undefined ? undefined : Number(values['max-uses']);
    if (maxUses !== undefined && !Number.isInteger(maxUses))
      throw new Error(`--max-uses must be a whole number, got '${values['max-uses']}'`);
    const out = (await call('CreateAgentJoinToken', {
      cluster: values.cluster,
      expiresInSeconds: values.expires === undefined ? undefined : expiresSeconds(values.expires),
      maxUses,
      description: values.description,
    })) as { tokenId: string; token: string; expiresAt: number };
    if (values.json) return console.log(JSON.stringify(out, null, 2));
    const cluster = values.cluster ? ` --cluster ${values.cluster}` : '';
    console.log(`Join token ${out.tokenId} (expires ${new Date(out.expiresAt * 1000).toISOString()}):

  ${out.token}

It is shown only this once. On each host that should join, run:

  longshore agent --endpoint ${endpoint}${cluster} --join-token ${out.token}

(or set LONGSHORE_JOIN_TOKEN). The agent saves its own key pair in its data directory and
reuses it on restart; revoke the token with: longshore join-token delete ${out.tokenId}`);
    return;
  }
  if (sub === 'list') {
    const out = (await call('ListAgentJoinTokens', {})) as { tokens: AgentJoinTokenView[] };
    if (values.json) return console.log(JSON.stringify(out, null, 2));
    if (out.tokens.length === 0) return console.log('No join tokens.');
    for (const t of out.tokens) {
      const uses = `${t.uses}${t.maxUses === undefined ? '' : `/${t.maxUses}`} uses`;
      const state = t.expired ? 'EXPIRED' : `expires ${new Date(t.expiresAt * 1000).toISOString()}`;
      const where = t.cluster ? `cluster ${t.cluster}` : 'any cluster';
      console.log(`${t.tokenId}  ${where}  ${uses}  ${state}${t.description ? `  ${t.description}` : ''}`);
    }
    return;
  }
  await call('DeleteAgentJoinToken', { tokenId: positionals[0] });
  if (!values.json)
    console.log(`Deleted join token ${positionals[0]}; agents that joined with it keep their keys.`);
}

/** `--expires`: 90m, 24h, 7d, or seconds. */
function expiresSeconds(text: string): number {
  const days = /^(\d+)d$/.exec(text);
  if (days) return Number(days[1]) * 86_400;
  if (/^\d+$/.test(text)) return Number(text);
  return Math.round(parseDuration(text) / 1000);
}
