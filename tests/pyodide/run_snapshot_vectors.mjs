// Runs the calculator's vectors in Pyodide under Node restored from the build-time snapshot, as the
// browser's worker restores it: no wheel, an empty standard-library zip, no network.
//
//   node tests/pyodide/run_snapshot_vectors.mjs <pyodide dir> <snapshot dir> <requests.json>
//
// Prints {"version", "manifest", "responses": [calculate_json's response for each request]}.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { bootFromSnapshot, calculateJsonOf, snapshotImage } from "../../overrides/assets/js/calculator/load-calculator.mjs";
import { initialMemory } from "../../overrides/assets/js/calculator/sparse.mjs";

const [pyodideDir, snapshotDir, requestsPath] = process.argv.slice(2);
if (!requestsPath) {
  console.error("usage: node run_snapshot_vectors.mjs <pyodide dir> <snapshot dir> <requests.json>");
  process.exit(2);
}
globalThis.fetch = async (url) => {
  throw new Error(`network access attempted: ${url}`);
};

async function main() {
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const manifest = JSON.parse(await readFile(path.join(snapshotDir, "manifest.json"), "utf8"));
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const packed = new Uint8Array(await readFile(path.join(snapshotDir, manifest.snapshot.file)));
  const runtimeMemory = async () => initialMemory(new Uint8Array(await readFile(path.join(indexURL, "pyodide.asm.wasm"))));
  const pyodide = await bootFromSnapshot(loadPyodide, {
    indexURL,
    image: await snapshotImage(packed, runtimeMemory),
    stdLibURL: path.resolve(snapshotDir, manifest.stdlib.file),
    lockInfo: manifest.lockInfo,
    stderr: (text) => console.error(text),
  });
  pyodide.runPython("import zipimport; zipimport._zip_directory_cache.clear()");
  const calculateJson = calculateJsonOf(pyodide);
  const installed = pyodide.runPython("import os, sysconfig; sorted(os.listdir(sysconfig.get_path('purelib')))").toJs();
  const requests = JSON.parse(await readFile(requestsPath, "utf8"));
  const responses = requests.map((request) => JSON.parse(calculateJson(JSON.stringify(request))));
  process.stdout.write(JSON.stringify({ version: pyodide.version, manifest, installed, responses }));
}

main().catch((error) => {
  console.error(`run_snapshot_vectors.mjs: ${error?.name ?? "Error"}: ${error?.message ?? error}`);
  process.exit(1);
});
