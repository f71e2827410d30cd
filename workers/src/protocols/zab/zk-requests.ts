import type { ClientReply } from '../../sim/node-context.js';
import type { Identity } from './acl.js';
import type { ZkDatabase } from './database.js';
import type { WatchTable } from './watches.js';

/** Client operations that go through the log as transactions. */
export const WRITE_FS = ['create', 'delete', 'setData', 'setACL', 'multi'] as const;

/** Client reads, served by the server the client is connected to. */
export type ReadF = 'getData' | 'exists' | 'getChildren' | 'getACL';

/**
 * A read of the local copy: getData → {data, stat}, exists → {stat} (null when absent), getChildren
 * → {children} in name order, getACL → {acl, stat}; NoNode and NoAuth as ZooKeeper names them.
 * `watch: true` leaves a one-shot watch (exists watches a missing node for its creation).
 */
export function readOp(db: ZkDatabase, f: ReadF, value: unknown, who: Identity, session: number, watches: WatchTable): ClientReply {
  const args = (value ?? {}) as { path?: unknown; watch?: unknown };
  if (typeof args.path !== 'string') return { type: 'fail', error: 'BadArguments' };
  const path = args.path;
  const watch = args.watch === true;
  switch (f) {
    case 'exists': {
      const node = db.tree.get(path);
      if (watch) watches.watchData(path, session);
      return { type: 'ok', value: { stat: node === undefined ? null : { ...node.stat } } };
    }
    case 'getData': {
      const r = db.tree.read(path, who);
      if ('error' in r) return { type: 'fail', error: r.error };
      if (watch) watches.watchData(path, session);
      return { type: 'ok', value: { data: r.node.data, stat: { ...r.node.stat } } };
    }
    case 'getChildren': {
      const r = db.tree.read(path, who);
      if ('error' in r) return { type: 'fail', error: r.error };
      if (watch) watches.watchChildren(path, session);
      return { type: 'ok', value: { children: [...r.node.children].sort() } };
    }
    case 'getACL': {
      const node = db.tree.get(path);
      if (node === undefined) return { type: 'fail', error: 'NoNode' };
      return { type: 'ok', value: { acl: node.acl.map((e) => ({ ...e })), stat: { ...node.stat } } };
    }
    default:
      return { type: 'fail', error: 'Unimplemented' };
  }
}
