import type { ClusterLayout, ClusterOptions, NodeOptions, ProtocolDefinition, ScenarioSpec } from '../protocol.js';
import type { NodeFactory, NodeId } from '../../sim/node-context.js';
import { zabParams } from '../zab/params.js';
import { CounterClient } from './counter-client.js';
import { LATCH_PATH, LockClient, type LockStats } from './lock-client.js';
import { DEFAULT_RECIPE_PARAMS, recipeParams } from './params.js';
import { RecipeHost, type RecipeClientFactory } from './recipe-host.js';
import { BarrierClient } from './barrier-client.js';
import { CounterWorkload, PairedWorkload } from '../../workloads/recipe-workloads.js';

export { LATCH_PATH, LOCK_PATH, type LockStats } from './lock-client.js';
export { COUNTER_PATH } from './counter-client.js';
export { DEFAULT_RECIPE_PARAMS, type RecipeParams } from './params.js';

const VOTERS = 5;
const OBSERVERS = 1;

/**
 * Run defaults of the recipes: an application holds the lock for a short critical section (the
 * think time, mean 50 ms, far inside the 1.5 s session), and a client waits up to 3 s for the lock
 * (acquireWaitMs), within its 5 s timeout.
 */
const RECIPE_DEFAULTS: ScenarioSpec = { timeoutMs: 5_000, thinkMsMean: 50 };

/** Run params split between the recipe clients (names in DEFAULT_RECIPE_PARAMS) and the ZooKeeper servers (the rest). */
function splitParams(params: Readonly<Record<string, number>> = {}): { recipe: Record<string, number>; zab: Record<string, number> } {
  const recipe: Record<string, number> = {};
  const zab: Record<string, number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (Object.prototype.hasOwnProperty.call(DEFAULT_RECIPE_PARAMS, name)) recipe[name] = value;
    else zab[name] = value;
  }
  return { recipe, zab };
}

function ensemble(options: ClusterOptions): ClusterLayout {
  const count = options.nodes ?? VOTERS + OBSERVERS;
  const observers = count >= 4 ? OBSERVERS : 0;
  const nodes: NodeId[] = [];
  for (let i = 1; i <= count; i++) nodes.push(`n${i}`);
  return { nodes, roles: Object.fromEntries(nodes.map((n, i) => [n, i >= count - observers ? 'observer' : 'follower'])) };
}

function checkBug(protocol: string, known: readonly string[], bug: string | undefined): void {
  if (bug !== undefined && !known.includes(bug)) throw new Error(`${protocol}: unknown bug ${JSON.stringify(bug)} (known: ${known.join(', ')})`);
}

type ClientsFor = (options: NodeOptions, recipe: Record<string, number>) => RecipeClientFactory;

function recipeProtocol(base: Omit<ProtocolDefinition, 'cluster' | 'node' | 'entryNodes' | 'checkParams' | 'defaults'>, clientsFor: ClientsFor): ProtocolDefinition {
  const known = base.bugs.map((b) => b.name);
  return {
    ...base,
    defaults: RECIPE_DEFAULTS,
    cluster: ensemble,
    checkParams(params) {
      const { recipe, zab } = splitParams(params);
      recipeParams(base.name, recipe);
      zabParams(zab);
    },
    node(_id: NodeId, options: NodeOptions): NodeFactory {
      checkBug(base.name, known, options.bug);
      const { recipe, zab } = splitParams(options.params);
      const clients = clientsFor(options, recipe);
      const observers = options.layout.nodes.filter((n) => options.layout.roles[n] === 'observer');
      return (ctx) => new RecipeHost(ctx, zab, observers, clients);
    },
    entryNodes: (layout) => layout.nodes,
  };
}

/**
 * The lock recipe on the simulated ensemble. `stats`, when given, counts the clients' requests and
 * watch events (the herd-effect bench); the clients never read it.
 */
export function zkLockProtocolWith(stats?: LockStats): ProtocolDefinition {
  return recipeProtocol({
    name: 'zk-lock',
    description: 'Curator-style lock on ZooKeeper (ZAB): ephemeral-sequential children of /lock, the lowest holds, each waiter watches its predecessor; a holder proves its session at the leader before it acts; checked as a mutex (never two holders), across session expiry and leader failover',
    bugs: [
      {
        name: 'lock-no-session-check',
        description: 'The client never checks its session: a waiter whose session expired (its server cut off past the session timeout) finds its node gone and no lower one, and takes that for the lock, while the next waiter holds it: two holders. Found within 3 seeds of 400 ops under partition-halves.',
        showsUnder: ['partition-halves', 'isolate-leader'],
      },
      {
        name: 'lock-watch-parent',
        description: 'Every waiter watches the children of /lock instead of its predecessor: each release wakes every waiter, which all re-read the children (the herd effect). Slow, not wrong: the mutex check passes; the bench counts the extra watch events and reads.',
        showsUnder: [],
      },
    ],
    workload: 'kv',
    model: { name: 'mutex' },
    opSource: ({ ops }) => new PairedWorkload(ops, 'acquire', 'release'),
  }, (options, recipe) => {
    const params = recipeParams('zk-lock', recipe);
    const bugs = { noSessionCheck: options.bug === 'lock-no-session-check', watchParent: options.bug === 'lock-watch-parent' };
    return (session) => new LockClient(session, params, bugs, stats);
  });
}

export const zkLockProtocol: ProtocolDefinition = zkLockProtocolWith();

/**
 * Curator's LeaderLatch on the simulated ensemble: the same election as the lock, under /latch.
 * `acquire` waits for leadership (await), `release` closes the latch; checked as a mutex: at most
 * one leader at a time, with the same session proof before a participant acts as leader.
 */
export const zkLatchProtocol: ProtocolDefinition = recipeProtocol({
  name: 'zk-latch',
  description: 'Curator-style leader latch on ZooKeeper (ZAB): ephemeral-sequential children of /latch, the lowest leads, each participant watches its predecessor; acquire awaits leadership, release closes the latch; checked as a mutex (at most one leader at a time), across session expiry and leader failover',
  bugs: [],
  workload: 'kv',
  model: { name: 'mutex' },
  opSource: ({ ops }) => new PairedWorkload(ops, 'acquire', 'release'),
}, (_options, recipe) => {
  const params = recipeParams('zk-latch', recipe);
  return (session) => new LockClient(session, params, { noSessionCheck: false, watchParent: false }, undefined, LATCH_PATH);
});

/** The counter recipe on the simulated ensemble: versioned setData in a retry loop, checked with the counter model. */
export const zkCounterProtocol: ProtocolDefinition = recipeProtocol({
  name: 'zk-counter',
  description: 'Curator-style distributed counter on ZooKeeper (ZAB): getData, then setData at the version read, again on BadVersion; reads sync first; checked with the counter model (no lost or doubled increments)',
  bugs: [
    {
      name: 'counter-blind-set',
      description: 'setData with version −1: two concurrent adds that read the same value both write value + 1, and one increment is lost. Found on the first seed with no faults.',
      showsUnder: ['none'],
    },
  ],
  workload: 'kv',
  model: { name: 'counter', init: 0 },
  opSource: ({ ops, seed }) => new CounterWorkload(ops, seed),
}, (options, recipe) => {
  const params = recipeParams('zk-counter', recipe);
  const blindSet = options.bug === 'counter-blind-set';
  return (session) => new CounterClient(session, params, blindSet);
});

/**
 * The double barrier on the simulated ensemble, round after round, judged by the checker's barrier
 * invariant: no enter passes, and nobody leaves, before all barrierSize participants of the round
 * entered.
 */
export const zkBarrierProtocol: ProtocolDefinition = {
  ...recipeProtocol({
    name: 'zk-barrier',
    description: 'Curator-style double barrier on ZooKeeper (ZAB), reused round after round (5 participants per round, barrierSize): enter waits until every participant of its round has entered, leave until all have left; judged by the barrier invariant (nobody leaves before all entered)',
    bugs: [
      {
        name: 'barrier-count-self-out',
        description: 'A participant counts one short: the barrier opens once barrierSize − 1 participants are in, before the last one entered. Found on the first seed with no faults.',
        showsUnder: ['none'],
      },
    ],
    workload: 'kv',
    model: { name: 'barrier', init: DEFAULT_RECIPE_PARAMS.barrierSize },
    opSource: ({ ops }) => new PairedWorkload(ops, 'enter', 'leave'),
  }, (options, recipe) => {
    const params = recipeParams('zk-barrier', recipe);
    const countShort = options.bug === 'barrier-count-self-out';
    return (session) => new BarrierClient(session, params, countShort);
  }),
  configure(run) {
    // The invariant judges rounds of the size the clients use.
    const size = recipeParams('zk-barrier', splitParams(run.params).recipe).barrierSize;
    return { ...zkBarrierProtocol, model: { name: 'barrier', init: size } };
  },
};
