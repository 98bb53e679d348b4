// Runs the calculator's vectors in Pyodide under Node: the pinned npm package, the built wheel, no network.
//
//   node tests/pyodide/run_vectors.mjs <pyodide dir> <wheel> <requests.json>
//
// requests.json is a JSON list of requests ({lang, lines}); the script prints one JSON object:
// {"version": <Pyodide version>, "responses": [<calculate_json's response for each request>]}.
// Only the calculator's own entry point is called, exactly as the browser's worker calls it.

import { readFile } from "node:fs/promises";

import { loadCalculator } from "./load_calculator.mjs";

const [pyodideDir, wheelPath, requestsPath] = process.argv.slice(2);
if (!pyodideDir || !wheelPath || !requestsPath) {
  console.error("usage: node run_vectors.mjs <pyodide dir> <wheel> <requests.json>");
  process.exit(2);
}

async function main() {
  const { pyodide, calculateJson } = await loadCalculator(pyodideDir, wheelPath);
  const module = pyodide.runPython("import calculator; calculator.__file__");

  const requests = JSON.parse(await readFile(requestsPath, "utf8"));
  const responses = requests.map((request) => JSON.parse(calculateJson(JSON.stringify(request))));
  process.stdout.write(JSON.stringify({ version: pyodide.version, module, responses }));
}

main().catch((error) => {
  // The message only: a stack through pyodide.asm.mjs would print a megabyte of minified code.
  console.error(`run_vectors.mjs: ${error?.name ?? "Error"}: ${error?.message ?? error}`);
  process.exit(1);
});
