/**
 * Which principal and secret stand behind an access key id, answered synchronously for the SigV4
 * verifier: the installation's root key, IAM users' active keys (AKIA...) and STS sessions
 * (ASIA...) and agents' keys from a join token (AKLA..., `ecsInstanceRole` sessions: agent-keys.ts). An in-memory index, loaded once and patched from the store's change feed: each
 * committed batch that touches users, keys or sessions is caught up with `changesSince` before
 * the writing `transact` resolves, so a key is usable as soon as CreateAccessKey has answered (and
 * a deleted or deactivated one refused as soon as its call has). Secrets are sealed at rest and
 * held open only here, in memory; nothing here logs them.
 *
 * Last use of a key (GetAccessKeyLastUsed) is noted in memory on every authenticated request and
 * written to the key's record at most once per `LAST_USED_PERSIST_MS`, never once per request.
 */
import type { Clock } from '../../core/clock.ts';
import { Kind, type Stored, type Store } from '../../store/store.ts';
import { type AgentKeyRecord, isAgentKeyId } from './agent-keys.ts';
import type { Principal, ResolvedCredential } from './principal.ts';
import {
  type AccessKeyRecord,
  AccessKeyStatus,
  type SecretSealer,
  type SessionRecord,
  sealContext,
  type UserRecord,
} from './records.ts';

/** How stale a key's stored last-used date may get before a use writes it again (AWS reports it to the hour). */
export const LAST_USED_PERSIST_MS = 60 * 60 * 1000;

export interface CredentialIndexOptions {
  store: Store;
  sealer: SecretSealer;
  clock: Clock;
  accountId: string;
  /** The installation's own key pair: the account root. */
  root: { accessKeyId: string; secretAccessKey: string };
  /** Told of a failed last-used write (the request it came from has already been answered). */
  onError?: (error: unknown) => void;
}

type LastUsed = NonNullable<AccessKeyRecord['lastUsed']>;

const WATCHED: readonly Kind[] = [Kind.IamUser, Kind.IamAccessKey, Kind.StsSession, Kind.AgentKey];

export class CredentialIndex {
  readonly #options: CredentialIndexOptions;
  readonly #root: ResolvedCredential;
  #users = new Map<string, UserRecord>();
  #keys = new Map<string, { record: AccessKeyRecord; secret: string }>();
  #sessions = new Map<string, ResolvedCredential>();
  #agents = new Map<string, { record: AgentKeyRecord; credential: ResolvedCredential }>();
  #cursors = new Map<Kind, unknown>();
  #lastUsed = new Map<string, LastUsed>();
  #unwatch: (() => void) | undefined;
  #reloading: Promise<void> | undefined;

  private constructor(options: CredentialIndexOptions) {
    this.#options = options;
    const account = options.accountId;
    this.#root = {
      secretAccessKey: options.root.secretAccessKey,
      principal: { type: 'root', accountId: account, arn: `arn:aws:iam::${account}:root`, userId: account },
    };
  }

  /** Loads every user, key and session, then follows the change feed. */
  static async open(options: CredentialIndexOptions): Promise<CredentialIndex> {
    const index = new CredentialIndex(options);
    index.#unwatch = options.store.watch((batch) => {
      if (batch.gap) {
        index.#reload();
        return;
      }
      const touched = new Set(batch.changes.map((c) => c.kind).filter((k) => WATCHED.includes(k)));
      for (const kind of touched) index.#catchUp(kind);
    });
    await index.#load();
    return index;
  }

  close(): void {
    this.#unwatch?.();
  }

  /** The credential behind `accessKeyId`, or undefined (unknown, deleted or inactive key). */
  resolve(accessKeyId: string): ResolvedCredential | undefined {
    if (accessKeyId === this.#options.root.accessKeyId) return this.#root;
    if (accessKeyId.startsWith('ASIA')) return this.#sessions.get(accessKeyId);
    if (isAgentKeyId(accessKeyId)) {
      const agent = this.#agents.get(accessKeyId);
      return agent?.record.status === 'Active' ? agent.credential : undefined;
    }
    const key = this.#keys.get(accessKeyId);
    if (!key || key.record.status !== AccessKeyStatus.Active) return undefined;
    const user = this.#users.get(key.record.userName.toLowerCase());
    if (!user) return undefined;
    return { secretAccessKey: key.secret, principal: userPrincipal(this.#options.accountId, user) };
  }

  /** Notes a successful request signed with `accessKeyId` (long-term keys only; sessions are not reported). */
  noteUse(accessKeyId: string, service: string, region: string, now: number): void {
    const key = this.#keys.get(accessKeyId);
    if (!key) return;
    const use = { date: now, service, region };
    this.#lastUsed.set(accessKeyId, use);
    const stored = key.record.lastUsed?.date ?? 0;
    if (now - stored < LAST_USED_PERSIST_MS) return;
    // Marked as written before the write lands, so a burst of requests writes once.
    key.record = { ...key.record, lastUsed: use };
    this.#persistLastUsed(accessKeyId, use).catch((error: unknown) => this.#options.onError?.(error));
  }

  /** The latest use of a key: this process's memory, else what was stored. */
  lastUsed(
    accessKeyId: string,
    stored?: AccessKeyRecord['lastUsed'],
  ): AccessKeyRecord['lastUsed'] | undefined {
    const mine = this.#lastUsed.get(accessKeyId);
    if (!stored) return mine;
    if (!mine) return stored;
    return mine.date >= stored.date ? mine : stored;
  }

  /** Ids of sessions that expired before `before` (for STS to delete a few as it makes new ones). */
  expiredSessions(before: number, limit: number): string[] {
    const out: string[] = [];
    for (const [id, s] of this.#sessions) {
      if ((s.expiresAt ?? Number.POSITIVE_INFINITY) < before) out.push(id);
      if (out.length >= limit) break;
    }
    return out;
  }

  async #persistLastUsed(accessKeyId: string, use: LastUsed): Promise<void> {
    await this.#options.store.transact(async (tx) => {
      const current = await tx.get<AccessKeyRecord>(Kind.IamAccessKey, accessKeyId);
      if (!current || (current.value.lastUsed?.date ?? 0) >= use.date) return;
      await tx.put(Kind.IamAccessKey, accessKeyId, { ...current.value, lastUsed: use }, current.version);
    });
  }

  async #load(): Promise<void> {
    const { store } = this.#options;
    // Cursors first: a write landing while the lists are read is caught up afterwards, not lost.
    for (const kind of WATCHED) this.#cursors.set(kind, store.changesSince(kind, '', undefined).cursor);
    const [users, keys, sessions, agents] = await Promise.all([
      store.list<UserRecord>(Kind.IamUser),
      store.list<AccessKeyRecord>(Kind.IamAccessKey),
      store.list<SessionRecord>(Kind.StsSession),
      store.list<AgentKeyRecord>(Kind.AgentKey),
    ]);
    this.#users = new Map();
    this.#keys = new Map();
    this.#sessions = new Map();
    this.#agents = new Map();
    for (const u of users) this.#apply(Kind.IamUser, u.key, u);
    for (const k of keys) this.#apply(Kind.IamAccessKey, k.key, k);
    for (const s of sessions) this.#apply(Kind.StsSession, s.key, s);
    for (const a of agents) this.#apply(Kind.AgentKey, a.key, a);
    for (const kind of WATCHED) this.#catchUp(kind);
  }

  #reload(): void {
    this.#reloading ??= this.#load()
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => {
        this.#reloading = undefined;
      });
  }

  #catchUp(kind: Kind): void {
    const since = this.#options.store.changesSince(kind, '', this.#cursors.get(kind));
    this.#cursors.set(kind, since.cursor);
    if (!since.changed) {
      this.#reload();
      return;
    }
    for (const [key, record] of since.changed) this.#apply(kind, key, record);
  }

  #apply(kind: Kind, key: string, record: Stored<unknown> | undefined): void {
    const { sealer } = this.#options;
    if (kind === Kind.IamUser) {
      if (record) this.#users.set(key, record.value as UserRecord);
      else this.#users.delete(key);
    } else if (kind === Kind.IamAccessKey) {
      if (!record) {
        this.#keys.delete(key);
        return;
      }
      const value = record.value as AccessKeyRecord;
      const known = this.#keys.get(key);
      const secret =
        known?.secret ?? sealer.open(value.sealedSecret, sealContext('access-key', key)).toString('utf8');
      this.#keys.set(key, { record: value, secret });
    } else if (kind === Kind.StsSession) {
      if (!record) {
        this.#sessions.delete(key);
        return;
      }
      if (this.#sessions.has(key)) return;
      const s = record.value as SessionRecord;
      this.#sessions.set(key, {
        secretAccessKey: sealer.open(s.sealedSecret, sealContext('session-secret', key)).toString('utf8'),
        sessionToken: sealer.open(s.sealedToken, sealContext('session-token', key)).toString('utf8'),
        expiresAt: s.expiresAt,
        principal: { ...s.principal, sessionKeyId: key } as Principal,
      });
    } else if (kind === Kind.AgentKey) {
      if (!record) {
        this.#agents.delete(key);
        return;
      }
      const value = record.value as AgentKeyRecord;
      const secretAccessKey =
        this.#agents.get(key)?.credential.secretAccessKey ??
        sealer.open(value.sealedSecret, sealContext('agent-key', key)).toString('utf8');
      const credential: ResolvedCredential = {
        secretAccessKey,
        principal: value.principal,
        ...(value.cluster !== undefined ? { cluster: value.cluster } : {}),
      };
      this.#agents.set(key, { record: value, credential });
    }
  }
}

/** The principal of an IAM user. */
export function userPrincipal(accountId: string, user: UserRecord): Principal {
  return {
    type: 'user',
    accountId,
    arn: user.arn,
    userId: user.userId,
    userName: user.userName,
    path: user.path,
  };
}
