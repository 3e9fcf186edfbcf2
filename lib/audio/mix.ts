/**
 * Mixing channels down to mono (the mean of the channels, as `librosa.to_mono`), without any
 * decoder, so the course site's recording page can bundle it. Re-exported by
 * lib/chords/data/audio.ts, where it used to live.
 *
 * @module
 */

/**
 * Mixes channels to mono by averaging them sample by sample (`librosa.to_mono`).
 * All channels must have the same length.
 *
 * Used in notebooks/03_dataset_padding.ipynb (through tools/build_data.ts) and
 * notebooks/09_your_recordings.ipynb (through `loadRecording`).
 *
 * @example
 * ```ts
 * import { toMono } from "./mix.ts";
 * toMono([new Float32Array([1, 0]), new Float32Array([0, 0])]); // Float32Array [0.5, 0]
 * ```
 */
export function toMono(channels: ArrayLike<number>[], name = "audio data"): Float32Array {
  if (channels.length === 0) throw new RangeError(`${name}: no audio channels`);
  const n = channels[0].length;
  for (let c = 1; c < channels.length; c++) {
    if (channels[c].length !== n) {
      throw new RangeError(
        `${name}: channel ${c} has ${channels[c].length} samples, channel 0 has ${n}`,
      );
    }
  }
  const out = new Float32Array(n);
  if (channels.length === 1) {
    out.set(channels[0]);
    return out;
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < channels.length; c++) s += channels[c][i];
    out[i] = s / channels.length;
  }
  return out;
}
