import { VerdictError } from '../errors.js';
import { bankModel } from './bank.js';
import { barrierModel } from './barrier.js';
import { counterModel } from './counter.js';
import { kvModel } from './kv.js';
import { kvSiblingsModel } from './kv-siblings.js';
import type { Model } from './model.js';
import { multiRegisterModel } from './multi-register.js';
import { mutexModel } from './mutex.js';
import { fifoQueueModel, unorderedQueueModel } from './queue.js';
import { registerModel } from './register.js';
import { setModel } from './set.js';
import { znodeModel } from './znode.js';

interface ModelEntry {
  description: string;
  create(init: unknown): Model<any>;
}

const MODELS: Record<string, ModelEntry> = {
  register: { description: 'read/write register (Knossos reading)', create: (init) => registerModel({ init, cas: false }) },
  'cas-register': { description: 'read/write/cas register; a failed op never happened (Knossos)', create: (init) => registerModel({ init, cas: true }) },
  'etcd-register': { description: "cas register with Porcupine's etcd reading: a failed cas observed another value", create: (init) => registerModel({ init, cas: true, reading: 'etcd' }) },
  'multi-register': { description: 'several registers read and written atomically by txn ops (Knossos)', create: (init) => multiRegisterModel(init ?? {}) },
  kv: { description: 'key-value store of independent registers with append, checked per key', create: (init) => kvModel({ init }) },
  'kv-unpartitioned': { description: 'key-value store checked as one state (for cross-checks)', create: (init) => kvModel({ init, partition: false }) },
  'kv-siblings': { description: 'key-value store whose reads return siblings [k, [v…]] (Dynamo, Riak); every key starts empty', create: (init) => kvSiblingsModel(init) },
  set: { description: 'grow-only set: add, read', create: (init) => setModel(init ?? []) },
  'unordered-queue': { description: 'queue without order: enqueue, dequeue', create: () => unorderedQueueModel() },
  'fifo-queue': { description: 'FIFO queue: enqueue, dequeue', create: () => fifoQueueModel() },
  mutex: { description: 'lock: acquire, release', create: () => mutexModel() },
  counter: { description: 'counter: add / increment, read', create: (init) => counterModel(init ?? 0) },
  znode: { description: "ZooKeeper's znodes: per path, getData (read), setData or create (write), setData with the version read (cas); ZooKeeper's linearizable writes checked besides", create: (init) => znodeModel(init) },
  barrier: { description: 'double barrier: enter, leave ({round} in the output); init the barrier size; judged by the barrier invariant', create: (init) => barrierModel(init ?? 2) },
  bank: { description: "Jepsen's bank: transfer {from, to, amount}, read of every balance; init the opening balances {account: balance}", create: (init) => bankModel(init) },
};

export const MODEL_NAMES: readonly string[] = Object.keys(MODELS);

export function describeModels(): { name: string; description: string }[] {
  return Object.entries(MODELS).map(([name, e]) => ({ name, description: e.description }));
}

/** Builds a model by name with an optional initial state (already parsed from JSON). */
export function createModel(name: string, init?: unknown): Model<any> {
  const entry = MODELS[name];
  if (entry === undefined) {
    throw new VerdictError('VRD_ERR_MODEL_UNKNOWN', `${JSON.stringify(name)} (known: ${MODEL_NAMES.join(', ')})`);
  }
  let model: Model<any>;
  try {
    model = entry.create(init);
  } catch (e) {
    throw new VerdictError('VRD_ERR_MODEL_INIT', `${name}: ${(e as Error).message}`);
  }
  return { ...model, spec: init === undefined ? { name } : { name, init } };
}
