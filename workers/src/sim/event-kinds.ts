/**
 * The kinds of scheduler events. Messages and timers, the hot paths, are typed rows dispatched by
 * a switch; everything rarer (client pacing, timeouts, nemesis steps, phases) is a `hook`: an
 * object with `onEvent(code, arg)`, so no event ever carries a closure.
 */
export const EVENT = {
  /** node = receiver, a = sender, ref = payload. */
  deliver: 1,
  /** node, a = timer id, b = timer generation. */
  timer: 2,
  /** A client request reaches a node: node, a = request id, ref = ClientRequest. */
  clientArrive: 3,
  /** A node's reply reaches its client: a = request id, node = replying node, ref = ClientReply. */
  clientReply: 4,
  /** a = code, b = argument, ref = EventHook. */
  hook: 5,
} as const;

/** A receiver of `hook` events. */
export interface EventHook {
  onEvent(code: number, arg: number): void;
}
