// src/ has no import cycle at run time (issue 13 item 6: create.ts -> tensor.ts -> matrix.ts -> create.ts
// was one). A cycle makes what a module sees at load time depend on which file was imported first.
// Type-only imports are erased, so they may go both ways.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => resolve(root, 'src', f));

/** The src/ files a file imports at load time (static `import`/`export ... from`, not `import type`). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm)) {
    if (!m[1]) out.push(resolve(dirname(file), m[2].replace(/\.js$/, '.ts')));
  }
  return out;
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

describe('src/ imports', () => {
  const graph = new Map(files.map((f) => [f, imports(f)]));

  it('are read (the scan sees the imports it should)', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(graph.get(resolve(root, 'src/create.ts'))).toContain(resolve(root, 'src/tensor.ts'));
    for (const [f, deps] of graph) for (const d of deps) expect(files, `${relative(root, f)} imports ${relative(root, d)}`).toContain(d);
  });

  it('form no cycle', () => {
    const cycle = findCycle(graph);
    expect(cycle?.map((f) => relative(root, f)).join(' -> ')).toBeUndefined();
  });
});
