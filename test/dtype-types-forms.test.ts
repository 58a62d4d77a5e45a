// The dtypes in the types against the dtypes the runtime gives: union-typed operands, JS arrays, the function
// forms next to their methods, reductions of every dtype (see dtype-types.ts).
import { describe, expect, it } from 'vitest';
import { useReferenceBackend } from './helpers.js';
import { checkTypes, unionsAndForms } from './dtype-types.js';

useReferenceBackend();

describe('dtypes in the types: unions, arrays and function forms', () => {
  it('every result type holds the dtype the runtime gives, exactly where the operands are typed', () => {
    expect(checkTypes(unionsAndForms())).toEqual({ diagnostics: [], wrong: [] });
  }, 300_000);
});
