// Issue 15: the README's "API at a glance" table lists every exported function and public Tensor method.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '../src/index.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## API at a glance'), readme.indexOf('\n## ', readme.indexOf('## API at a glance') + 5));
/** The names in the first column of the table's rows. */
const listed = new Set(section.split('\n').filter((l) => l.startsWith('| `')).flatMap((l) => [...l.split('|')[1].matchAll(/`([A-Za-z_][\w]*)`/g)].map((m) => m[1])));

/** Tensor members that are not API (marked @internal, left out of the .d.ts). */
const INTERNAL = ['constructor', 'node', 'release', 'storage', 'readThrough', 'assignThrough', 'castTo', 'elementwise'];

describe('README API table', () => {
  it('has rows', () => expect(listed.size).toBeGreaterThan(100));

  it('lists every exported function (errors and types aside)', () => {
    const exported = Object.keys(tf).filter((k) => typeof (tf as Record<string, unknown>)[k] === 'function' && !/Error$/.test(k) && k !== 'Tensor');
    expect(exported.filter((k) => !listed.has(k))).toEqual([]);
  });

  it('lists every public Tensor method and property', () => {
    const members = Object.getOwnPropertyNames(tf.Tensor.prototype).filter((m) => !INTERNAL.includes(m));
    expect(members.filter((m) => !listed.has(m))).toEqual([]);
  });

  it('lists nothing that does not exist', () => {
    const known = new Set([...Object.keys(tf), ...Object.getOwnPropertyNames(tf.Tensor.prototype)]);
    expect([...listed].filter((n) => !known.has(n))).toEqual([]);
  });
});
