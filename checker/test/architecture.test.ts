import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) {
      if (name !== 'generated') out.push(...sources(path));
    } else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]!);
}

describe('architecture', () => {
  it('has no import cycles in any package (type-only imports aside)', async () => {
    for (const dir of ['checker/src', 'workers/src', 'api/src']) {
      const graph = await madge(join(ROOT, dir), {
        fileExtensions: ['ts'],
        tsConfig: join(ROOT, 'tsconfig.base.json'),
        detectiveOptions: { ts: { skipTypeImports: true } },
        excludeRegExp: [/generated/],
      });
      expect(graph.circular(), dir).toEqual([]);
    }
  });

  it('points dependencies one way: checker ← workers ← api', () => {
    for (const file of sources('checker/src')) {
      for (const spec of importsOf(file)) {
        expect(spec, file).not.toMatch(/^@verdict\/(workers|api)/);
        if (spec.startsWith('.')) expect(relative(ROOT, join(ROOT, file, '..', spec)), file).toMatch(/^checker\/src\//);
      }
    }
    for (const file of sources('workers/src')) {
      for (const spec of importsOf(file)) expect(spec, file).not.toMatch(/^@verdict\/api/);
    }
  });

  it('keeps the simulator core free of protocols, and protocols free of the simulator', () => {
    for (const file of sources('workers/src/sim')) {
      for (const spec of importsOf(file).filter((s) => s.includes('protocols/'))) {
        // Only the contract a protocol exports, never a protocol.
        expect(spec, file).toMatch(/protocols\/protocol\.js$/);
      }
    }
    for (const file of sources('workers/src/protocols')) {
      for (const spec of importsOf(file).filter((s) => s.includes('/sim/'))) expect(spec, file).toMatch(/sim\/node-context\.js$/);
    }
  });

  it('uses no wall clock, global randomness or real timers in the simulator and the protocols', () => {
    for (const file of [...sources('workers/src/sim'), ...sources('workers/src/protocols')]) {
      const code = readFileSync(join(ROOT, file), 'utf8').split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l)).join('\n');
      expect(code, file).not.toMatch(/Math\.random|Date\.now|new Date\(|performance\.now|setTimeout|setInterval/);
    }
  });
});
