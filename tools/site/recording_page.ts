/**
 * The course site's "Your recording" page (`recording.html`, issue 20): writes what the page
 * loads into the site folder (`recording-model.js`, the default model's JSON file as
 * `window.RECORDING_MODEL`; `recording.js`, `tools/site/recording.ts` bundled with the library
 * by `deno bundle --platform browser`) and returns the page's body (`tools/site/recording.html`
 * and its scripts). `tools/site/build.ts` puts the body in the course shell;
 * {@linkcode standaloneRecordingPage} wraps it in a bare page for the browser test
 * (tools/site/recording_test.ts), which does not need the notebooks.
 *
 * @example
 * ```ts
 * import { recordingBody } from "./recording_page.ts";
 * const body = await recordingBody(await Deno.makeTempDir());
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_MODEL, MODELS_URL, recognizerFromFile } from "../../lib/chords/mod.ts";
import { bundlePageScript } from "./bundle.ts";

const SITE_DIR = fileURLToPath(new URL(".", import.meta.url));

/** Title of the page. */
export const RECORDING_TITLE = "Your recording";

/** Writes `recording-model.js` and `recording.js` into `outDir`; returns the page's body. */
export async function recordingBody(outDir: string): Promise<string> {
  const modelFile = fileURLToPath(new URL(`${DEFAULT_MODEL}.json`, MODELS_URL));
  const json = JSON.parse(await Deno.readTextFile(modelFile));
  recognizerFromFile(json, modelFile); // refuse a bad model at build time, not in the page
  await Deno.writeTextFile(
    join(outDir, "recording-model.js"),
    `window.RECORDING_MODEL = ${JSON.stringify(json)};\n`,
  );
  await bundlePageScript(join(SITE_DIR, "recording.ts"), join(outDir, "recording.js"));
  const body = await Deno.readTextFile(join(SITE_DIR, "recording.html"));
  return `${body}
<script src="plotly.min.js"></script>
<script src="recording-model.js"></script>
<script src="recording.js"></script>`;
}

/**
 * A bare page around {@link recordingBody} (no course header, contents or MathJax), with the
 * course style sheet: what the browser test serves. `outDir` must hold `plotly.min.js`.
 */
export async function standaloneRecordingPage(outDir: string): Promise<void> {
  const body = await recordingBody(outDir);
  await Deno.copyFile(join(SITE_DIR, "site.css"), join(outDir, "site.css"));
  await Deno.writeTextFile(
    join(outDir, "recording.html"),
    `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${RECORDING_TITLE}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="site.css">
</head>
<body class="course-page recording-page">
<main class="course-main">
${body}
</main>
</body>
</html>
`,
  );
}
