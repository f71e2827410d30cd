import type { NodeContext } from '../../sim/node-context.js';

/**
 * The node's own context for a ZAB server hosted inside another behaviour (the recipe host, the
 * guarantee host): everything goes straight to the node, except client replies, which the host
 * takes first.
 */
export function forwardingContext(ctx: NodeContext, reply: NodeContext['reply']): NodeContext {
  return {
    id: ctx.id,
    peers: ctx.peers,
    rng: ctx.rng,
    now: () => ctx.now(),
    send: (to, message) => ctx.send(to, message),
    setTimer: (delayMs, tag, data) => ctx.setTimer(delayMs, tag, data),
    cancelTimer: (id) => ctx.cancelTimer(id),
    persist: (key, value) => ctx.persist(key, value),
    load: (key) => ctx.load(key),
    durableLog: (name) => ctx.durableLog(name),
    reply,
    setRole: (role) => ctx.setRole(role),
    mark: (event, peer) => ctx.mark(event, peer),
    log: (message, fields) => ctx.log(message, fields),
  };
}
