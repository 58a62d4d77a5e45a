/**
 * Workspaces: the buffers of a program's temporaries. They stay with their programs, so a loop reuses
 * them, but all of them together stay within a budget: the least recently used programs give theirs
 * up and allocate again if run again.
 */
import type { Storage } from '../dtype.js';
import { allocate } from '../dtype.js';
import { sizeOf } from '../shape.js';
import type { Compiled } from './programs.js';

const WORKSPACE_BUDGET = 1 << 30;
let workspaceBytes = 0;
const recentlyUsed = new Set<Compiled>();
const bytesOf = (ws: readonly Storage[]): number => ws.reduce((n, s) => n + s.byteLength, 0);

/** The workspace synchronous calls of `c` share, allocated when it has none. */
export function workspaceOf(c: Compiled): Storage[] {
  recentlyUsed.delete(c);
  recentlyUsed.add(c);
  if (c.workspace) return c.workspace;
  const ws = c.program.temps.map((t) => allocate(t.dtype, sizeOf(t.shape)));
  c.workspace = ws;
  workspaceBytes += bytesOf(ws);
  for (const old of recentlyUsed) {
    if (workspaceBytes <= WORKSPACE_BUDGET) break;
    if (old === c || !old.workspace) continue;
    workspaceBytes -= bytesOf(old.workspace);
    old.workspace = undefined;
    recentlyUsed.delete(old);
  }
  return ws;
}

/** A workspace of one call's own (outside the budget): concurrent calls of one program must not share temporaries. */
export const privateWorkspace = (c: Compiled): Storage[] => c.program.temps.map((t) => allocate(t.dtype, sizeOf(t.shape)));
