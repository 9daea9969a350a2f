/**
 * One region's view of a store: AWS keeps each region's resources apart (names, ARNs, the
 * `default` cluster), and so does Longshore, in one database. A region's records live in their own
 * collections (`task@eu-west-1`); the home region (the one a data directory was first started
 * with) keeps the plain collections, so data written before regions existed stays where it was.
 */
import type {
  ChangeListener,
  ChangesSince,
  Expect,
  Kind,
  Query,
  Store,
  StoreChange,
  Stored,
  Tx,
} from './store.ts';

const SEPARATOR = '@';

/** The collection a region keeps `kind` in. */
export function regionKind(kind: Kind, region: string, home: string): Kind {
  // Collections are plain strings to the store implementations; the type names the ECS ones.
  return (region === home ? kind : `${kind}${SEPARATOR}${region}`) as Kind;
}

/** The region a stored collection belongs to and its plain kind. */
export function splitRegionKind(stored: string, home: string): { kind: Kind; region: string } {
  const at = stored.indexOf(SEPARATOR);
  if (at < 0) return { kind: stored as Kind, region: home };
  return { kind: stored.slice(0, at) as Kind, region: stored.slice(at + 1) };
}

/**
 * `store` as `region` sees it. `clear()` empties the whole installation (every region: it is the
 * moto-style reset); `close()` is the owner's job and does nothing here.
 */
export function regionView(store: Store, region: string, home: string): Store {
  const k = (kind: Kind) => regionKind(kind, region, home);
  const mine = (c: StoreChange): StoreChange | undefined => {
    const { kind, region: of } = splitRegionKind(c.kind, home);
    return of === region ? { ...c, kind } : undefined;
  };
  return {
    get: <T>(kind: Kind, key: string) => store.get<T>(k(kind), key),
    list: <T>(kind: Kind, query?: Query) => store.list<T>(k(kind), query),
    changesSince: (kind: Kind, prefix: string, cursor: unknown, also?: readonly string[]): ChangesSince =>
      store.changesSince(k(kind), prefix, cursor, also),
    transact: <R>(fn: (tx: Tx) => Promise<R>) => store.transact((tx) => fn(txView(tx, k))),
    watch: (listener: ChangeListener) =>
      store.watch((batch) => {
        const changes = batch.changes.flatMap((c) => mine(c) ?? []);
        if (changes.length > 0 || batch.gap) listener({ ...batch, changes });
      }),
    revision: () => store.revision(),
    clear: () => store.clear(),
    close: async () => {},
  };
}

function txView(tx: Tx, k: (kind: Kind) => Kind): Tx {
  return {
    get: <T>(kind: Kind, key: string): Promise<Stored<T> | undefined> => tx.get<T>(k(kind), key),
    list: <T>(kind: Kind, query?: Query): Promise<Stored<T>[]> => tx.list<T>(k(kind), query),
    changesSince: (kind: Kind, prefix: string, cursor: unknown, also?: readonly string[]) =>
      tx.changesSince(k(kind), prefix, cursor, also),
    put: <T>(kind: Kind, key: string, value: T, expect?: Expect) => tx.put(k(kind), key, value, expect),
    remove: (kind: Kind, key: string, expect?: Expect) => tx.remove(k(kind), key, expect),
    onCommit: (callback: () => void) => tx.onCommit(callback),
  };
}
