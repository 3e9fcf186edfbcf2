import { assertEquals, assertStringIncludes } from "@std/assert";
import { checkLastPadding, checkRemoveRepetitions, checkUniformPadding } from "./mod.ts";
import { padSequence, removeRepetitions } from "../chords/mod.ts";

Deno.test("checkRemoveRepetitions: a loop passes, the usual slips are named", () => {
  const mine = (l: number[]) => l.filter((v, i) => i === 0 || l[i - 1] !== v);
  assertEquals(checkRemoveRepetitions(mine).passed, true);
  assertEquals(checkRemoveRepetitions(removeRepetitions).passed, true);
  assertStringIncludes(checkRemoveRepetitions((l) => [...new Set(l)]).text, "drops every later");
  assertStringIncludes(
    checkRemoveRepetitions((l) => l.filter((v, i) => i > 0 && l[i - 1] !== v)).text,
    "loses the first chord",
  );
  assertStringIncludes(
    checkRemoveRepetitions((l) =>
      l.splice(0, l.length).filter((v, i, a) => i === 0 || a[i - 1] !== v)
    )
      .text,
    "changed its input array",
  );
});

const uniform = (s: number[], S: number) => padSequence(s, { softLength: S, padding: "uniform" });
const last = (s: number[], S: number) => padSequence(s, { softLength: S, padding: "last" });

Deno.test("checkUniformPadding: the library's and another even spread pass", () => {
  assertEquals(checkUniformPadding(uniform).passed, true, checkUniformPadding(uniform).text);
  // extras on the first r elements: also even (q or q + 1 copies each)
  const front = (s: number[], S: number) => {
    if (S < s.length) throw new RangeError("too short");
    const q = Math.floor(S / s.length), r = S - q * s.length;
    return s.flatMap((v, i) => new Array(q + (i < r ? 1 : 0)).fill(v));
  };
  assertEquals(checkUniformPadding(front).passed, true);
});

Deno.test("checkUniformPadding names each typical mistake", () => {
  const pile = (s: number[], S: number) => {
    const q = Math.floor(S / s.length), r = S - q * s.length;
    return s.flatMap((v, i) => new Array(q + (i === s.length - 1 ? r : 0)).fill(v));
  };
  const noRest = (s: number[], S: number) =>
    s.flatMap((v) => new Array(Math.floor(S / s.length)).fill(v));
  const noCheck = (s: number[], S: number) => S < s.length ? s.slice(0, S) : uniform(s, S);
  assertStringIncludes(checkUniformPadding(pile).text, "all r = 5 extra copies to one element");
  assertStringIncludes(checkUniformPadding(noRest).text, "the remainder r = S − qL = 1");
  assertStringIncludes(checkUniformPadding(last).text, "q = 4 or q + 1 = 5 copies");
  assertStringIncludes(checkUniformPadding(noCheck).text, "throw an error");
  assertStringIncludes(
    checkUniformPadding((s) => [...s].reverse()).text,
    "exactly the soft length",
  );
});

Deno.test("checkLastPadding: the library's passes; first-element padding and others are named", () => {
  assertEquals(checkLastPadding(last).passed, true, checkLastPadding(last).text);
  assertStringIncludes(
    checkLastPadding((s, S) => [...new Array(S - s.length).fill(s[0]), ...s]).text,
    "repeats the first element",
  );
  assertStringIncludes(checkLastPadding(uniform).text, "only the last one repeated");
  assertStringIncludes(
    checkLastPadding((s, S) => [...s, ...new Array(Math.max(0, S - s.length)).fill(s.at(-1))]).text,
    "throw an error",
  );
});
