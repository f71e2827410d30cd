import type { ClientOp } from '../sim/client-driver.js';
import type { SimulationWorkload } from './simulation-workload.js';
import { SeededRng } from '../sim/rng.js';

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

/**
 * Each process alternates two operations: acquire then release (a lock, a latch), enter then leave
 * (a barrier). A process that got `info` starts over under its new id.
 */
export class PairedWorkload extends RecipeWorkload {
  private readonly inside = new Set<number>();
  constructor(ops: number, private readonly first: string, private readonly second: string) {
    super(ops);
  }

  protected op(process: number): ClientOp {
    if (this.inside.delete(process)) return { f: this.second, value: null };
    this.inside.add(process);
    return { f: this.first, value: null };
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
