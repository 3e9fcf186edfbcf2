/**
 * Offline stand-in for `jsr:@std/assert`, used only where JSR cannot be reached
 * (see `tools/import_map_offline.json` and `tools/test.ts`). Every function keeps the
 * semantics of its `@std/assert` namesake for the calls this project makes; it is built on
 * `node:assert`, so no assertion is weakened.
 *
 * @module
 */
import nodeAssert from "node:assert";

/** Error thrown by every assertion here (same name as in `@std/assert`). */
export class AssertionError extends Error {
  /** @param message what failed */
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

function wrap(fn: () => void, msg?: string): void {
  try {
    fn();
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    throw new AssertionError(msg ? `${msg}: ${text}` : text);
  }
}

/** Asserts that `expr` is truthy. */
export function assert(expr: unknown, msg = "Expected expression to be truthy"): asserts expr {
  if (!expr) throw new AssertionError(msg);
}

/** Asserts that `expr` is falsy. */
export function assertFalse(expr: unknown, msg = "Expected expression to be falsy"): void {
  if (expr) throw new AssertionError(msg);
}

/** Deep equality, as `@std/assert`'s `assertEquals`. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  wrap(() => nodeAssert.deepStrictEqual(actual, expected), msg);
}

/** Deep inequality. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  wrap(() => nodeAssert.notDeepStrictEqual(actual, expected), msg);
}

/** `Object.is` equality. */
export function assertStrictEquals<T>(actual: unknown, expected: T, msg?: string): void {
  wrap(() => nodeAssert.strictEqual(actual, expected), msg);
}

/** Asserts `|actual - expected| <= tolerance` (default `1e-7`), as `@std/assert`. */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-7,
  msg?: string,
): void {
  if (Object.is(actual, expected)) return;
  const delta = Math.abs(expected - actual);
  if (!(delta <= tolerance)) {
    throw new AssertionError(
      msg ??
        `Expected actual: "${actual}" to be close to "${expected}": delta "${delta}" is greater than "${tolerance}"`,
    );
  }
}

/** Asserts `actual > expected`. */
export function assertGreater<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual > expected)) throw new AssertionError(msg ?? `Expect ${actual} > ${expected}`);
}

/** Asserts `actual >= expected`. */
export function assertGreaterOrEqual<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual >= expected)) throw new AssertionError(msg ?? `Expect ${actual} >= ${expected}`);
}

/** Asserts `actual < expected`. */
export function assertLess<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual < expected)) throw new AssertionError(msg ?? `Expect ${actual} < ${expected}`);
}

/** Asserts `actual <= expected`. */
export function assertLessOrEqual<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual <= expected)) throw new AssertionError(msg ?? `Expect ${actual} <= ${expected}`);
}

/** Asserts that `actual` is neither `null` nor `undefined`. */
export function assertExists<T>(actual: T, msg?: string): asserts actual is NonNullable<T> {
  if (actual === undefined || actual === null) {
    throw new AssertionError(msg ?? `Expected actual: "${actual}" to not be null or undefined.`);
  }
}

/** Asserts that `actual` matches `expected`. */
export function assertMatch(actual: string, expected: RegExp, msg?: string): void {
  if (!expected.test(actual)) {
    throw new AssertionError(msg ?? `Expected actual: "${actual}" to match: "${expected}".`);
  }
}

/** Asserts that `actual` contains `expected`. */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  if (!actual.includes(expected)) {
    throw new AssertionError(msg ?? `Expected actual: "${actual}" to contain: "${expected}".`);
  }
}

/** Asserts that every element of `expected` is (deep-equal to) an element of `actual`. */
export function assertArrayIncludes<T>(
  actual: ArrayLike<T>,
  expected: ArrayLike<T>,
  msg?: string,
): void {
  const a = Array.from(actual);
  for (const e of Array.from(expected)) {
    if (!a.some((x) => isDeepEqual(x, e))) {
      throw new AssertionError(msg ?? `Expected actual to include ${JSON.stringify(e)}.`);
    }
  }
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    nodeAssert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

/** Asserts that `actual` is an instance of `expectedType`. */
export function assertInstanceOf<T extends abstract new (...args: never[]) => unknown>(
  actual: unknown,
  expectedType: T,
  msg?: string,
): asserts actual is InstanceType<T> {
  if (!(actual instanceof expectedType)) {
    throw new AssertionError(msg ?? `Expected object to be an instance of "${expectedType.name}".`);
  }
}

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

function checkError(
  e: unknown,
  ErrorClass?: ErrorClass<Error>,
  msgIncludes?: string,
): void {
  if (ErrorClass && !(e instanceof ErrorClass)) {
    throw new AssertionError(
      `Expected error to be instance of "${ErrorClass.name}", but was "${
        e instanceof Error ? e.name : typeof e
      }".`,
    );
  }
  if (msgIncludes !== undefined) {
    const message = e instanceof Error ? e.message : String(e);
    if (!message.includes(msgIncludes)) {
      throw new AssertionError(
        `Expected error message to include "${msgIncludes}", but got "${message}".`,
      );
    }
  }
}

/** Asserts that `fn` throws; optionally of class `ErrorClass` with a message including `msgIncludes`. Returns the error. */
export function assertThrows(
  fn: () => unknown,
  ErrorClass?: ErrorClass<Error> | string,
  msgIncludes?: string,
  msg?: string,
): Error {
  let thrown: unknown = undefined;
  let didThrow = false;
  try {
    fn();
  } catch (e) {
    didThrow = true;
    thrown = e;
  }
  if (!didThrow) {
    throw new AssertionError(
      typeof ErrorClass === "string" ? ErrorClass : msg ?? "Expected function to throw.",
    );
  }
  if (typeof ErrorClass !== "string") checkError(thrown, ErrorClass, msgIncludes);
  return thrown as Error;
}

/** Asserts that the promise from `fn` rejects; optionally of class `ErrorClass` with a message including `msgIncludes`. */
export async function assertRejects(
  fn: () => PromiseLike<unknown>,
  ErrorClass?: ErrorClass<Error> | string,
  msgIncludes?: string,
  msg?: string,
): Promise<Error> {
  let thrown: unknown = undefined;
  let didThrow = false;
  try {
    await fn();
  } catch (e) {
    didThrow = true;
    thrown = e;
  }
  if (!didThrow) {
    throw new AssertionError(
      typeof ErrorClass === "string" ? ErrorClass : msg ?? "Expected function to reject.",
    );
  }
  if (typeof ErrorClass !== "string") checkError(thrown, ErrorClass, msgIncludes);
  return thrown as Error;
}

/** Always fails. */
export function fail(msg?: string): never {
  throw new AssertionError(msg ? `Failed assertion: ${msg}` : "Failed assertion.");
}
