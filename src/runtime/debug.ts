/** TENSORFUSE_DEBUG output on stderr: 1 builds and disk hits, 2 calls, 3 schedules and decisions, 4 the C. */
import { config } from '../config.js';

export function debug(level: number, msg: () => string): void {
  if (config().debug >= level) process.stderr.write(`[tensorfuse] ${msg()}\n`);
}
