import { assertEquals } from "@std/assert";
import { BEATLES_MODEL, beatlesModelFile, modelFileText } from "./beatles_model.ts";

Deno.test("models/beatles-dchord-bce.json is what tools/beatles_model.ts writes from the cache", async () => {
  const committed = await Deno.readTextFile(
    new URL(`../models/${BEATLES_MODEL}.json`, import.meta.url),
  );
  assertEquals(modelFileText(await beatlesModelFile()), committed);
});
