// Booting Pyodide and importing the calculator: the one way, shared by the browser's worker
// (worker.js), the snapshot maker (tools/make_snapshot.mjs) and the Node tests (tests/pyodide/*.mjs).
// Each caller brings Pyodide's `loadPyodide` (imported from the site's copy or the npm package) and
// its bytes (fetched or read from disk); nothing here touches the network or the file system.
// A .mjs file so that Node reads it as a module; the site publishes it under a content-hashed name.

import { needsBase, unpack } from "./sparse.mjs";

/** The calculator's entry point: calculate_json(text) -> text (calculator/api.py). */
export const ENTRY_MODULE = "calculator.api";

const quiet = (stderr) => ({ stdout: () => {}, stderr: stderr ?? ((text) => console.warn(text)) });

/** calculate_json of an interpreter in which the calculator is installed or already imported. */
export function calculateJsonOf(pyodide) {
  return pyodide.pyimport(ENTRY_MODULE).calculate_json;
}

/** The wheel's bytes unpacked into site-packages, as an installer would put them (the default is the working directory). */
export function installWheel(pyodide, wheel) {
  const extractDir = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(wheel, "wheel", { extractDir });
}

/**
 * The cold start: Pyodide with its standard library from `indexURL`, then the wheel (a Uint8Array, or a
 * promise of one, awaited only once Python runs) installed. `onPython()` is called when Python runs.
 * `makeSnapshot` starts it so that makeMemorySnapshot() can be called later (the maker).
 */
export async function bootCold(loadPyodide, { indexURL, wheel, stderr, onPython, makeSnapshot = false }) {
  const pyodide = await loadPyodide({ indexURL, ...(makeSnapshot ? { _makeSnapshot: true } : {}), ...quiet(stderr) });
  onPython?.();
  installWheel(pyodide, await wheel);
  return pyodide;
}

/**
 * The memory image of a packed snapshot (sparse.mjs). A format 2 snapshot needs the runtime's initial
 * memory: `baseMemory` is called for it (a promise of sparse.mjs's initialMemory of the .wasm) only then.
 */
export async function snapshotImage(packed, baseMemory) {
  return unpack(packed, needsBase(packed) ? await baseMemory() : null);
}

/**
 * Pyodide restored from the build-time snapshot (tools/make_snapshot.mjs), in which the calculator is
 * already imported: `image` is the memory image (or a promise of it, which Pyodide awaits while its
 * .wasm arrives), `stdLibURL` the snapshot's empty zip and `lockInfo` the lock file's info block
 * (manifest.json). No wheel, and no standard library: every module the calculator uses is in memory.
 */
export function bootFromSnapshot(loadPyodide, { indexURL, image, stdLibURL, lockInfo, stderr }) {
  return loadPyodide({
    indexURL,
    _loadSnapshot: image,
    stdLibURL,
    lockFileContents: { info: lockInfo, packages: {} },
    ...quiet(stderr),
  });
}
