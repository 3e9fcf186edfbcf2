/**
 * audio-decode (MP3/WAV/... to PCM), pinned in this one place (the library imports it from
 * here, and `deno.json` maps `audio-decode` here for the notebooks and tools).
 *
 * @example
 * ```ts
 * import decode from "./audio_decode.ts";
 * typeof decode; // "function"
 * ```
 *
 * @module
 */
export { default } from "npm:audio-decode@3.12.0";
