/**
 * Chords and alignment for your own recordings: chord texts as people write them parsed into
 * Harte symbols (`chord_text.ts`), a chord sequence aligned to a recording's model output by the
 * soft-DTW expected alignment with start, end and confidence per chord (`align_chords.ts`, on
 * the frame-advancing soft-DTW of `sequence_align.ts`, which also does subsequence alignment).
 * Audio in is `@diffalign/kit/audio`; the models are `@diffalign/kit/chords`'s saved
 * recognizers. The commands are `deno task chords` and `deno task align`.
 *
 * Used in notebooks/09_your_recordings.ipynb.
 *
 * @example
 * ```ts
 * import { alignChords } from "./mod.ts";
 * const lp = [[-0.1, -2.3], [-2.3, -0.1]].map((r) => Float64Array.from(r));
 * alignChords(lp, ["C:maj", "A:min"], "C Am", { frameRate: 10 }).chords[1].start; // 0.05
 * ```
 *
 * @module
 */
export * from "./chord_text.ts";
export * from "./sequence_align.ts";
export * from "./align_chords.ts";
export * from "./recognize.ts";
export * from "./evaluate.ts";
