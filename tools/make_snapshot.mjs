// Build-time memory snapshot of a Pyodide interpreter that has already imported the calculator.
//
//   node tools/make_snapshot.mjs <pyodide dir> <wheel> <vectors.json> <out dir>
//
// Writes <out dir>/calculator.snapshot (the wasm memory, ~31 MB, less its zero pages: see sparse.mjs),
// <out dir>/empty.zip (the "standard library" a snapshot start mounts: every module the calculator
// needs is already in memory) and <out dir>/manifest.json (Pyodide version, the wheel's sha256, the snapshot's sha256, the lock
// file's info block). The worker (overrides/assets/js/calculator/worker.js) loads it with Pyodide's
// private `_loadSnapshot` option, which exists in 314.x only and refuses a snapshot of another build.
//
// Before writing, the snapshot is checked the way the browser will use it: a second interpreter is
// restored from it with no files at all (empty standard library, empty site-packages) and must give
// the same response as the cold interpreter for every vector and error of tests/vectors.json.
// Any difference exits non-zero, so `make` stops rather than publish a snapshot that answers wrongly.

import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { pack, unpack } from "../overrides/assets/js/calculator/sparse.mjs";

const [pyodideDir, wheelPath, vectorsPath, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node tools/make_snapshot.mjs <pyodide dir> <wheel> <vectors.json> <out dir>");
  process.exit(2);
}

// An empty zip archive (just the end-of-central-directory record).
const EMPTY_ZIP = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

async function main() {
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const { loadPyodide, version } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const wheel = new Uint8Array(await readFile(wheelPath));
  const vectors = JSON.parse(await readFile(vectorsPath, "utf8"));
  const lock = JSON.parse(await readFile(path.join(indexURL, "pyodide-lock.json"), "utf8"));
  const requests = [...vectors.vectors, ...vectors.errors].map(({ lang, lines }) => ({ lang, lines }));
  // Every tariff, case and language, and malformed requests, so that every lazy import and cache is warm.
  requests.push({ lang: "en", lines: [] }, { lang: "xx", lines: [] }, { lines: "nonsense" });

  const cold = await loadPyodide({ indexURL, _makeSnapshot: true, stdout: () => {}, stderr: (t) => console.error(t) });
  const extractDir = cold.runPython("import sysconfig; sysconfig.get_path('purelib')");
  cold.unpackArchive(wheel, "wheel", { extractDir });
  const api = cold.pyimport("calculator.api");
  cold.runPython(`
import calculator, calculator.api, calculator.cli, json
book = calculator.default_tariff()
for lang in calculator.LANGUAGES:
    for tariff in book.tariffs.values():
        for case in book.cases_for(tariff.id):
            for minutes in ("", "0", "1", "20", "90", "2:10", "1,5", "x", "-1", "99999"):
                calculator.api.calculate_json(json.dumps({"lang": lang, "lines": [{"tariff": tariff.id, "case": case.id, "minutes": minutes}]}))
import gc; gc.collect()
`);
  const expected = requests.map((request) => api.calculate_json(JSON.stringify(request)));
  api.destroy();
  const image = cold.makeMemorySnapshot();
  const snapshot = pack(image);

  // The check: restore with no files at all and compare every response.
  await mkdir(outDir, { recursive: true });
  const emptyZipPath = path.join(path.resolve(outDir), "empty.zip");
  await writeFile(emptyZipPath, EMPTY_ZIP);
  const warm = await loadPyodide({
    indexURL,
    _loadSnapshot: unpack(snapshot), // as the worker will
    stdLibURL: emptyZipPath,
    lockFileContents: { info: lock.info, packages: {} },
    stdout: () => {},
    stderr: (t) => console.error(t),
  });
  // The zip importer would otherwise read the full standard library's offsets from the empty zip.
  warm.runPython("import zipimport; zipimport._zip_directory_cache.clear()");
  const restored = warm.pyimport("calculator.api");
  const differ = requests.filter((request, i) => restored.calculate_json(JSON.stringify(request)) !== expected[i]);
  if (differ.length) {
    console.error(`make_snapshot.mjs: the restored snapshot answers ${differ.length} request(s) differently, e.g. ${JSON.stringify(differ[0])}`);
    process.exit(1);
  }

  const manifest = {
    about: "Written by tools/make_snapshot.mjs; checked by hooks/pyodide_assets.py. Do not edit.",
    pyodideVersion: version,
    wheel: { name: path.basename(wheelPath), sha256: sha256(wheel) },
    snapshot: { file: "calculator.snapshot", bytes: snapshot.length, imageBytes: image.length, sha256: sha256(snapshot) },
    stdlib: { file: "empty.zip", sha256: sha256(EMPTY_ZIP) },
    lockInfo: lock.info,
    checkedRequests: requests.length,
  };
  const write = async (name, data) => {
    const partial = path.join(outDir, `${name}.${process.pid}.tmp`);
    await writeFile(partial, data);
    await rename(partial, path.join(outDir, name));
  };
  await write("calculator.snapshot", snapshot);
  await write("manifest.json", JSON.stringify(manifest, null, 1) + "\n"); // last: it vouches for the others
  console.log(`snapshot: ${image.length} bytes, ${snapshot.length} without zero pages, Pyodide ${version}, ${requests.length} requests agree after restore`);
}

main().catch((error) => {
  console.error(`make_snapshot.mjs: ${error?.name ?? "Error"}: ${error?.message ?? error}`);
  process.exit(1);
});
