import { kvModel } from './kv.js';
import type { Model } from './model.js';

/** The kv reading's operations; guarantee clients' (`zk-*`) are judged by the invariants alone. */
const KV_FS: ReadonlySet<string> = new Set(['read', 'write', 'cas']);

/**
 * ZooKeeper's znodes as the checker sees them: each path a register of its data, written by
 * setData (or create), conditionally written by setData with the version read (a cas), read by
 * getData; the kv reading per path (`read [path, null]`, `write [path, v]`, `cas [path, [old, new]]`),
 * split per path for linearizability. Histories of this model also get ZooKeeper's own guarantees
 * checked (see invariants/zookeeper-writes.ts and invariants/zookeeper-guarantees.ts).
 */
export function znodeModel(init: unknown): Model<any> {
  return { ...kvModel({ init }), name: 'znode', judges: (f) => KV_FS.has(f) };
}
