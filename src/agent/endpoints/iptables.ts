/**
 * The iptables rules the agent adds, each tagged with an iptables comment
 * `longshore-metadata:<owner key>:<pid>` so that it can be found again: removed when the agent stops,
 * and replaced (not duplicated) when an agent that was killed starts again.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The comment prefix of every rule Longshore adds. */
export const RULE_TAG = 'longshore-metadata';
/** `-w`: wait this long for the xtables lock another iptables user (dockerd) holds, instead of failing. */
const LOCK_WAIT_SECONDS = '5';
/** One iptables call takes a few milliseconds; a hung one must not hang the agent's start. */
const CALL_TIMEOUT_MS = 10_000;
/**
 * Calls that fail for a passing reason are tried again: the xtables lock held past the wait while
 * dockerd rewrites its chains, or (iptables-nft) a ruleset that changed under a concurrent
 * transaction. A call that cannot succeed (no iptables, no privilege, a rule not there) is not.
 */
const ATTEMPTS = 4;
const RETRY_DELAY_MS = 250;
const PERMANENT =
  /permission denied|not permitted|ENOENT|does a matching rule exist|Bad rule|No chain|unknown option|invalid/i;

export type Table = 'nat' | 'filter';

/** Who added a rule: an agent's key (stable across its restarts) and its process id. */
export interface RuleOwner {
  key: string;
  pid: number;
}

export interface Rule {
  table: Table;
  chain: string;
  /** The rule as `iptables -S` prints it after `-A CHAIN`, usable as is with `-D CHAIN`. */
  spec: string[];
  /** Set on the rules Longshore added (tagged with its comment). */
  owner?: RuleOwner;
}

export function ruleComment(owner: RuleOwner): string {
  return `${RULE_TAG}:${owner.key}:${owner.pid}`;
}

export class Iptables {
  readonly #command: string;

  constructor(command = 'iptables') {
    this.#command = command;
  }

  async #run(args: string[]): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { stdout } = await run(this.#command, ['-w', LOCK_WAIT_SECONDS, ...args], {
          timeout: CALL_TIMEOUT_MS,
        });
        return stdout;
      } catch (error) {
        const text = `${(error as { stderr?: string }).stderr ?? ''} ${(error as NodeJS.ErrnoException).code ?? ''}`;
        if (attempt >= ATTEMPTS || PERMANENT.test(text)) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      }
    }
  }

  /** Every rule of one chain, in chain order (for a packet, the first matching rule wins). */
  async list(table: Table, chain: string): Promise<Rule[]> {
    const out = await this.#run(['-t', table, '-S', chain]);
    const rules: Rule[] = [];
    for (const line of out.split('\n')) {
      const words = splitWords(line);
      if (words[0] !== '-A' || words[1] !== chain) continue;
      const spec = words.slice(2);
      const owner = parseOwner(option(spec, '--comment'));
      rules.push({ table, chain, spec, ...(owner ? { owner } : {}) });
    }
    return rules;
  }

  async append(table: Table, chain: string, spec: string[]): Promise<void> {
    await this.#run(['-t', table, '-A', chain, ...spec]);
  }

  async insert(table: Table, chain: string, spec: string[]): Promise<void> {
    await this.#run(['-t', table, '-I', chain, ...spec]);
  }

  /** Deletes a rule; one already gone (another agent cleaned it up) is not an error. */
  async delete(rule: Rule): Promise<void> {
    await this.#run(['-t', rule.table, '-D', rule.chain, ...rule.spec]).catch((error: unknown) => {
      if (!/does a matching rule exist|Bad rule/i.test(String((error as { stderr?: string }).stderr)))
        throw error;
    });
  }
}

/** The word after `name` in a rule spec (`--dport`, `-d`, `--comment` ...). */
export function option(spec: readonly string[], name: string): string | undefined {
  const at = spec.indexOf(name);
  return at < 0 ? undefined : spec[at + 1];
}

function parseOwner(comment: string | undefined): RuleOwner | undefined {
  const m = /^longshore-metadata:([0-9a-f]+):(\d+)$/.exec(comment ?? '');
  return m ? { key: m[1], pid: Number(m[2]) } : undefined;
}

/** Splits an `iptables -S` line into words; a double-quoted word (a comment) keeps its spaces. */
function splitWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) words.push(m[1] ?? m[2]);
  return words;
}
