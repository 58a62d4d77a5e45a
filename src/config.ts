/**
 * Settings, from the environment and from `configure({...})` (which wins). Read at use, so a test or a
 * REPL can change them between evals.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TensorError } from './errors.js';
import { describe } from './shape.js';

export interface Config {
  /** The C compiler command, split like a shell would (`ccache gcc`). */
  cc: string;
  cacheDir: string;
  /** Extra compiler flags, appended; part of the cache key. */
  cflags: string;
  threads: number;
  backend: 'c' | 'ts';
  /** 1 cache hits/misses and times, 2 per-kernel ms and GB/s, 3 fusion decisions, 4 the C source. */
  debug: number;
  profile: boolean;
  /** Seconds a compiler run may take before its whole process group is killed. */
  compileTimeout: number;
}

const overrides: Partial<Config> = {};

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new TensorError(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return v;
}

/** Default compile timeout: a cold compile takes ~0.1 s here, a large program a few seconds. */
export const DEFAULT_COMPILE_TIMEOUT = 60;

function envSeconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new TensorError(`${name} must be a positive number of seconds, got ${JSON.stringify(raw)}`);
  return v;
}

function envBackend(): 'c' | 'ts' {
  const raw = process.env.TENSORFUSE_BACKEND;
  if (raw === undefined || raw === '') return DEFAULT_BACKEND;
  if (raw !== 'c' && raw !== 'ts') throw new TensorError(`TENSORFUSE_BACKEND must be 'c' or 'ts', got ${JSON.stringify(raw)}`);
  return raw;
}

export const DEFAULT_BACKEND: 'c' | 'ts' = 'c';

/** True when the user asked for a backend (environment or configure), rather than taking the default. */
export function backendIsExplicit(): boolean {
  config();
  return overrides.backend !== undefined || envBackendSet;
}

export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg !== '' ? xdg : join(homedir(), '.cache'), 'tensorfuse');
}

function readEnvironment(): Config {
  envBackendSet = (process.env.TENSORFUSE_BACKEND ?? '') !== '';
  return {
    cc: process.env.CC || 'cc',
    cacheDir: process.env.TENSORFUSE_CACHE_DIR || defaultCacheDir(),
    cflags: process.env.TENSORFUSE_CFLAGS ?? '',
    threads: envInt('TENSORFUSE_THREADS', 0),
    backend: envBackend(),
    debug: envInt('TENSORFUSE_DEBUG', 0),
    profile: envInt('TENSORFUSE_PROFILE', 0) > 0,
    compileTimeout: envSeconds('TENSORFUSE_COMPILE_TIMEOUT', DEFAULT_COMPILE_TIMEOUT),
  };
}

// The environment is read once, at first use (reading process.env costs about a microsecond per
// variable, and eval() is meant to cost about that in all); configure() changes settings later.
let environment: Config | undefined;
let envBackendSet = false;
let current: Readonly<Config> | undefined;
let version = 0;

export function config(): Readonly<Config> {
  if (current) return current;
  environment ??= readEnvironment();
  const merged = { ...environment };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  current = Object.freeze(merged);
  return current;
}

/** Changes whenever the settings do: caches of compiled programs compare it. */
export const configVersion = (): number => version;

/** Reads the environment again (for code that changed process.env after tensorfuse was first used). */
export function reloadEnvironment(): Readonly<Config> {
  environment = undefined;
  current = undefined;
  version++;
  return config();
}

const KEYS: readonly (keyof Config)[] = ['cc', 'cacheDir', 'cflags', 'threads', 'backend', 'debug', 'profile', 'compileTimeout'];

const TYPES: Record<keyof Config, string> = {
  cc: 'string', cacheDir: 'string', cflags: 'string', threads: 'number', backend: 'string', debug: 'number', profile: 'boolean', compileTimeout: 'number',
};

/**
 * Sets any of the settings for this process; `undefined` restores the environment's value. Every
 * setting is checked before any is applied, so a bad call changes nothing.
 */
export function configure(settings: Partial<Config>): Config {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new TensorError(`configure: expected an object of settings like { threads: 2 }, got ${describe(settings)}`);
  }
  // Read once: what is checked is what is applied (a getter cannot hand the check one value and us another).
  const entries = Object.entries(settings);
  for (const [k, v] of entries) {
    if (!KEYS.includes(k as keyof Config)) {
      throw new TensorError(`configure: unknown setting ${describe(k)}; known settings are ${KEYS.join(', ')}`);
    }
    if (v === undefined) continue;
    if ((k === 'threads' || k === 'debug') && (!Number.isInteger(v) || (v as number) < 0)) {
      throw new TensorError(`configure: ${k} must be a non-negative integer, got ${describe(v)}`);
    }
    if (k === 'compileTimeout' && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) {
      throw new TensorError(`configure: compileTimeout must be a positive number of seconds, got ${describe(v)}`);
    }
    if (typeof v !== TYPES[k as keyof Config]) {
      throw new TensorError(`configure: ${k} must be a ${TYPES[k as keyof Config]}, got ${describe(v)}`);
    }
    if (k === 'backend' && v !== 'c' && v !== 'ts') {
      throw new TensorError(`configure: backend must be 'c' or 'ts', got ${describe(v)}`);
    }
    if ((k === 'cc' || k === 'cacheDir') && (v as string).trim() === '') {
      throw new TensorError(`configure: ${k} must not be empty`);
    }
  }
  for (const [k, v] of entries) {
    if (v === undefined) delete overrides[k as keyof Config];
    else (overrides as Record<string, unknown>)[k] = v;
  }
  current = undefined;
  version++;
  return config();
}
