// src/ has no import cycle at run time (issue 13 item 6: create.ts -> tensor.ts -> matrix.ts -> create.ts
// was one). A cycle makes what a module sees at load time depend on which file was imported first.
// What counts: every static `import ... from`, `export ... from` and side-effect `import './x.js'` (the
// way numeric.ts, scans.ts, ... install their Tensor methods: the import a fix is most tempted to add
// to tensor.ts). What does not: `import type` / `export type` and named lists whose every name is
// `type X`, which TypeScript erases, so they may go both ways (src/ has such type-level circles, e.g.
// tensor.ts <-> realize.ts); and `await import()`, which runs after every module has loaded (cli.ts ->
// cli/repl.ts). An import whose names happen to be used only as types is also erased by tsc, but it is
// counted here: write it as `import type`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => resolve(root, 'src', f));

/** The relative specifiers `text` imports at load time (see the file comment for what counts). */
function loadTimeImports(text: string): string[] {
  const out: string[] = [];
  const statement = /^[ \t]*(?:import|export)\s+(?:(type)\s+)?(?:([^'";]*?)\s*from\s*)?['"](\.[^'"]+)['"]/gm;
  for (const [, typeOnly, clause, spec] of text.matchAll(statement)) {
    if (typeOnly) continue;
    const named = clause?.match(/^\{([^}]*)\}$/);
    const names = named?.[1].split(',').map((s) => s.trim()).filter(Boolean);
    if (names && names.length > 0 && names.every((n) => /^type\s/.test(n))) continue;
    out.push(spec);
  }
  return out;
}

function imports(file: string): string[] {
  return loadTimeImports(readFileSync(file, 'utf8')).map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
}

/** One cycle as a path `a -> b -> ... -> a`, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (f: string): string[] | undefined => {
    if (state.get(f) === 'done') return undefined;
    if (state.get(f) === 'open') return [...path.slice(path.indexOf(f)), f];
    state.set(f, 'open');
    path.push(f);
    for (const g of graph.get(f) ?? []) {
      const cycle = visit(g);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(f, 'done');
    return undefined;
  };
  for (const f of graph.keys()) {
    const cycle = visit(f);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the import scan', () => {
  it('sees every load-time form and skips the erased ones', () => {
    const text = [
      "import { a } from './a.js';",
      "import b, { type B } from './b.js';",
      'import {\n  c,\n  d,\n} from "./c.js";',
      "import './side-effect.js'; // installs methods",
      "export * from './star.js';",
      "export { e } from './e.js';",
      "import * as ns from './ns.js';",
      "import type { T } from './type-only.js';",
      "export type { U } from './type-export.js';",
      "import { type V, type W } from './all-type-names.js';",
      "import { readFileSync } from 'node:fs';",
      "const lazy = await import('./dynamic.js');",
      "// import { x } from './comment.js' is not at the start of a line",
    ].join('\n');
    expect(loadTimeImports(text)).toEqual(['./a.js', './b.js', './c.js', './side-effect.js', './star.js', './e.js', './ns.js']);
  });

  it('finds a cycle, and none in a DAG', () => {
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toBeUndefined();
  });
});

describe('src/ imports', () => {
  const graph = new Map(files.map((f) => [f, imports(f)]));

  it('are read (the scan sees the imports it should)', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(graph.get(resolve(root, 'src/create.ts'))).toContain(resolve(root, 'src/tensor.ts'));
    expect(graph.get(resolve(root, 'src/index.ts'))).toContain(resolve(root, 'src/numeric.ts')); // a side-effect import
    for (const [f, deps] of graph) for (const d of deps) expect(files, `${relative(root, f)} imports ${relative(root, d)}`).toContain(d);
  });

  it('form no cycle', () => {
    const cycle = findCycle(graph);
    expect(cycle?.map((f) => relative(root, f)).join(' -> ')).toBeUndefined();
  });
});
