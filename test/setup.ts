// Every test file gets a fresh, private kernel cache directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'tensorfuse-test-'));
process.env.TENSORFUSE_CACHE_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
