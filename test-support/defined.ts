/**
 * Test code's answer to `value!`: the value, or a thrown error naming what was missing. A test that
 * reads a row, a header or a regexp group it has just set up fails here, with a message, instead of
 * going on with `undefined` (Biome's noNonNullAssertion is on for tests too).
 */
export function defined<T>(value: T, what = 'value'): NonNullable<T> {
  if (value === undefined || value === null) throw new Error(`expected ${what} to be defined`);
  return value as NonNullable<T>;
}
