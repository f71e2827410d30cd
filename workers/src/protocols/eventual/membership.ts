/**
 * A gossip-style failure detector (Dynamo §4.8, much simplified): every node pings every other
 * one each `pingMs`; any message from a peer counts as hearing it, and a peer silent for
 * `suspectMs` is believed down. Beliefs are local and may be wrong both ways — a peer that went
 * silent a moment ago is still believed up, a slow one may be suspected — so nothing relies on
 * them for safety, only for choosing whom to ask (sloppy quorums, forwarding, handoff).
 */
export class Membership {
  private readonly lastHeardMs: Float64Array;

  constructor(private readonly self: number, nodes: number, nowMs: number, private readonly suspectMs: number) {
    // A (re)started node believes everyone up until it has reason not to.
    this.lastHeardMs = new Float64Array(nodes).fill(nowMs);
  }

  heard(node: number, nowMs: number): void {
    if (nowMs > this.lastHeardMs[node]!) this.lastHeardMs[node] = nowMs;
  }

  /** Believed up: this node itself, or heard from within `suspectMs`. */
  up(node: number, nowMs: number): boolean {
    return node === this.self || nowMs - this.lastHeardMs[node]! < this.suspectMs;
  }
}
