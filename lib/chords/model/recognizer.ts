/**
 * Saved chord recognizers: a trained model stored as a small JSON file under `models/` (a few
 * kB), loaded by name or path, and applied to chroma features of any length. A recognizer turns
 * {@linkcode ChordFeatures} into per-frame log-probabilities over its labels (Harte syntax:
 * `C:maj`, `A:min`, `N`), and carries the self-transition probability of its HMM smoothing
 * ({@linkcode viterbiSmooth}).
 *
 * File format (`format: 1`):
 *
 * ```text
 * { "format": 1, "name": "beatles-dchord-bce", "kind": "dchord",
 *   "description": "…", "provenance": "…",
 *   "features": { "frameRate": 10.7666…, "chroma": "treble" },
 *   "labels": ["C:maj", …, "B:min"],
 *   "parameters": { "theta": …, "major": [12], "minor": [12] },
 *   "smoothing": { "selfTransition": 0.9… } }
 * ```
 *
 * Kinds: `dchord`, the report's 25-parameter template model (24 outputs, softmax; it never
 * says N), and `dchord-n`, the same with a 25th output "no chord" (`N`, label index 24) whose
 * 12-weight template is not rolled (`parameters.noChord`; 37 parameters): the forward pass of
 * dChord with a blank (`dchord_blank.ts`), the blank read as N. Both read treble chroma. Kind
 * `cnn`: the 1-D convolutional network of `cnn.ts` over bass and treble chroma (features
 * `chroma: "bass+treble"`), 25 outputs (`MAJMIN_LABELS`), parameters as `CnnParameters` (its
 * shape `hidden`, `radius`, `dilation` and the nested weights `conv`, `convBias`, `output`,
 * `outputBias`; 4665 numbers with the default shape, about 90 kB of JSON).
 *
 * Used by `deno task chords` (tools/chords.ts) and notebooks/08_weak_labels_at_scale.ipynb.
 *
 * @example
 * ```ts
 * import { loadModel } from "./recognizer.ts";
 * const model = await loadModel("beatles-dchord-bce");
 * const frame = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
 * const lp = model.logProbs({ frameRate: model.features.frameRate, treble: [frame] });
 * model.labels[lp[0].indexOf(Math.max(...lp[0]))]; // "C:maj"
 * ```
 *
 * @module
 */
import { MAJMIN_LABELS } from "../data/harte.ts";
import { type ChordInterval, framesToIntervals } from "../data/lab.ts";
import { viterbiSmooth } from "./viterbi.ts";
import { checkWeights, type DChordWeights, forward64 } from "./dchord.ts";
import { blankForward64, checkBlankWeights } from "./dchord_blank.ts";
import { cnnModel, type CnnParameters, cnnParameters, cnnParametersToVector } from "./cnn.ts";

/** Which chroma a model reads: the treble chroma only, or bass and treble (24 values). */
export type ChromaChoice = "treble" | "bass+treble";

/** The features a recognizer expects. */
export interface FeatureSpec {
  /** Frames per second. */
  frameRate: number;
  /** Which chroma. */
  chroma: ChromaChoice;
}

/** Chroma features of one recording. */
export interface ChordFeatures {
  /** Frames per second. */
  frameRate: number;
  /**
   * What instant frame i stands for (`framesToIntervals` of lab.ts): `"centre"` for the centred
   * STFT chroma of `featuresFromAudio`, `"start"` (the default) for frames stamped by their start,
   * such as the Billboard study's Chordino frames.
   */
  frameTime?: "start" | "centre";
  /** Treble (or full-range) chroma, frames × 12, pitch class 0 = C. */
  treble: Float64Array[];
  /** Bass chroma, frames × 12, pitch class 0 = C (when the model reads it). */
  bass?: Float64Array[];
}

/** A trained chord recognizer (see the module doc). */
export interface ChordRecognizer {
  /** Model name (the file's `name`). */
  name: string;
  /** Output labels in Harte syntax, one per output. */
  labels: readonly string[];
  /** The features it reads. */
  features: FeatureSpec;
  /** Per-frame log-probabilities over {@linkcode ChordRecognizer.labels}, frames × labels. */
  logProbs(features: ChordFeatures): Float64Array[];
  /** Self-transition probability of its HMM smoothing. */
  selfTransition: number;
}

/** Model kinds stored by {@linkcode ModelFile}. */
export type ModelKind = "dchord" | "dchord-n" | "cnn";

/** Parameters of a `dchord-n` model: dChord's 25 and the 12 weights of the N template. */
export interface DChordNParameters extends DChordWeights {
  /** Template of the "no chord" output (12 weights, pitch classes C..B, not rolled). */
  noChord: number[];
}

/** The JSON content of a saved model (see the module doc). */
export interface ModelFile {
  /** Format version, {@linkcode MODEL_FORMAT}. */
  format: number;
  /** Stable name (the file is `models/<name>.json`). */
  name: string;
  /** Model kind. */
  kind: ModelKind;
  /** One sentence: what it is. */
  description: string;
  /** Where its parameters come from (training data, configuration, run). */
  provenance: string;
  /** The features it reads. */
  features: FeatureSpec;
  /** Output labels (Harte). */
  labels: string[];
  /** Parameters of its kind. */
  parameters: DChordWeights | DChordNParameters | CnnParameters;
  /** HMM smoothing. */
  smoothing: { selfTransition: number };
}

/** Version of the model file format written and read here. */
export const MODEL_FORMAT = 1;

/** Name of the model `deno task chords` uses when none is given. */
export const DEFAULT_MODEL = "beatles-dchord-bce";

/**
 * The 24 major and minor triads in the course's label order (`CHORD_LABELS`: C..B, then
 * Cm..Bm) as Harte strings, `C:maj` … `B:min`: the first 24 of `MAJMIN_LABELS` (harte.ts).
 *
 * @example
 * ```ts
 * import { HARTE_TRIADS } from "./recognizer.ts";
 * HARTE_TRIADS[21]; // "A:min"
 * ```
 */
export const HARTE_TRIADS: readonly string[] = Object.freeze(MAJMIN_LABELS.slice(0, 24));

const EXPECTED_LABELS: Record<ModelKind, readonly string[]> = {
  dchord: HARTE_TRIADS,
  "dchord-n": MAJMIN_LABELS,
  cnn: MAJMIN_LABELS,
};

function fail(source: string, message: string): never {
  throw new SyntaxError(`model ${source}: ${message}`);
}

/**
 * Checks a feature spec; throws a `RangeError` naming the field.
 *
 * @example
 * ```ts
 * import { checkFeatureSpec } from "./recognizer.ts";
 * checkFeatureSpec({ frameRate: 22050 / 2048, chroma: "treble" }).chroma; // "treble"
 * ```
 */
export function checkFeatureSpec(spec: FeatureSpec, source = "feature spec"): FeatureSpec {
  if (!spec || typeof spec !== "object") throw new RangeError(`${source}: must be an object`);
  if (typeof spec.frameRate !== "number" || !(spec.frameRate > 0 && spec.frameRate < 1000)) {
    throw new RangeError(
      `${source}: frameRate must be a number in (0, 1000), got ${spec.frameRate}`,
    );
  }
  if (spec.chroma !== "treble" && spec.chroma !== "bass+treble") {
    throw new RangeError(`${source}: chroma must be "treble" or "bass+treble", got ${spec.chroma}`);
  }
  return { frameRate: spec.frameRate, chroma: spec.chroma };
}

/**
 * Checks the parsed JSON of a saved model strictly (format, kind, labels, parameters, feature
 * spec, smoothing) and returns it typed; throws a `SyntaxError` naming `source` and the field.
 *
 * @example
 * ```ts
 * import { checkModelFile, HARTE_TRIADS } from "./recognizer.ts";
 * import { initialWeights } from "./dchord.ts";
 * checkModelFile({
 *   format: 1, name: "init", kind: "dchord", description: "binary triads", provenance: "none",
 *   features: { frameRate: 10, chroma: "treble" }, labels: [...HARTE_TRIADS],
 *   parameters: initialWeights(), smoothing: { selfTransition: 0.9 },
 * }).kind; // "dchord"
 * ```
 */
export function checkModelFile(json: unknown, source = "(inline)"): ModelFile {
  if (!json || typeof json !== "object" || Array.isArray(json)) fail(source, "not a JSON object");
  const m = json as Record<string, unknown>;
  if (m.format !== MODEL_FORMAT) {
    fail(source, `format must be ${MODEL_FORMAT}, got ${JSON.stringify(m.format)}`);
  }
  for (const key of ["name", "description", "provenance"]) {
    if (typeof m[key] !== "string" || (m[key] as string).length === 0) {
      fail(source, `${key} must be a non-empty string`);
    }
  }
  const kind = m.kind as ModelKind;
  if (!(kind in EXPECTED_LABELS)) {
    fail(source, `kind must be one of ${Object.keys(EXPECTED_LABELS).join(", ")}, got ${m.kind}`);
  }
  let features: FeatureSpec;
  try {
    features = checkFeatureSpec(m.features as FeatureSpec, "features");
  } catch (e) {
    fail(source, (e as Error).message);
  }
  if (kind === "cnn" && features.chroma !== "bass+treble") {
    fail(source, `a cnn model reads bass and treble chroma: features.chroma must be "bass+treble"`);
  }
  if (kind !== "cnn" && features.chroma !== "treble") {
    fail(source, `a ${kind} model reads treble chroma only`);
  }
  const want = EXPECTED_LABELS[kind];
  const labels = m.labels;
  if (
    !Array.isArray(labels) || labels.length !== want.length ||
    labels.some((l, i) => l !== want[i])
  ) {
    fail(source, `labels of a ${kind} model must be ${want.length} labels ${want.join(" ")}`);
  }
  let parameters: DChordWeights | DChordNParameters | CnnParameters;
  try {
    const p = m.parameters as DChordNParameters;
    if (kind === "dchord") parameters = checkWeights(p);
    else if (kind === "cnn") {
      const { architecture, params } = cnnParametersToVector(m.parameters as CnnParameters);
      parameters = cnnParameters(architecture, params);
    } else {
      const w = checkBlankWeights({ ...p, blank: p?.noChord });
      parameters = { theta: w.theta, major: w.major, minor: w.minor, noChord: w.blank };
    }
  } catch (e) {
    fail(source, `parameters: ${(e as Error).message.replace("weights.blank", "noChord")}`);
  }
  const s = m.smoothing as { selfTransition?: unknown } | undefined;
  const p = s?.selfTransition;
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    fail(source, `smoothing.selfTransition must be a number in [0, 1], got ${p}`);
  }
  return {
    format: MODEL_FORMAT,
    name: m.name as string,
    kind,
    description: m.description as string,
    provenance: m.provenance as string,
    features,
    labels: [...want],
    parameters,
    smoothing: { selfTransition: p },
  };
}

function flatten(frames: Float64Array[], what: string): Float64Array {
  const out = new Float64Array(frames.length * 12);
  frames.forEach((f, n) => {
    if (!f || f.length !== 12) {
      throw new RangeError(`${what}[${n}] must have 12 values, got ${f?.length}`);
    }
    for (let k = 0; k < 12; k++) {
      const v = f[k];
      if (!(v >= 0) || v === Infinity) {
        throw new RangeError(`${what}[${n}][${k}] must be a finite number >= 0, got ${v}`);
      }
    }
    out.set(f, n * 12);
  });
  return out;
}

/**
 * Checks chroma features against a model's spec (frame rate within 0.1 %, the chroma it reads,
 * 12 finite non-negative values per frame); throws a `RangeError` naming the problem.
 *
 * @example
 * ```ts
 * import { checkFeatures } from "./recognizer.ts";
 * checkFeatures({ frameRate: 10, treble: [new Float64Array(12)] }, { frameRate: 10, chroma: "treble" }, "m");
 * ```
 */
export function checkFeatures(features: ChordFeatures, spec: FeatureSpec, model: string): void {
  if (!features || !Array.isArray(features.treble)) {
    throw new RangeError(`model ${model}: features.treble must be an array of 12-value frames`);
  }
  const r = features.frameRate;
  if (!(Math.abs(r / spec.frameRate - 1) <= 1e-3)) {
    throw new RangeError(
      `model ${model} reads ${spec.frameRate.toFixed(4)} frames/s, the features have ${r}`,
    );
  }
  if (spec.chroma === "bass+treble") {
    if (!Array.isArray(features.bass) || features.bass.length !== features.treble.length) {
      throw new RangeError(
        `model ${model} reads bass and treble chroma: features.bass must have as many frames as treble`,
      );
    }
  }
}

/**
 * A {@linkcode ChordRecognizer} from the content of a model file (checked by
 * {@linkcode checkModelFile}).
 *
 * @example
 * ```ts
 * import { HARTE_TRIADS, recognizerFromFile } from "./recognizer.ts";
 * import { initialWeights } from "./dchord.ts";
 * const m = recognizerFromFile({
 *   format: 1, name: "init", kind: "dchord", description: "binary triads", provenance: "none",
 *   features: { frameRate: 10, chroma: "treble" }, labels: [...HARTE_TRIADS],
 *   parameters: initialWeights(), smoothing: { selfTransition: 0.9 },
 * });
 * m.labels.length; // 24
 * ```
 */
export function recognizerFromFile(json: unknown, source = "(inline)"): ChordRecognizer {
  const file = checkModelFile(json, source);
  const { name, labels, features } = file;
  const K = labels.length;
  let run: (input: ChordFeatures) => Float64Array;
  if (file.kind === "dchord") {
    const w = file.parameters as DChordWeights;
    run = (input) =>
      forward64(w, flatten(input.treble, "features.treble")).probabilities.map(Math.log);
  } else if (file.kind === "cnn") {
    const { architecture, params } = cnnParametersToVector(file.parameters as CnnParameters);
    const model = cnnModel(architecture);
    run = (input) =>
      model.forward(params, {
        treble: flatten(input.treble, "features.treble"),
        bass: flatten(input.bass!, "features.bass"),
      }).logProbabilities;
  } else {
    const p = file.parameters as DChordNParameters;
    const w = { theta: p.theta, major: p.major, minor: p.minor, blank: p.noChord };
    run = (input) => blankForward64(w, flatten(input.treble, "features.treble")).logProbabilities;
  }
  return {
    name,
    labels,
    features,
    selfTransition: file.smoothing.selfTransition,
    logProbs(input: ChordFeatures): Float64Array[] {
      checkFeatures(input, features, name);
      const F = input.treble.length;
      if (F === 0) return [];
      const out = run(input);
      return Array.from({ length: F }, (_, n) => out.slice(n * K, (n + 1) * K));
    },
  };
}

/**
 * The folder of the committed models (`models/` at the repository root). In a browser bundle
 * (the course site's recording page, an IIFE script without `import.meta.url`) it is resolved
 * against the page's address instead; the page never loads a model by name.
 */
export const MODELS_URL: URL = new URL(
  "../../../models/",
  import.meta.url ?? globalThis.location?.href,
);

/**
 * Loads a saved model: a bare name (`beatles-dchord-bce`) is `models/<name>.json` of the
 * repository (found relative to this module), anything with a `/` or ending in `.json` a file
 * path. Errors name the file and the bad field.
 *
 * @example
 * ```ts
 * import { DEFAULT_MODEL, loadModel } from "./recognizer.ts";
 * (await loadModel(DEFAULT_MODEL)).labels.length; // 24
 * ```
 */
export async function loadModel(nameOrPath: string): Promise<ChordRecognizer> {
  if (typeof nameOrPath !== "string" || nameOrPath.length === 0) {
    throw new TypeError("loadModel: give a model name or a path to a model JSON file");
  }
  const isPath = nameOrPath.includes("/") || nameOrPath.includes("\\") ||
    nameOrPath.endsWith(".json");
  if (!isPath && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(nameOrPath)) {
    throw new RangeError(`loadModel: ${nameOrPath} is not a model name`);
  }
  const url = isPath ? null : new URL(`${nameOrPath}.json`, MODELS_URL);
  const source = isPath ? nameOrPath : `${nameOrPath} (${url!.href})`;
  let text: string;
  try {
    text = url === null || url.protocol === "file:"
      ? await Deno.readTextFile(url ?? nameOrPath)
      : await (await fetch(url)).text();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        isPath ? `model file ${nameOrPath} not found` : `no model named ${source}`,
      );
    }
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(source, `not valid JSON (${(e as Error).message})`);
  }
  return recognizerFromFile(json, source);
}

/** How {@linkcode decodeChords} turns log-probabilities into one label per frame. */
export type Decoding = "frame" | "viterbi";

/**
 * One chord per frame: the most probable output of each frame (`"frame"`), or the most
 * probable sequence under the model's HMM (`"viterbi"`, the default; {@linkcode viterbiSmooth}
 * with the model's `selfTransition`). Returns indices into `model.labels`.
 *
 * @example
 * ```ts
 * import { decodeChords, loadModel } from "./recognizer.ts";
 * const model = await loadModel("beatles-dchord-bce");
 * const G = Float64Array.from([0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
 * decodeChords(model, { frameRate: model.features.frameRate, treble: [G, G] }); // Int32Array [7, 7]
 * ```
 */
export function decodeChords(
  model: ChordRecognizer,
  features: ChordFeatures,
  options: { decoding?: Decoding } = {},
): Int32Array {
  const decoding = options.decoding ?? "viterbi";
  const lp = model.logProbs(features);
  if (decoding === "viterbi") return viterbiSmooth(lp, { selfTransition: model.selfTransition });
  if (decoding !== "frame") {
    throw new RangeError(`decoding must be "frame" or "viterbi", got ${decoding}`);
  }
  return Int32Array.from(lp, (row) => {
    let best = 0;
    for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
    return best;
  });
}

/**
 * The chord intervals a model finds in a recording ({@linkcode decodeChords}, runs of equal
 * labels merged by `framesToIntervals`), ending at `duration` seconds (default: the end of the
 * last frame).
 *
 * @example
 * ```ts
 * import { chordIntervals, loadModel } from "./recognizer.ts";
 * const model = await loadModel("beatles-dchord-bce");
 * const G = Float64Array.from([0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
 * chordIntervals(model, { frameRate: model.features.frameRate, treble: [G, G] })[0].label; // "G:maj"
 * ```
 */
export function chordIntervals(
  model: ChordRecognizer,
  features: ChordFeatures,
  options: { decoding?: Decoding; duration?: number } = {},
): ChordInterval[] {
  const states = decodeChords(model, features, options);
  if (states.length === 0) return [];
  return framesToIntervals(states, {
    frameRate: features.frameRate,
    labels: model.labels,
    duration: options.duration,
    frameTime: features.frameTime,
  });
}
