import type { RunSpec } from '@verdict/workers';
import { UsageError } from './command.js';

/** `verdict run` flags for the network's and the clocks' faults (parseArgs option specs). */
export const FAULT_FLAG_OPTIONS = {
  loss: { type: 'string' },
  duplicate: { type: 'string' },
  'clock-drift-ppm': { type: 'string' },
} as const;

export const FAULT_FLAGS_USAGE = `  --loss P           probability that the network drops a message (0..1, default 0)
  --duplicate P      probability that it delivers a message twice (0..1, default 0)
  --clock-drift-ppm N  bound on clock drift, parts per million, that clock-skew faults reach
                     (default 100000; Paxos sizes its lease margin from it)`;

/** The spec fields of `--loss`, `--duplicate` and `--clock-drift-ppm`. */
export function readFaultFlags(v: Partial<Record<keyof typeof FAULT_FLAG_OPTIONS, string>>, spec: RunSpec): void {
  const probability = (flag: string, text: string): number => {
    const p = /^(0|1|0?\.\d+|1\.0*)$/.test(text) ? Number(text) : NaN;
    if (!(p >= 0 && p <= 1)) throw new UsageError(`--${flag}: expected a probability between 0 and 1, got ${JSON.stringify(text)}`);
    return p;
  };
  if (v.loss !== undefined || v.duplicate !== undefined) {
    spec.network = {
      ...spec.network,
      ...(v.loss !== undefined ? { lossProbability: probability('loss', v.loss) } : {}),
      ...(v.duplicate !== undefined ? { duplicateProbability: probability('duplicate', v.duplicate) } : {}),
    };
  }
  const drift = v['clock-drift-ppm'];
  if (drift !== undefined) {
    const n = /^\d+$/.test(drift) ? Number(drift) : NaN;
    if (!Number.isSafeInteger(n)) throw new UsageError(`--clock-drift-ppm: expected an integer ≥ 0, got ${JSON.stringify(drift)}`);
    spec.clockDriftPpmMax = n;
  }
}
