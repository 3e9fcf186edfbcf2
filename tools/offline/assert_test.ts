// The offline stand-in must fail exactly where @std/assert fails, or every test would be
// vacuous on machines without JSR. These tests import it directly (not through the map).
import {
  assert,
  assertAlmostEquals,
  assertArrayIncludes,
  assertEquals,
  assertExists,
  assertFalse,
  assertGreater,
  assertGreaterOrEqual,
  assertInstanceOf,
  AssertionError,
  assertLess,
  assertLessOrEqual,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStrictEquals,
  assertStringIncludes,
  assertThrows,
  fail,
} from "./assert.ts";

function mustFail(name: string, fn: () => void) {
  let threw = false;
  try {
    fn();
  } catch (e) {
    threw = e instanceof AssertionError;
  }
  if (!threw) throw new Error(`${name} did not fail with an AssertionError`);
}

Deno.test("offline assertions pass on true statements", async () => {
  assert(1);
  assertFalse(0);
  assertEquals({ a: [1, 2] }, { a: [1, 2] });
  assertNotEquals([1], [2]);
  assertStrictEquals(NaN, NaN);
  assertAlmostEquals(0.1 + 0.2, 0.3);
  assertAlmostEquals(1, 1.05, 0.1);
  assertGreater(2, 1);
  assertGreaterOrEqual(2, 2);
  assertLess(1, 2);
  assertLessOrEqual(2, 2);
  assertExists(0);
  assertMatch("gamma", /am/);
  assertStringIncludes("soft-DTW", "DTW");
  assertArrayIncludes([[1], [2]], [[2]]);
  assertInstanceOf(new RangeError("x"), Error);
  const e = assertThrows(
    () => {
      throw new RangeError("gamma must be > 0");
    },
    RangeError,
    "gamma",
  );
  assertEquals(e.message, "gamma must be > 0");
  await assertRejects(() => Promise.reject(new TypeError("bad")), TypeError, "bad");
});

Deno.test("offline assertions fail on false statements", async () => {
  mustFail("assert", () => assert(0));
  mustFail("assertFalse", () => assertFalse(1));
  mustFail("assertEquals", () => assertEquals({ a: [1, 2] }, { a: [1, 3] }));
  mustFail("assertEquals types", () => assertEquals<unknown>(1, "1"));
  mustFail("assertNotEquals", () => assertNotEquals([1], [1]));
  mustFail("assertStrictEquals", () => assertStrictEquals({}, {}));
  mustFail("assertAlmostEquals", () => assertAlmostEquals(1, 1.001));
  mustFail("assertAlmostEquals NaN", () => assertAlmostEquals(NaN, 1));
  mustFail("assertGreater", () => assertGreater(1, 1));
  mustFail("assertGreaterOrEqual", () => assertGreaterOrEqual(1, 2));
  mustFail("assertLess", () => assertLess(2, 2));
  mustFail("assertLessOrEqual", () => assertLessOrEqual(3, 2));
  mustFail("assertExists", () => assertExists(null));
  mustFail("assertMatch", () => assertMatch("x", /y/));
  mustFail("assertStringIncludes", () => assertStringIncludes("x", "y"));
  mustFail("assertArrayIncludes", () => assertArrayIncludes([1], [2]));
  mustFail("assertInstanceOf", () => assertInstanceOf(new Error("x"), RangeError));
  mustFail("assertThrows (no throw)", () => assertThrows(() => {}));
  mustFail("assertThrows (wrong class)", () =>
    assertThrows(() => {
      throw new TypeError("x");
    }, RangeError));
  mustFail("assertThrows (wrong message)", () =>
    assertThrows(
      () => {
        throw new RangeError("x");
      },
      RangeError,
      "gamma",
    ));
  mustFail("fail", () => fail("always"));
  let rejected = false;
  try {
    await assertRejects(() => Promise.resolve(1));
  } catch (e) {
    rejected = e instanceof AssertionError;
  }
  if (!rejected) throw new Error("assertRejects did not fail on a resolved promise");
});
