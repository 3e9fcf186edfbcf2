/**
 * What every exercise checker returns, and the helpers the checkers share: calling a student's
 * function safely, comparing numbers and matrices. Private to the exercises package.
 *
 * @module
 */

/** The verdict of an exercise checker. */
export interface Feedback {
  /** The exercise, e.g. `"01.1 soft minimum"`. */
  exercise: string;
  /** True when the answer passed every check. */
  passed: boolean;
  /** What is wrong (empty when passed), most specific first; or what was checked. */
  messages: string[];
  /** One Markdown paragraph for the notebook: ✅ or ❌, the exercise, the messages. */
  text: string;
}

/** A verdict: passed with what was checked, or failed with what is wrong. */
export function verdict(exercise: string, problems: string[], checked: string): Feedback {
  const passed = problems.length === 0;
  const messages = passed ? [checked] : problems;
  const text = passed
    ? `✅ **${exercise}**: correct. ${checked}`
    : `❌ **${exercise}**: ${problems.join(" ")}`;
  return { exercise, passed, messages, text };
}

/** The outcome of calling a student's function: a value, or the message of what it threw. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** Calls `f`, turning an exception into a message. */
export function attempt<T>(f: () => T): Outcome<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** Checks that an answer is a function of at least `arity` parameters; a message otherwise. */
export function notAFunction(answer: unknown, what: string): string | null {
  return typeof answer === "function" ? null : `expected ${what}, got ${describe(answer)}.`;
}

/** A short description of a value for a message. */
export function describe(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : fmt(value);
  if (Array.isArray(value)) {
    const s = JSON.stringify(value);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  }
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  return `${typeof value} ${String(value).slice(0, 40)}`;
}

/** A number with 6 significant digits. */
export function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x);
}

/** `a` and `b` agree to `tol` relative to their size (absolute below 1). */
export function close(a: number, b: number, tol = 1e-6): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Is the value a finite number? */
export function isNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

/** Is the value a rectangular matrix of numbers (any finite or not)? */
export function isMatrix(x: unknown): x is number[][] {
  return Array.isArray(x) && x.length > 0 &&
    x.every((r) =>
      Array.isArray(r) && r.length === (x[0] as unknown[]).length &&
      r.every((v) => typeof v === "number")
    );
}

/** Largest absolute difference of two matrices of the same shape. */
export function maxDiff(a: number[][], b: number[][]): number {
  let d = 0;
  a.forEach((row, i) => row.forEach((v, j) => d = Math.max(d, Math.abs(v - b[i][j]))));
  return d;
}

/** The transpose of a matrix. */
export function transpose(m: number[][]): number[][] {
  return m[0].map((_, j) => m.map((row) => row[j]));
}
