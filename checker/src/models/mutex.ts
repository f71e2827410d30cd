import { inconsistent, type Model } from './model.js';

/** A lock: `acquire` when free, `release` when held (Knossos's mutex). */
export function mutexModel(): Model<boolean> {
  return {
    name: 'mutex',
    init: () => false,
    step(held, op) {
      if (op.status === 'fail') return held;
      if (op.f === 'acquire') return held ? inconsistent('acquired a lock that is already held') : true;
      return held ? false : inconsistent('released a lock that is not held');
    },
    equal: (a, b) => a === b,
    hash: (s) => (s ? 1 : 0),
    validate: (op) => (op.f === 'acquire' || op.f === 'release' ? undefined : `f ${JSON.stringify(op.f)} is not acquire or release`),
    describeOperation: (op) => op.f,
    describeState: (s) => (s ? 'held' : 'free'),
  };
}
