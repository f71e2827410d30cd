import type { TreeChange } from './znode-tree.js';

/** A fired watch as the client receives it. */
export interface WatchEvent {
  type: 'NodeCreated' | 'NodeDeleted' | 'NodeDataChanged' | 'NodeChildrenChanged';
  path: string;
}

/**
 * The watches set at one server (ZooKeeper keeps them where the client is connected). A watch
 * fires once, on the first change after it was set, and is gone; its event waits in the session's
 * queue and goes out ahead of the session's next answer, so a client learns of a change before any
 * result that reflects it.
 */
export class WatchTable {
  private readonly data = new Map<string, Set<number>>();
  private readonly child = new Map<string, Set<number>>();
  private readonly queued = new Map<number, WatchEvent[]>();

  /** getData and exists set data watches (exists on a missing node too, to learn of its creation). */
  watchData(path: string, session: number): void {
    add(this.data, path, session);
  }

  watchChildren(path: string, session: number): void {
    add(this.child, path, session);
  }

  onChanges(changes: readonly TreeChange[]): void {
    for (const c of changes) {
      if (c.kind === 'children') this.fire(this.child, c.path, 'NodeChildrenChanged');
      else if (c.kind === 'deleted') {
        this.fire(this.data, c.path, 'NodeDeleted');
        this.fire(this.child, c.path, 'NodeDeleted');
      } else this.fire(this.data, c.path, c.kind === 'created' ? 'NodeCreated' : 'NodeDataChanged');
    }
  }

  /** The session's fired events, oldest first, handed over once. */
  take(session: number): WatchEvent[] {
    const events = this.queued.get(session);
    if (events === undefined) return [];
    this.queued.delete(session);
    return events;
  }

  /** A session connects (again) here: what it left here before is gone (it sets its watches anew). */
  dropSession(session: number): void {
    for (const table of [this.data, this.child]) {
      for (const [path, sessions] of table) if (sessions.delete(session) && sessions.size === 0) table.delete(path);
    }
    this.queued.delete(session);
  }

  clear(): void {
    this.data.clear();
    this.child.clear();
  }

  private fire(table: Map<string, Set<number>>, path: string, type: WatchEvent['type']): void {
    const sessions = table.get(path);
    if (sessions === undefined) return;
    table.delete(path); // One-shot.
    for (const s of sessions) {
      const q = this.queued.get(s) ?? [];
      q.push({ type, path });
      this.queued.set(s, q);
    }
  }
}

function add(table: Map<string, Set<number>>, path: string, session: number): void {
  const set = table.get(path) ?? new Set<number>();
  set.add(session);
  table.set(path, set);
}
