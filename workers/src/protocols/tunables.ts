/**
 * A protocol's tunables: its defaults, overridden by a run's `params` where it names them. An
 * unknown name or a value that is not a finite number ≥ 0 throws, naming the protocol and the
 * known names, so a typo is refused instead of silently running the defaults.
 */
export function tunables<T extends Record<keyof T, number>>(protocol: string, defaults: Readonly<T>, overrides: Readonly<Record<string, number>> = {}): T {
  const out = { ...defaults };
  for (const [name, value] of Object.entries(overrides)) {
    if (!Object.prototype.hasOwnProperty.call(defaults, name)) {
      throw new Error(`${protocol}: unknown param ${JSON.stringify(name)} (known: ${Object.keys(defaults).join(', ')})`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`${protocol}: param ${name} must be a finite number ≥ 0, got ${String(value)}`);
    }
    (out as Record<string, number>)[name] = value;
  }
  return out;
}
