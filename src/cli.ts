#!/usr/bin/env node
/** `tensorfuse` command line: demo, and more as the backends land. */
import { readFileSync } from 'node:fs';
import { arange, rand } from './index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const HELP = `tensorfuse ${pkg.version}: lazy tensor math for Node.js, fused into generated C

usage: tensorfuse <command>

commands:
  demo        build a fused expression and run it (what \`npm start\` runs)
  --version   print the version
  --help      this text
`;

function demo(): void {
  const x = rand([8], { seed: 1, dtype: 'float32' });
  const y = arange(8).cast('float32');
  const expr = x.mul(2).add(y).relu().mul(x.sub(y)).add(1);
  console.log('expression: x.mul(2).add(y).relu().mul(x.sub(y)).add(1)');
  console.log(`recorded:   ${String(expr)}`);
  const t0 = performance.now();
  expr.eval({ backend: 'ts' });
  console.log(`reference:  ${String(expr)}  (${(performance.now() - t0).toFixed(2)} ms)`);
  console.log('C backend not built yet: the fused C run and the speed-up table arrive with it.');
}

const [cmd] = process.argv.slice(2);
if (cmd === '--version' || cmd === '-v') console.log(pkg.version);
else if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') process.stdout.write(HELP);
else if (cmd === 'demo') demo();
else {
  process.stderr.write(`tensorfuse: unknown command ${JSON.stringify(cmd)}\n\n${HELP}`);
  process.exitCode = 2;
}
