// Runs calculate_json on raw JSON texts in Pyodide under Node: the pinned npm package, the built wheel,
// no network. Unlike run_vectors.mjs the texts are passed as they are (no JSON.parse/JSON.stringify in
// JavaScript, whose own stack gives out before Python's for deeply nested values).
//
//   node tests/pyodide/run_json_texts.mjs <pyodide dir> <wheel> <texts.json>
//
// texts.json is a JSON list of strings; prints {"responses": [<calculate_json's response for each>]}.

import { readFile } from "node:fs/promises";

import { loadCalculator } from "./load_calculator.mjs";

const [pyodideDir, wheelPath, textsPath] = process.argv.slice(2);

async function main() {
  const { calculateJson } = await loadCalculator(pyodideDir, wheelPath);
  const texts = JSON.parse(await readFile(textsPath, "utf8"));
  // Each answer is kept as text: the caller compares it with the native one.
  const responses = texts.map((text) => calculateJson(text));
  process.stdout.write(JSON.stringify({ responses }));
}

main().catch((error) => {
  console.error(`run_json_texts.mjs: ${error?.name ?? "Error"}: ${error?.message ?? error}`);
  process.exit(1);
});
