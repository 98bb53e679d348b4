// Runs calculate_json on raw JSON texts in Pyodide under Node: the pinned npm package, the built wheel,
// no network. Unlike run_vectors.mjs the texts are passed as they are (no JSON.parse/JSON.stringify in
// JavaScript, whose own stack gives out before Python's for deeply nested values).
//
//   node tests/pyodide/run_json_texts.mjs <pyodide dir> <wheel> <texts.json>
//
// texts.json is a JSON list of strings; prints {"responses": [<calculate_json's response for each>]}.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelPath, textsPath] = process.argv.slice(2);
globalThis.fetch = async (url) => {
  throw new Error(`network access attempted: ${url}`);
};

async function main() {
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: (text) => console.error(text) });
  const wheel = await readFile(wheelPath);
  const extractDir = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(new Uint8Array(wheel.buffer, wheel.byteOffset, wheel.byteLength), "wheel", { extractDir });
  const calculateJson = pyodide.pyimport("calculator.api").calculate_json;
  const texts = JSON.parse(await readFile(textsPath, "utf8"));
  // Each answer is kept as text: the caller compares it with the native one.
  const responses = texts.map((text) => calculateJson(text));
  process.stdout.write(JSON.stringify({ responses }));
}

main().catch((error) => {
  console.error(`run_json_texts.mjs: ${error?.name ?? "Error"}: ${error?.message ?? error}`);
  process.exit(1);
});
