/**
 * `tensorfuse bench [options]`: the benchmark suite of SPEC §6. The suite itself is plain ESM in
 * bench/suite.mjs (npm run bench runs the same file); it lives in the source checkout, not in the
 * published package, because it needs the peers (tfjs, OpenBLAS) as dev dependencies.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function bench(args: string[]): Promise<number> {
  const suite = new URL('../../bench/suite.mjs', import.meta.url);
  if (!existsSync(fileURLToPath(suite))) {
    process.stderr.write('tensorfuse bench: bench/suite.mjs not found; the benchmark suite runs from a source checkout of tensorfuse (npm run bench)\n');
    return 2;
  }
  const { main, shellQuote } = (await import(suite.href)) as {
    main: (argv: string[], opts: { command: string }) => Promise<number>;
    shellQuote: (arg: string) => string;
  };
  return main(args, { command: ['tensorfuse bench', ...args.map(shellQuote)].join(' ') });
}
