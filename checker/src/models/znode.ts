import { kvModel } from './kv.js';
import type { Model } from './model.js';

/**
 * ZooKeeper's znodes as the checker sees them: each path a register of its data, written by
 * setData (or create), conditionally written by setData with the version read (a cas), read by
 * getData; the kv reading per path (`read [path, null]`, `write [path, v]`, `cas [path, [old, new]]`),
 * split per path for linearizability. Histories of this model also get ZooKeeper's own guarantees
 * checked (see invariants/zookeeper-writes.ts).
 */
export function znodeModel(init: unknown): Model<any> {
  return { ...kvModel({ init }), name: 'znode' };
}
