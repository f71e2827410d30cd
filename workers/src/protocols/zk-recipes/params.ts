import { tunables } from '../tunables.js';

/**
 * Tunables of the recipe clients, in milliseconds of their node's clock. The ZooKeeper servers
 * underneath keep their own defaults (see ../zab/params.ts).
 */
export interface RecipeParams {
  /** Timeout of the sessions the lock clients open: the leader expires a session not heard from for this long, deleting its lock node. */
  sessionTimeoutMs: number;
  /** Period of a waiting or holding client's ping: its keep-alive, and how it collects fired watch events. */
  pollMs: number;
  /** A waiter re-reads the lock's children this often even without a watch event (a server that resynced dropped its watches). */
  recheckMs: number;
  /** An acquire that has not got the lock after this long gives up: it deletes its node and fails (below the clients' timeout). */
  acquireWaitMs: number;
  /**
   * A holder's session proof (a check of its own node through the leader) counts only if its round
   * trip took at most this long: the session then lives at least sessionTimeoutMs − this after the
   * answer, which bounds how long a holder may act on it.
   */
  confirmRoundTripMaxMs: number;
  /** Participants per round of the double barrier (the default run has 5 client processes). */
  barrierSize: number;
  /** A counter add gives up (fails, having changed nothing) after this many lost version races. */
  counterRetriesMax: number;
}

export const DEFAULT_RECIPE_PARAMS: Readonly<RecipeParams> = {
  sessionTimeoutMs: 1_500,
  pollMs: 50,
  recheckMs: 400,
  acquireWaitMs: 3_000,
  confirmRoundTripMaxMs: 400,
  counterRetriesMax: 50,
  barrierSize: 5,
};

export function recipeParams(protocol: string, overrides: Readonly<Record<string, number>> = {}): RecipeParams {
  const params = tunables(protocol, DEFAULT_RECIPE_PARAMS, overrides);
  for (const name of ['sessionTimeoutMs', 'pollMs', 'recheckMs', 'acquireWaitMs', 'counterRetriesMax', 'barrierSize'] as const) {
    if (params[name] < 1) throw new Error(`${protocol}: param ${name} must be ≥ 1, got ${params[name]}`);
  }
  if (params.confirmRoundTripMaxMs >= params.sessionTimeoutMs) {
    throw new Error(`${protocol}: param confirmRoundTripMaxMs (${params.confirmRoundTripMaxMs}) must be below sessionTimeoutMs (${params.sessionTimeoutMs})`);
  }
  return params;
}
