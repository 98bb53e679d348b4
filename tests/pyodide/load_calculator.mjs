// The calculator in Pyodide under Node, as the browser's worker starts it cold: the pinned npm
// package, the built wheel unpacked into site-packages, and no network (any fetch throws).
// Shared by run_vectors.mjs and run_json_texts.mjs.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

// Nothing may be fetched from the network: Pyodide must find everything in the local package.
globalThis.fetch = async (url) => {
  throw new Error(`network access attempted: ${url}`);
};

/** Pyodide from `pyodideDir` with the wheel at `wheelPath` unpacked; returns {pyodide, calculateJson}. */
export async function loadCalculator(pyodideDir, wheelPath) {
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: (text) => console.error(text) });
  // A plain Uint8Array, as the browser's worker passes it (unpackArchive refuses Node's Buffer).
  const wheel = await readFile(wheelPath);
  const extractDir = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(new Uint8Array(wheel.buffer, wheel.byteOffset, wheel.byteLength), "wheel", { extractDir });
  return { pyodide, calculateJson: pyodide.pyimport("calculator.api").calculate_json };
}
