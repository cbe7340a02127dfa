/**
 * The subset of `@std/assert` the tests use, over `node:assert` (JSR is not
 * reachable from the build machines). Tests import this file by relative path;
 * product code never imports it.
 *
 * @module
 */

import nodeAssert from "node:assert/strict";

/** Asserts that `actual` deep-equals `expected`. */
export function assertEquals<T>(actual: unknown, expected: T, msg?: string): asserts actual is T {
  nodeAssert.deepStrictEqual(actual, expected, msg);
}

/** Asserts that `actual` does not deep-equal `expected`. */
export function assertNotEquals(actual: unknown, expected: unknown, msg?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, msg);
}

/** Asserts that `expr` is truthy. */
export function assert(expr: unknown, msg?: string): asserts expr {
  nodeAssert.ok(expr, msg);
}

/** Asserts that `actual` is strictly equal (`===`) to `expected`. */
export function assertStrictEquals<T>(actual: unknown, expected: T, msg?: string): void {
  nodeAssert.strictEqual(actual, expected, msg);
}

/** Asserts that `actual` contains `expected`. */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  if (!actual.includes(expected)) {
    throw new nodeAssert.AssertionError({
      message: msg ?? `expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`,
    });
  }
}

/** Asserts that `actual` matches `expected`. */
export function assertMatch(actual: string, expected: RegExp, msg?: string): void {
  nodeAssert.match(actual, expected, msg);
}

/** Asserts that `actual` does not match `expected`. */
export function assertNotMatch(actual: string, expected: RegExp, msg?: string): void {
  nodeAssert.doesNotMatch(actual, expected, msg);
}

/** Asserts that `actual` is an instance of `type`. */
export function assertInstanceOf<T>(
  actual: unknown,
  // deno-lint-ignore no-explicit-any
  type: abstract new (...args: any[]) => T,
  msg?: string,
): asserts actual is T {
  if (!(actual instanceof type)) {
    throw new nodeAssert.AssertionError({
      message: msg ?? `expected an instance of ${type.name}, got ${String(actual)}`,
    });
  }
}

/** Fails the test. */
export function fail(msg?: string): never {
  nodeAssert.fail(msg);
}

// deno-lint-ignore no-explicit-any
type ErrorClass<E extends Error> = abstract new (...args: any[]) => E;

/** Asserts that `fn` throws an error of class `type` (whose message includes `includes`), and returns it. */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  type?: ErrorClass<E>,
  includes?: string,
): E {
  try {
    fn();
  } catch (error) {
    checkError(error, type, includes);
    return error as E;
  }
  throw new nodeAssert.AssertionError({ message: "expected the function to throw" });
}

/** Asserts that `fn` rejects with an error of class `type` (whose message includes `includes`), and returns it. */
export async function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  type?: ErrorClass<E>,
  includes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    checkError(error, type, includes);
    return error as E;
  }
  throw new nodeAssert.AssertionError({ message: "expected the promise to reject" });
}

function checkError<E extends Error>(
  error: unknown,
  type: ErrorClass<E> | undefined,
  includes: string | undefined,
): void {
  if (type && !(error instanceof type)) {
    throw new nodeAssert.AssertionError({
      message: `expected ${type.name}, got ${
        error instanceof Error ? error.name : String(error)
      }: ${error instanceof Error ? error.message : ""}`,
    });
  }
  if (includes !== undefined && !(error instanceof Error && error.message.includes(includes))) {
    throw new nodeAssert.AssertionError({
      message: `expected the error message to include ${JSON.stringify(includes)}, got ${
        JSON.stringify(error instanceof Error ? error.message : String(error))
      }`,
    });
  }
}
