/**
 * `?name` and `.help name` in the REPL: the JSDoc of a function or method, read from the .d.ts files
 * beside this module (dist/ holds them in a checkout and in the installed package alike), so the REPL
 * shows what an editor's hover shows, with no second copy of the documentation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Doc {
  /** The declaration line: `mul(other: Operand): Tensor;`. */
  signature: string;
  /** The comment's text, without its `*`s. */
  text: string;
  /** True for a member of a class or interface (a method), false for a top-level declaration. */
  member: boolean;
}

let docs: Map<string, Doc[]> | undefined;

/** A JSDoc block followed by the function, method or class it documents (group 4 is its name; fields and types are left out). */
const DECL = /\/\*\*([\s\S]*?)\*\/\s*\n(\s*)((?:export )?(?:declare )?(?:function |const |class )?(?:get )?([\w$]+)\s*(?:[<(]|: \(|\?\(|: <)[^\n]*)/g;

function load(): Map<string, Doc[]> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const out = new Map<string, Doc[]>();
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.d.ts'));
  for (const f of files.sort()) {
    const source = readFileSync(join(root, f), 'utf8');
    for (const m of source.matchAll(DECL)) {
      const [, comment, indent, signature, name] = m as unknown as [string, string, string, string, string];
      const text = comment.split('\n').map((l) => l.replace(/^\s*\* ?/, '').trimEnd()).join('\n').trim();
      const list = out.get(name) ?? [];
      list.push({ signature: signature.trim(), text, member: indent.length > 0 });
      out.set(name, list);
    }
  }
  return out;
}

/** The docs of `name` (`mul`, `Tensor.mul`, `x.mul`: the last part is looked up), methods first. */
export function docsOf(name: string): Doc[] {
  docs ??= load();
  const key = name.split('.').pop() ?? name;
  return [...(docs.get(key) ?? [])].sort((a, b) => Number(b.member) - Number(a.member));
}

/** What `?name` prints. */
export function helpText(name: string): string {
  const found = docsOf(name);
  if (found.length === 0) return `no documentation for ${name}: try a tensorfuse function or Tensor method, such as ?softmax or ?tensor`;
  return found.map((d) => `${d.member ? 'method ' : ''}${d.signature}\n${d.text.replace(/^/gm, '  ')}`).join('\n\n');
}
