/**
 * TensorFlow.js, pinned in this one place (the library imports it from here, and `deno.json`
 * maps `@tensorflow/tfjs` here for the notebooks and tools, so every part uses the same copy).
 * An `npm:` specifier with its version works from any script, inside the repository or not.
 *
 * Production mode is switched on here (`env().set("PROD", true)`, what `tf.enableProdMode()`
 * does): it silences tfjs's console warnings, among them the banner "Hi, looks like you are
 * running TensorFlow.js in Node.js ... install our node backend" that the CPU backend prints on
 * first use under Deno (tfjs-node does not run in Deno, so the advice does not apply). The
 * debug checks that production mode turns off are off by default anyway.
 *
 * Only the tfjs side of the library (`lib/tf.ts`) loads it; the root `lib/mod.ts` does not.
 *
 * @example
 * ```ts
 * import * as tf from "./tfjs.ts";
 * tf.version.tfjs; // "4.22.0"
 * ```
 *
 * @module
 */
// deno-lint-ignore no-import-prefix -- the one pinned place of tfjs, as the export below
import { env } from "npm:@tensorflow/tfjs@4.22.0";
export * from "npm:@tensorflow/tfjs@4.22.0";

env().set("PROD", true);
