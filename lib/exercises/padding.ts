/**
 * Checkers for the exercises of notebook 03 (weak targets and padding): removing adjacent
 * repetitions, uniform padding and last-element padding to a soft length.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * import { checkLastPadding } from "./padding.ts";
 * const pad = (s: number[], S: number) => {
 *   if (S < s.length) throw new RangeError("soft length shorter than the sequence");
 *   return [...s, ...new Array(S - s.length).fill(s[s.length - 1])];
 * };
 * checkLastPadding(pad).passed; // true
 * ```
 *
 * @module
 */
import { attempt, describe, type Feedback, notAFunction, verdict } from "./_feedback.ts";

const same = (a: unknown, b: number[]) =>
  Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i]);

const show = (a: number[]) => `[${a.join(", ")}]`;

/** Runs of equal adjacent values: `[value, count]` in order. */
function runs(a: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of a) {
    if (out.length > 0 && out[out.length - 1][0] === v) out[out.length - 1][1]++;
    else out.push([v, 1]);
  }
  return out;
}

/** Adjacent repetitions removed (the truth of exercise 1). */
function reduce(a: number[]): number[] {
  return runs(a).map(([v]) => v);
}

/**
 * Checks `removeRepeats(labels)`: the chord sequence with adjacent repetitions removed (a weak
 * target). Recognises removing every later occurrence of a chord (a set, not a sequence),
 * losing the first or the last chord, and changing the input array in place.
 *
 * Used in notebooks/03_dataset_padding.ipynb (exercise 1).
 *
 * @example
 * ```ts
 * import { checkRemoveRepetitions } from "./padding.ts";
 * checkRemoveRepetitions((l) => [...new Set(l)]).passed; // false: C G C must stay C G C
 * ```
 */
export function checkRemoveRepetitions(answer: (labels: number[]) => number[]): Feedback {
  const name = "Exercise 03.1 (removing repetitions)";
  const bad = notAFunction(answer, "a function removeRepeats(labels)");
  if (bad) return verdict(name, [bad], "");
  const cases = [
    [0, 0, 0, 7, 7, 21, 21, 21, 5, 5],
    [0, 0, 7, 7, 0, 0, 7],
    [3],
    [9, 9, 9, 9],
    [-1, -1, 4, 4, 4, -1],
  ];
  for (const labels of cases) {
    const input = [...labels];
    const r = attempt(() => answer(input));
    const here = `removeRepeats(${show(labels)})`;
    if (!r.ok) return verdict(name, [`${here} threw ${r.error}.`], "");
    if (!same(input, labels)) {
      return verdict(name, [
        `${here} changed its input array to ${show(input)}: return a new array, the frame ` +
        `labels are still needed.`,
      ], "");
    }
    const truth = reduce(labels);
    const y = r.value;
    if (same(y, truth)) continue;
    if (same(y, [...new Set(labels)])) {
      return verdict(name, [
        `${here} = ${describe(y)} drops every later occurrence of a chord: only adjacent ` +
        `repetitions go, a chord that comes back stays (expected ${show(truth)}).`,
      ], "");
    }
    if (same(y, truth.slice(1)) || same(y, truth.slice(0, -1))) {
      return verdict(name, [
        `${here} = ${describe(y)} loses the ${
          same(y, truth.slice(1)) ? "first" : "last"
        } chord (expected ${show(truth)}).`,
      ], "");
    }
    return verdict(name, [`${here} = ${describe(y)}, expected ${show(truth)}.`], "");
  }
  return verdict(name, [], "Adjacent repetitions removed, returning chords kept, input unchanged.");
}

/** A padding function as the exercises ask for: `pad(reduced, softLength)`. */
export type PaddingAnswer = (reduced: number[], softLength: number) => number[];

/** What is common to both paddings: length, order, every element kept, short S refused. */
function paddingBasics(
  name: string,
  answer: PaddingAnswer,
  reduced: number[],
  S: number,
): { problem: string } | { value: number[] } {
  const here = `pad(${show(reduced)}, ${S})`;
  const r = attempt(() => answer([...reduced], S));
  if (!r.ok) return { problem: `${here} threw ${r.error}.` };
  const y = r.value;
  if (!Array.isArray(y) || !y.every((v) => typeof v === "number")) {
    return { problem: `${here} returned ${describe(y)}, not an array of chord indices.` };
  }
  if (y.length !== S) {
    return {
      problem: `${here} has ${y.length} elements: a padded target has exactly the soft ` +
        `length S = ${S}.`,
    };
  }
  if (!same(reduce(y), reduce(reduced))) {
    return {
      problem: `${here} = ${describe(y)} is not the sequence ${show(reduced)} with ` +
        `elements repeated: padding may only repeat elements in place, never reorder, drop or ` +
        `add chords.`,
    };
  }
  void name;
  return { value: y };
}

function refusesShort(answer: PaddingAnswer): string | null {
  const r = attempt(() => answer([0, 7, 9, 5], 3));
  return r.ok
    ? `pad([0, 7, 9, 5], 3) returned ${describe(r.value)}: a soft length shorter than the ` +
      `sequence cannot hold it, throw an error instead.`
    : null;
}

/**
 * Checks uniform padding `pad(reduced, S)`: every element repeated q = ⌊S/L⌋ or q + 1 times
 * (the r = S − qL extra copies on r different elements), order kept, length S, and an error for
 * S < L. Any even spread is accepted (the library's `uniformRepeats` is one). Recognises the
 * remainder piled on one element, a missing remainder and a wrong length.
 *
 * Used in notebooks/03_dataset_padding.ipynb (exercise 2).
 *
 * @example
 * ```ts
 * import { checkUniformPadding } from "./padding.ts";
 * checkUniformPadding((s, S) => s.flatMap((v) => new Array(Math.floor(S / s.length)).fill(v)))
 *   .passed; // false: 16 / 3 leaves a remainder
 * ```
 */
export function checkUniformPadding(answer: PaddingAnswer): Feedback {
  const name = "Exercise 03.2 (uniform padding)";
  const bad = notAFunction(answer, "a function pad(reduced, softLength)");
  if (bad) return verdict(name, [bad], "");
  const cases: [number[], number][] = [
    [[0, 7, 9, 5], 16],
    [[0, 7, 9], 16],
    [[0, 7, 0, 9, 5, 2, 14], 75],
    [[4], 5],
    [[0, 7, 9, 5], 4],
  ];
  for (const [reduced, S] of cases) {
    const L = reduced.length;
    const q = Math.floor(S / L), rem = S - q * L;
    const here = `pad(${show(reduced)}, ${S})`;
    const base = paddingBasics(name, answer, reduced, S);
    if ("problem" in base) {
      const r = attempt(() => answer([...reduced], S));
      if (r.ok && Array.isArray(r.value) && r.value.length === q * L && rem > 0) {
        return verdict(name, [
          `${here} has ${q * L} elements: each element got q = ⌊S/L⌋ = ${q} copies, but the ` +
          `remainder r = S − qL = ${rem} must be spread too (r elements get q + 1 copies).`,
        ], "");
      }
      return verdict(name, [base.problem], "");
    }
    const counts = runs(base.value).map(([, c]) => c);
    // equal neighbours in `reduced` do not occur in weak targets; runs match elements
    const off = counts.findIndex((c) => c !== q && c !== q + 1);
    if (off >= 0) {
      return verdict(name, [
        `${here}: element ${off} (${reduced[off]}) is repeated ${counts[off]} times; uniform ` +
        `padding gives each element q = ${q} or q + 1 = ${q + 1} copies${
          counts[off] === q + rem ? ` (you gave all r = ${rem} extra copies to one element)` : ""
        }.`,
      ], "");
    }
  }
  const short = refusesShort(answer);
  if (short) return verdict(name, [short], "");
  return verdict(
    name,
    [],
    "Length S, order kept, every element q or q + 1 times, and S < L refused.",
  );
}

/**
 * Checks last-element padding `pad(reduced, S)`: the sequence followed by S − L copies of its
 * last element, and an error for S < L. Recognises padding with the first element and a wrong
 * length.
 *
 * Used in notebooks/03_dataset_padding.ipynb (exercise 3).
 *
 * @example
 * ```ts
 * import { checkLastPadding } from "./padding.ts";
 * checkLastPadding((s, S) => [...new Array(S - s.length).fill(s[0]), ...s]).passed; // false
 * ```
 */
export function checkLastPadding(answer: PaddingAnswer): Feedback {
  const name = "Exercise 03.3 (last-element padding)";
  const bad = notAFunction(answer, "a function pad(reduced, softLength)");
  if (bad) return verdict(name, [bad], "");
  const cases: [number[], number][] = [[[0, 7, 9, 5], 16], [[0, 7, 0, 9], 75], [[4], 3], [
    [2, 3],
    2,
  ]];
  for (const [reduced, S] of cases) {
    const here = `pad(${show(reduced)}, ${S})`;
    const truth = [...reduced, ...new Array(S - reduced.length).fill(reduced[reduced.length - 1])];
    const r = attempt(() => answer([...reduced], S));
    if (r.ok && same(r.value, truth)) continue;
    const first = [...new Array(S - reduced.length).fill(reduced[0]), ...reduced];
    if (r.ok && same(r.value, first)) {
      return verdict(name, [
        `${here} = ${describe(r.value)} repeats the first element: last-element padding ` +
        `appends S − L = ${S - reduced.length} copies of the last one.`,
      ], "");
    }
    const base = paddingBasics(name, answer, reduced, S);
    if ("problem" in base) return verdict(name, [base.problem], "");
    return verdict(name, [
      `${here} = ${describe(base.value)}: the first L = ${reduced.length} elements must be ` +
      `the sequence itself and only the last one repeated (expected ${show(truth)}).`,
    ], "");
  }
  const short = refusesShort(answer);
  if (short) return verdict(name, [short], "");
  return verdict(name, [], "The sequence, then S − L copies of its last element; S < L refused.");
}
