import type { Op } from '../history/op.js';
import { showValue } from '../models/values.js';

/** A fault period: from the event that started it to the one that ended it (history positions). */
export interface FaultBand {
  from: number;
  to: number;
  label: string;
}

const STARTS = /^(start|kill|crash|partition|skew|pause|isolate|bump|strobe|corrupt)/;
const STOPS = /^(stop|heal|restart|resume|unskew|reset)/;

/**
 * The fault periods among nemesis events, paired first in, first out; a fault never stopped runs
 * to the end of the window. Only those that touch the window are kept.
 */
export function faultBands(events: readonly Op[], window: { from: number; to: number }): FaultBand[] {
  const bands: FaultBand[] = [];
  const open: Op[] = [];
  for (const e of events) {
    if (e.type === 'invoke') continue; // Jepsen logs a nemesis op twice; the completion says what happened
    if (STARTS.test(e.f)) open.push(e);
    else if (STOPS.test(e.f) && open.length > 0) {
      const start = open.shift()!;
      bands.push({ from: start.index, to: e.index, label: faultLabel(start) });
    }
  }
  for (const start of open) bands.push({ from: start.index, to: window.to + 1, label: faultLabel(start) });
  return bands.filter((b) => b.to >= window.from && b.from <= window.to);
}

/** The simulator describes each fault in words (`value.description`); other nemeses by their value. */
function faultLabel(e: Op): string {
  const v = e.value;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Record<string, unknown>).description === 'string') {
    return `${e.f}: ${String((v as Record<string, unknown>).description)}`;
  }
  return v === undefined || v === null ? e.f : `${e.f} ${showValue(v)}`;
}
