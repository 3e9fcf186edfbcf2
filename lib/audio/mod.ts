/**
 * Audio in for your own recordings: decode any container `audio-decode` reads (WAV, MP3, FLAC,
 * Ogg), with container checks so that damaged files are refused by name (`container.ts`), mix
 * down and resample to the features' rate with a polyphase windowed-sinc filter (`resample.ts`;
 * why not libsamplerate is in its module doc), with progress events (`decode.ts`).
 *
 * Used in notebooks/09_your_recordings.ipynb.
 *
 * @example
 * ```ts
 * import { loadRecording } from "./mod.ts";
 * const rec = await loadRecording("../shared/data/fmp-c5/FMP_C5_F01_Beatles_LetItBe-mm1-4_Original.wav");
 * rec.duration; // 6.5...
 * ```
 *
 * @module
 */
export * from "./container.ts";
export * from "./decode.ts";
export * from "./resample.ts";
export * from "./mix.ts";
