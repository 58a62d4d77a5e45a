// The dtypes in the types against the dtypes the runtime gives: every method of every dtype (see dtype-types.ts).
import { describe, expect, it } from 'vitest';
import * as tf from '../src/index.js';
import { useReferenceBackend } from './helpers.js';
import { checkTypes, expressions } from './dtype-types.js';

useReferenceBackend();

describe('dtypes in the types', () => {
  it('every result type holds the dtype the runtime gives, exactly where the operands are typed', () => {
    expect(checkTypes(expressions())).toEqual({ diagnostics: [], wrong: [] });
  }, 300_000);

  it('a bool tensor gives booleans: item() as toArray() (numpy: True), numbers otherwise', () => {
    expect(tf.tensor([true]).item()).toBe(true);
    expect(tf.arange(3).gt(1).any().item()).toBe(true);
    expect(tf.arange(3).gt(5).all().item()).toBe(false);
    expect(tf.tensor([true, false]).toArray()).toEqual([true, false]);
    expect(tf.arange(3).sum().item()).toBe(3);
    expect(tf.tensor([1.5]).item()).toBe(1.5);
  });
});
