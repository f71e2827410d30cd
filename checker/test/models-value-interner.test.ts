import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValueInterner } from '../src/models/value-interner.js';

// Appends are kept as (base, suffix) with rolling hashes, never built: equal strings must still
// share one id (the kv model compares states by id), whichever way they were made.
describe('value interner', () => {
  it('gives equal values one id and different values different ids, however they were made', () => {
    const piece = fc.constantFrom('', 'a', 'b', 'ab', 'ba', 'x 1 y', '\u0000', 'é');
    const step = fc.oneof(
      fc.record({ kind: fc.constant('id' as const), value: fc.oneof(fc.array(piece, { maxLength: 4 }).map((p) => p.join('')), fc.constantFrom<unknown>(null, 0, 1, 'null')) }),
      fc.record({ kind: fc.constant('append' as const), from: fc.nat(), suffix: piece }),
      fc.record({ kind: fc.constant('show' as const), from: fc.nat() }),
    );
    fc.assert(
      // Built strings only, lazy ones only, and the turn from one to the other.
      fc.property(fc.array(step, { maxLength: 40 }), fc.constantFrom(0, 3, 10, Infinity), (steps, lazyAfter) => {
        const interner = new ValueInterner(lazyAfter);
        const made: { id: number; value: unknown }[] = [{ id: interner.id(null), value: null }];
        for (const s of steps) {
          if (s.kind === 'id') made.push({ id: interner.id(s.value), value: s.value });
          else if (s.kind === 'append') {
            const base = made[s.from % made.length]!;
            made.push({ id: interner.append(base.id, s.suffix), value: String(base.value ?? '') + s.suffix });
          } else {
            const m = made[s.from % made.length]!;
            expect(interner.value(m.id)).toBe(m.value);
          }
        }
        for (const a of made) {
          expect(interner.value(a.id)).toBe(a.value);
          expect(interner.lookup(a.value)).toBe(a.id);
          for (const b of made) expect(a.id === b.id).toBe(Object.is(a.value, b.value));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds a long appended string by its text without building it first', () => {
    const interner = new ValueInterner(0);
    let id = interner.id('');
    let text = '';
    for (let i = 0; i < 2_000; i++) {
      id = interner.append(id, `x ${i} y`);
      text += `x ${i} y`;
    }
    expect(interner.lookup(text)).toBe(id);
    expect(interner.lookup(`${text}!`)).toBe(-1);
    expect(interner.id(text)).toBe(id);
  });
});
