/**
 * The package as a user installs it: `npm pack`'s tarball installed into a fresh consumer project
 * (`npm ci --offline` from the npm cache that this checkout's `npm ci` filled, so no network: the
 * consumer's lockfile is ours, for the runtime dependencies, plus the tarball), then used as ESM, as CommonJS, from
 * its command line and from strict TypeScript (test/types/ compiled against the installed .d.ts with
 * target ES2020 and skipLibCheck off, as a consumer's project may be set up).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDist, ROOT, tempDir } from './child.js';

let dir = '';
let app = '';
let files: string[] = [];
let install: ReturnType<typeof spawnSync>;

/** Runs node in the consumer project, with a private kernel cache. */
const node = (args: string[]) =>
  spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TENSORFUSE_CACHE_DIR: join(dir, 'cache') } });

beforeAll(async () => {
  await ensureDist();
  dir = tempDir('pack');
  // dist/ is fresh (ensureDist), so the tarball is packed without running prepack's tsc again.
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })) as { filename: string; integrity: string; files: { path: string }[] }[];
  files = packed!.files.map((f) => f.path);
  app = join(dir, 'app');
  mkdirSync(app);
  const tarball = `file:../${packed!.filename}`;
  // npm 11 lists dependencies whose install scripts the project has not reviewed; koffi (our FFI) has
  // one, approved as the README says (`npm approve-scripts koffi`). tensorfuse itself must have none.
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { tensorfuse: tarball }, allowScripts: { koffi: true } }));
  // The lockfile npm install would write, from ours: tensorfuse from the tarball, its runtime
  // dependencies as we locked them (so every tarball is in the cache and no registry metadata is needed).
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const runtime = Object.fromEntries(Object.entries(lock.packages).filter(([k, v]) => k.startsWith('node_modules/') && !v.dev));
  const self = { version: pkg.version, resolved: tarball, integrity: packed!.integrity, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines };
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify({
    name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true,
    packages: { '': { name: 'consumer', version: '1.0.0', dependencies: { tensorfuse: tarball } }, 'node_modules/tensorfuse': self, ...runtime },
  }));
  install = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
}, 180_000);

afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('the npm package', () => {
  it('ships the license, changelog, README, dist and the CommonJS entry, and no bench or tests', () => {
    for (const f of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json', 'cjs/index.cjs', 'dist/index.js', 'dist/index.d.ts', 'dist/cli.js']) expect(files).toContain(f);
    expect(files.filter((f) => /^(bench|test|examples)\//.test(f))).toEqual([]);
  });

  it('runs no script of its own when installed (the build is prepack, not prepare)', () => {
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', 'tensorfuse', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(Object.keys(installed.scripts).filter((k) => /^(pre|post)?install$|^prepare$/.test(k))).toEqual([]);
    expect(installed.scripts.prepack).toBe('tsc -p tsconfig.json');
  });

  it('installs into a fresh project offline, without warnings', () => {
    expect(install.status, `${install.stdout}${install.stderr}`).toBe(0);
    expect(String(install.stderr)).not.toMatch(/warn/i);
  });

  it('imports as ESM and computes', () => {
    writeFileSync(join(app, 'esm.mjs'), "import { tensor, arange } from 'tensorfuse';\nconsole.log(JSON.stringify(tensor([1, 2, 3]).mul(2).toArray()), String(arange(3).eval()));\n");
    const r = node(['esm.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('[2,4,6] tensor([0, 1, 2], dtype=int32, shape=[3])\n');
  });

  it("require('tensorfuse') is the same module as import, and tensorfuse/package.json resolves", () => {
    writeFileSync(join(app, 'cjs.cjs'), [
      "const tf = require('tensorfuse');",
      "import('tensorfuse').then((esm) => console.log(JSON.stringify([esm.Tensor === tf.Tensor, tf.tensor([1, 2]).add(1).toArray(), require('tensorfuse/package.json').version])));",
      '',
    ].join('\n'));
    const r = node(['cjs.cjs']);
    expect(r.stderr).toBe('');
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(JSON.parse(r.stdout)).toEqual([true, [2, 3], version]);
  });

  it('require() where Node cannot require an ES module fails with a sentence saying what works', () => {
    // --no-experimental-require-module makes this Node behave as Node < 20.19 does.
    const r = node(['--no-experimental-require-module', '-e', "require('tensorfuse')"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("require('tensorfuse'): tensorfuse is an ES module, and this Node");
    expect(r.stderr).toContain("use Node 20.19+ or 22.12+ (where require() of an ES module works), or load it with `const tf = await import('tensorfuse')`");
  });

  it('its command line offers no bench (not shipped) and cites no document the user lacks', () => {
    const cli = join(app, 'node_modules', 'tensorfuse', 'dist', 'cli.js');
    const help = node([cli, '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('doctor');
    expect(help.stdout).not.toMatch(/bench|SPEC/);
    const bench = node([cli, 'bench', '--quick']);
    expect(bench.status).toBe(2);
    expect(bench.stderr).toBe('tensorfuse bench: the benchmark suite is not part of the installed package; it runs from a source checkout of tensorfuse (clone the repository, npm install, npm run bench)\n');
  });

  it('test/types/ type-checks against the installed package: strict, noUncheckedIndexedAccess, ES2020, skipLibCheck off', () => {
    const types = join(app, 'types');
    mkdirSync(types);
    for (const f of readdirSync(join(ROOT, 'test', 'types')).filter((f) => f.endsWith('.ts'))) cpSync(join(ROOT, 'test', 'types', f), join(types, f));
    writeFileSync(join(types, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noUncheckedIndexedAccess: true, target: 'ES2020', lib: ['ES2020'], module: 'NodeNext', moduleResolution: 'NodeNext',
        skipLibCheck: false, noEmit: true, types: ['node'],
      },
      include: ['*.ts'],
    }));
    // The consumer's own dev tools: this checkout's TypeScript and Node types (linked, not downloaded).
    mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', 'typescript'), join(app, 'node_modules', 'typescript'));
    symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(app, 'node_modules', '@types', 'node'));
    const r = node([join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', types]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
