/**
 * The "Your recording" page in a browser: the page (tools/site/recording_page.ts, bare, without
 * the notebooks) is served on 127.0.0.1 and opened in headless Chromium (Debian's, driven by
 * puppeteer-core); a 44.1 kHz stereo WAV of synthesized triads with known chords and times
 * (lib/recordings/testdata/triads.ts, 57 s) is loaded into its file input. The page's chords and
 * boundaries must equal what `deno task chords` writes for the same file, its alignment of a
 * typed chord text what `deno task align` writes, its `.lab` download the command's `.lab`; the
 * timeline's cursor must follow the player; no console error and no request outside the folder.
 * The page's time (WebAudio decoding, mix-down, resampling, recognition) is printed as a ratio to
 * Deno's for the same steps (`decodeRecording` + `recognizeChords`, median of 3); it is reported,
 * not asserted (a shared machine).
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { extname, join, resolve } from "node:path";
import { decodeRecording } from "../../lib/audio/mod.ts";
import { type ChordInterval, DEFAULT_MODEL, loadModel } from "../../lib/chords/mod.ts";
import { recognizeChords } from "../../lib/recordings/mod.ts";
import { repeatSong, TRIAD_SONG, triadWav } from "../../lib/recordings/testdata/triads.ts";
import { launchChromium } from "./browser_check.ts";
import { standaloneRecordingPage } from "./recording_page.ts";
import { ROOT } from "../notebooks.ts";
import type { RecordingState } from "./recording.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

async function task(...args: string[]): Promise<string> {
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  assert(res.success, `deno task ${args.join(" ")}: ${dec.decode(res.stderr)}`);
  return dec.decode(res.stdout);
}

Deno.test("recording page: chords, alignment and .lab equal the Deno commands' for a WAV", async () => {
  const dir = await Deno.makeTempDir({ prefix: "recording-page-" });
  const site = join(dir, "site");
  const profile = join(dir, "profile");
  await Deno.mkdir(site);
  await Deno.mkdir(profile);
  const missing: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    const file = resolve(site, `.${path}`);
    try {
      if (!file.startsWith(site)) throw new Error("outside");
      return new Response(await Deno.readFile(file), {
        headers: { "content-type": TYPES[extname(file)] ?? "application/octet-stream" },
      });
    } catch {
      missing.push(path);
      return new Response("not found", { status: 404 });
    }
  });
  const browser = await launchChromium(profile);
  try {
    await Deno.copyFile(
      join(ROOT, "node_modules", "plotly.js", "dist", "plotly.min.js"),
      join(site, "plotly.min.js"),
    );
    await standaloneRecordingPage(site);
    const song = repeatSong(TRIAD_SONG, 6);
    const wav = join(dir, "triads.wav");
    const bytes = triadWav(44100, song);
    await Deno.writeFile(wav, bytes);
    const text = song.map((c) => c.symbol).join(" ");
    await Deno.writeTextFile(join(dir, "chords.txt"), text);

    // What the commands give.
    await task("chords", wav, "--out", join(dir, "out"), "--format", "json");
    await task("chords", wav, "--out", join(dir, "out"));
    const deno = JSON.parse(await Deno.readTextFile(join(dir, "out", "triads.json")));
    const denoLab = await Deno.readTextFile(join(dir, "out", "triads.lab"));
    const denoAlign = JSON.parse(
      await task("align", wav, join(dir, "chords.txt"), "--format", "json"),
    ).chords;
    const runs = song.map((c) => c.label).filter((l, i, all) => i === 0 || all[i - 1] !== l);
    assertEquals(deno.chords.map((c: ChordInterval) => c.label), runs);

    // Deno's time for the page's steps.
    const model = await loadModel(DEFAULT_MODEL);
    const times: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const rec = await decodeRecording(bytes);
      recognizeChords(model, rec.samples, rec.sampleRate);
      times.push(performance.now() - t0);
    }
    const denoMs = times.sort((a, b) => a - b)[1];

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      const url = r.url();
      const local = url.startsWith(`http://127.0.0.1:${server.addr.port}/`) ||
        url.startsWith("blob:") || url.startsWith("data:"); // the player's own icons
      if (!local) errors.push(`request outside the folder: ${url.slice(0, 100)}`);
    });
    await page.goto(`http://127.0.0.1:${server.addr.port}/recording.html`, { waitUntil: "load" });
    const input = await page.$("#file");
    assert(input, "no file input");
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(wav);
    await page.waitForSelector('#status[data-done="1"]', { timeout: 60000 });
    const state = await page.evaluate(() =>
      (globalThis as unknown as { RECORDING_STATE: RecordingState }).RECORDING_STATE
    );
    assertEquals(state.error, null);
    assertEquals(
      state.intervals.map((c) => c.label),
      deno.chords.map((c: ChordInterval) => c.label),
    );
    state.intervals.forEach((c, i) => {
      assertAlmostEquals(c.start, deno.chords[i].start, 1e-9);
      assertAlmostEquals(c.end, deno.chords[i].end, 1e-9);
    });

    // The .lab download is the command's .lab.
    const lab = await page.evaluate(async () => {
      const a = document.getElementById("download") as HTMLAnchorElement;
      return [a.download, await (await fetch(a.href)).text()];
    });
    assertEquals(lab, ["triads.lab", denoLab]);

    // The cursor follows the player.
    const cursor = await page.evaluate(async () => {
      const player = document.getElementById("player") as HTMLAudioElement;
      await new Promise((ok) => {
        player.addEventListener("seeked", ok, { once: true });
        player.currentTime = 12.5;
      });
      await new Promise((ok) => setTimeout(ok, 100));
      const el = document.getElementById("timeline") as unknown as {
        layout: { shapes: { x0: number }[] };
      };
      return el.layout.shapes[0].x0;
    });
    assertAlmostEquals(cursor, 12.5, 1e-6);

    // A typed chord text, aligned as `deno task align` does.
    await page.evaluate((t) => {
      (document.getElementById("chord-text") as HTMLTextAreaElement).value = t;
    }, text);
    await page.click("#align");
    await page.waitForSelector("#alignment:not([hidden])");
    const aligned = await page.evaluate(() =>
      (globalThis as unknown as { RECORDING_STATE: RecordingState }).RECORDING_STATE.alignment
    );
    assert(aligned);
    assertEquals(aligned.length, denoAlign.length);
    aligned.forEach((c, i) => {
      assertEquals(c.harte, denoAlign[i].harte);
      assertAlmostEquals(c.start, denoAlign[i].start, 1e-9);
      assertAlmostEquals(c.end, denoAlign[i].end, 1e-9);
      assertAlmostEquals(c.confidence, denoAlign[i].confidence, 1e-9);
    });
    const heatmap = await page.evaluate(() =>
      (document.getElementById("heatmap") as unknown as { data?: { z: number[][] }[] }).data?.[0]
        .z.length
    );
    assertEquals(heatmap, song.length);
    // A bad token is named on the page.
    await page.evaluate(() => {
      (document.getElementById("chord-text") as HTMLTextAreaElement).value = "C Hm G";
    });
    await page.click("#align");
    const message = await page.$eval("#align-error", (e) => (e as HTMLElement).textContent);
    assert(message?.includes('"Hm"'), `error shown: ${message}`);

    assertEquals(errors, []);
    assertEquals(missing, []);
    console.log(
      `recording page: ${state.intervals.length} chords of a ${
        song[song.length - 1].end
      } s WAV in ${state.timings.total.toFixed(0)} ms (decode ${
        state.timings.decode.toFixed(0)
      }, resample ${state.timings.resample.toFixed(0)}, recognize ${
        state.timings.recognize.toFixed(0)
      }); Deno ${denoMs.toFixed(0)} ms; page / Deno = ${(state.timings.total / denoMs).toFixed(2)}`,
    );
  } finally {
    await browser.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
