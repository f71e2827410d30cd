import type { NodeContext } from '../../sim/node-context.js';
import { keyName } from './hash.js';
import type { Resolver, Version } from './versions.js';

/** A key's versions as one node holds them. */
export interface StoredKey {
  key: unknown;
  versions: Version[];
}

/** Versions held for another node while it was unreachable (Dynamo's hinted replica). */
export interface Hint extends StoredKey {
  /** The replica they belong to, by node index. */
  target: number;
}

const DATA = 'd:';
const HINT = 'h:';
const KEYS = 'keys';
const HINTS = 'hints';
const STAMP = 'stamp';

/**
 * One node's durable state: the keys it replicates, the hints it holds for others, and the last
 * stamp it issued. Everything is persisted before the node acknowledges it, so a crash loses no
 * acknowledged write; a restart reloads it all (`load`). Iteration follows first-write order,
 * the same in every run.
 */
export class ReplicaStore {
  private readonly data = new Map<string, StoredKey>();
  private readonly hinted = new Map<string, Hint>();
  private lastStamp = 0;

  constructor(private readonly ctx: NodeContext, private readonly resolver: Resolver) {
    for (const name of ctx.load<string[]>(KEYS) ?? []) {
      const entry = ctx.load<StoredKey>(DATA + name);
      if (entry !== undefined) this.data.set(name, entry);
    }
    for (const id of ctx.load<string[]>(HINTS) ?? []) {
      const hint = ctx.load<Hint>(HINT + id);
      if (hint !== undefined) this.hinted.set(id, hint);
    }
    this.lastStamp = ctx.load<number>(STAMP) ?? 0;
  }

  /** The versions this node replicates for the key (none: an empty list). */
  get(key: unknown): readonly Version[] {
    return this.data.get(keyName(key))?.versions ?? [];
  }

  /** Everything this node holds for the key: its own versions and any it holds as hints. */
  local(key: unknown): Version[] {
    const name = keyName(key);
    let versions = this.data.get(name)?.versions ?? [];
    for (const hint of this.hinted.values()) if (keyName(hint.key) === name) versions = this.resolver.merge(versions, hint.versions);
    return versions;
  }

  /** Merges versions into this node's replica of the key; true when that changed it (then persisted). */
  apply(key: unknown, versions: readonly Version[]): boolean {
    const name = keyName(key);
    const current = this.data.get(name);
    if (current !== undefined && this.resolver.covers(current.versions, versions)) return false;
    const merged = this.resolver.merge(current?.versions ?? [], versions);
    if (current === undefined) {
      this.data.set(name, { key, versions: merged });
      this.ctx.persist(KEYS, [...this.data.keys()]);
    } else {
      current.versions = merged;
    }
    this.ctx.persist(DATA + name, { key, versions: merged });
    return true;
  }

  /** Holds versions of the key for `target` until they can be handed off. */
  hint(target: number, key: unknown, versions: readonly Version[]): void {
    const id = hintId(target, key);
    const current = this.hinted.get(id);
    if (current !== undefined && this.resolver.covers(current.versions, versions)) return;
    const merged = this.resolver.merge(current?.versions ?? [], versions);
    if (current === undefined) {
      this.hinted.set(id, { target, key, versions: merged });
      this.ctx.persist(HINTS, [...this.hinted.keys()]);
    } else {
      current.versions = merged;
    }
    this.ctx.persist(HINT + id, { target, key, versions: merged });
  }

  /** Hints held, oldest first. */
  hints(): readonly Hint[] {
    return [...this.hinted.values()];
  }

  /** Forgets a handed-off hint, unless it changed since (then the newer versions still need delivering). */
  handedOff(target: number, key: unknown, digest: string): void {
    const id = hintId(target, key);
    const hint = this.hinted.get(id);
    if (hint === undefined || this.resolver.digest(hint.versions) !== digest) return;
    this.hinted.delete(id);
    this.ctx.persist(HINTS, [...this.hinted.keys()]);
    this.ctx.persist(HINT + id, undefined);
  }

  /** Every key this node replicates. */
  entries(): IterableIterator<StoredKey> {
    return this.data.values();
  }

  /** The last stamp this node issued (LWW clock reading or version-vector counter). */
  get stamp(): number {
    return this.lastStamp;
  }

  set stamp(value: number) {
    this.lastStamp = value;
    this.ctx.persist(STAMP, value);
  }
}

function hintId(target: number, key: unknown): string {
  return `${target}\u0000${keyName(key)}`;
}
