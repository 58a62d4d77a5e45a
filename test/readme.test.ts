// Every ```ts block of the README runs as written (as an ES module importing the package by name).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
// Inside the package directory, so that `import 'tensorfuse'` resolves to this checkout.
const dir = join(root, 'test', '.readme');
mkdirSync(dir, { recursive: true });

describe('README examples', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThanOrEqual(5));
  it('every block is also in test/types/readme.ts, which npm test compiles as strict TypeScript', () => {
    const types = readFileSync(join(root, 'test', 'types', 'readme.ts'), 'utf8');
    expect([...types.matchAll(/^\/\/ README block (\d+)$/gm)].map((m) => Number(m[1]))).toEqual(blocks.map((_, i) => i + 1));
  });
  blocks.forEach((code, i) => {
    const first = code.split('\n').find((l) => l.trim() && !l.startsWith('import')) ?? '';
    it(`block ${i + 1} runs: ${first.slice(0, 60)}`, () => {
      const file = join(dir, `block${i + 1}.mjs`);
      writeFileSync(file, code);
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8', env: process.env, timeout: 120_000 });
      expect(out.length).toBeGreaterThan(0);
      // A block whose lines end in `//=> text` prints those texts, in order, one line each.
      const expected = code.split('\n').flatMap((l) => { const at = l.indexOf('//=> '); return at >= 0 ? [l.slice(at + 5).trim()] : []; });
      if (expected.length) expect(out.trimEnd().split('\n').map((l) => l.trim())).toEqual(expected);
    });
  });
});
