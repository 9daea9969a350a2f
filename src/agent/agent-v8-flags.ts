/**
 * V8 settings of a `longshore agent` process, for its memory (docs/performance.md, "Agent"):
 *
 * - no optimizing compilers (`--no-opt --no-maglev`; bytecode and Sparkplug's baseline code
 *   remain): an agent's work is waiting on Docker and the control plane, and the compilers' code
 *   and working memory were ~8.5 MiB of an idle agent's resident memory, mostly spent optimizing
 *   Node's module loader while the agent starts;
 * - a young generation that does not grow (`--semi-space-growth-factor=1`): start-up garbage
 *   would otherwise leave it at 16 MiB, resident for good.
 *
 * `LONGSHORE_AGENT_V8_FLAGS` replaces the list (`LONGSHORE_AGENT_V8_FLAGS=` keeps V8's defaults).
 * Imported first by src/cli/agent-command.ts, so the flags are set before the agent's modules load;
 * only in the process of the `agent` command itself: processes that import the agent's code
 * (`longshore up`, tests) are left as they are.
 */
import { sep } from 'node:path';
import { setFlagsFromString } from 'node:v8';

export const AGENT_V8_FLAGS = '--no-opt --no-maglev --semi-space-growth-factor=1';

/** `node .../src/cli/main.ts agent ...`: this process is the `agent` command. */
export function isAgentCommand(argv: readonly string[] = process.argv): boolean {
  return argv[2] === 'agent' && (argv[1]?.endsWith(`${sep}cli${sep}main.ts`) ?? false);
}

/** The flags a `longshore agent` process sets: AGENT_V8_FLAGS unless the environment names others. */
export function agentV8Flags(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.LONGSHORE_AGENT_V8_FLAGS ?? AGENT_V8_FLAGS).split(/\s+/).filter(Boolean);
}

if (isAgentCommand()) for (const flag of agentV8Flags()) setFlagsFromString(flag);
