import type { ClientOp } from '../../sim/client-driver.js';
import type { SimulationWorkload } from '../../sim/simulation-config.js';
import { SeededRng } from '../../sim/rng.js';

/** Ops of a recipe run; no keys and no final reads (the checks judge the client operations). */
abstract class RecipeWorkload implements SimulationWorkload {
  private issued = 0;
  constructor(private readonly ops: number) {}

  next(process = 0): ClientOp | undefined {
    if (this.issued >= this.ops) return undefined;
    this.issued++;
    return this.op(process);
  }

  keys(): unknown[] {
    return [];
  }

  finalReadOps(): ClientOp[] {
    return [];
  }

  protected abstract op(process: number): ClientOp;
}

/** Each process acquires, then releases, then acquires again (a process that got `info` starts over under its new id). */
export class LockWorkload extends RecipeWorkload {
  private readonly holding = new Set<number>();

  protected op(process: number): ClientOp {
    if (this.holding.delete(process)) return { f: 'release', value: null };
    this.holding.add(process);
    return { f: 'acquire', value: null };
  }
}

/** Adds of 1, with a read about one op in four. */
export class CounterWorkload extends RecipeWorkload {
  private readonly rng: SeededRng;
  constructor(ops: number, seed: number) {
    super(ops);
    this.rng = SeededRng.fromSeed(seed >>> 0);
  }

  protected op(): ClientOp {
    return this.rng.u32() % 4 === 0 ? { f: 'read', value: null } : { f: 'add', value: 1 };
  }
}
