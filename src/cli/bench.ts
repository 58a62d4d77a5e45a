/**
 * `tensorfuse bench [options]`: the benchmark suite. The suite itself is plain ESM in bench/suite.mjs
 * (npm run bench runs the same file); it lives in the source checkout, not in the published package,
 * because it needs dev dependencies: Benchmark.js to time, the peers (tfjs, OpenBLAS) to compare with.
 * An installed package therefore leaves the command out of its help (cli.ts asks benchAvailable).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const suite = new URL('../../bench/suite.mjs', import.meta.url);

/** True in a source checkout, where bench/suite.mjs sits beside dist/. */
export const benchAvailable = (): boolean => existsSync(fileURLToPath(suite));

export async function bench(args: string[]): Promise<number> {
  if (!benchAvailable()) {
    process.stderr.write('tensorfuse bench: the benchmark suite is not part of the installed package; it runs from a source checkout of tensorfuse (clone the repository, npm install, npm run bench)\n');
    return 2;
  }
  let loaded: unknown;
  try {
    loaded = await import(suite.href);
  } catch (e) {
    // A checkout installed without dev dependencies (npm install --omit=dev) has no Benchmark.js.
    if ((e as { code?: unknown })?.code !== 'ERR_MODULE_NOT_FOUND' || !/Cannot find package/.test((e as Error).message)) throw e;
    process.stderr.write(`tensorfuse bench: the benchmark suite needs the dev dependencies (run npm install in the checkout): ${(e as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  const { main, shellQuote } = loaded as {
    main: (argv: string[], opts: { command: string }) => Promise<number>;
    shellQuote: (arg: string) => string;
  };
  return main(args, { command: ['tensorfuse bench', ...args.map(shellQuote)].join(' ') });
}
