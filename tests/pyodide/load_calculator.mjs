// The calculator in Pyodide under Node, started cold as the browser's worker starts it (the shared
// overrides/assets/js/calculator/load-calculator.mjs): the pinned npm package, the built wheel, and no
// network (any fetch throws). The Node side only: where the files are. Used by run_vectors.mjs and
// run_json_texts.mjs.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { bootCold, calculateJsonOf } from "../../overrides/assets/js/calculator/load-calculator.mjs";

// Nothing may be fetched from the network: Pyodide must find everything in the local package.
globalThis.fetch = async (url) => {
  throw new Error(`network access attempted: ${url}`);
};

/** Pyodide from `pyodideDir` with the wheel at `wheelPath` installed; returns {pyodide, calculateJson}. */
export async function loadCalculator(pyodideDir, wheelPath) {
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const wheel = new Uint8Array(await readFile(wheelPath)); // a plain Uint8Array: unpackArchive refuses Node's Buffer
  const pyodide = await bootCold(loadPyodide, { indexURL, wheel, stderr: (text) => console.error(text) });
  return { pyodide, calculateJson: calculateJsonOf(pyodide) };
}
