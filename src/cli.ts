#!/usr/bin/env node
/** The `tensorfuse` command line. */
import { readFileSync } from 'node:fs';
import { TensorError } from './errors.js';
import { bench, benchAvailable } from './cli/bench.js';
import { cacheCommand } from './cli/cache.js';
import { demo } from './cli/demo.js';
import { doctor } from './cli/doctor.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

// The benchmark suite is not part of the published package (it needs the dev dependencies), so an
// installed tensorfuse does not offer a command it cannot run.
const BENCH = benchAvailable()
  ? `  bench [--quick] [--only E2,M1] [--json FILE] [--chart FILE.svg] [--write-results]
                            the benchmark suite of this checkout (bench --help for all options)
`
  : '';

const HELP = `tensorfuse ${pkg.version}: lazy tensor math for Node.js, fused into generated C

usage: tensorfuse <command> [options]

commands:
  demo                      build a fused expression, show its C, time fused vs unfused (npm start)
  repl                      interactive prompt with every export in scope (.c, .explain, .time)
  doctor                    check the compiler, OpenMP, libmvec and the cache; run a smoke kernel
${BENCH}  cache info                where the kernel cache is and how big
  cache clear               delete every cached library
  cache prune --max-mb N    keep the most recently used libraries within N MB
  --version                 print the version
  --help                    this text

environment: CC, TENSORFUSE_CACHE_DIR, TENSORFUSE_CFLAGS, TENSORFUSE_THREADS, TENSORFUSE_BACKEND,
TENSORFUSE_DEBUG (1-4), TENSORFUSE_PROFILE — see the README.
`;

async function main(args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    case '--version':
    case '-v':
      console.log(pkg.version);
      return 0;
    case 'demo':
      demo();
      return 0;
    case 'doctor':
      return doctor();
    case 'cache':
      return cacheCommand(rest);
    case 'bench':
      return bench(rest);
    case 'repl': {
      const { startRepl } = await import('./cli/repl.js');
      return startRepl();
    }
    default:
      process.stderr.write(`tensorfuse: unknown command ${JSON.stringify(cmd)}\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(e instanceof TensorError ? `tensorfuse: ${e.name}: ${e.message}\n` : `tensorfuse: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
