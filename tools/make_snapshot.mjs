// Build-time memory snapshot of a Pyodide interpreter that has already imported the calculator.
//
//   node tools/make_snapshot.mjs <pyodide dir> <wheel> <vectors.json> <out dir>
//
// Writes <out dir>/calculator.snapshot (the wasm memory, ~31 MB, less its zero pages and what the runtime's .wasm already holds: see sparse.mjs),
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

import { bootCold, bootFromSnapshot, calculateJsonOf, snapshotImage } from "../overrides/assets/js/calculator/load-calculator.mjs";
import { initialMemory, pack } from "../overrides/assets/js/calculator/sparse.mjs";

const [pyodideDir, wheelPath, vectorsPath, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node tools/make_snapshot.mjs <pyodide dir> <wheel> <vectors.json> <out dir>");
  process.exit(2);
}

// An empty zip archive (just the end-of-central-directory record).
const EMPTY_ZIP = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

// Zero the memory that nothing uses: the allocator's free chunks and the stack below its pointer.
// They hold leftovers of the build-time warm-up, which would cost bytes to ship and time to inflate;
// zeroed, they compress to nothing and whole pages of them are left out (sparse.mjs). Every free chunk
// is taken with malloc while the heap may not grow, zeroed, and given back. These are Emscripten's own
// exports of Pyodide's module, as private as the snapshot API: without them the image is just larger.
function zeroUnusedMemory(module) {
  const needed = ["_malloc", "_free", "_malloc_footprint", "_malloc_set_footprint_limit", "_emscripten_stack_get_current", "_emscripten_stack_get_end"];
  const missing = needed.filter((name) => typeof module[name] !== "function");
  if (missing.length) {
    console.warn(`make_snapshot.mjs: not zeroing unused memory, Pyodide has no ${missing.join(", ")}`);
    return 0;
  }
  const heapBytes = module.HEAPU8.length;
  let zeroed = 0;
  const taken = [];
  module._malloc_set_footprint_limit(module._malloc_footprint()); // malloc fails rather than grow
  try {
    for (let size = 1 << 24; size >= 16; size >>= 1) {
      for (let pointer = module._malloc(size); pointer !== 0; pointer = module._malloc(size)) {
        module.HEAPU8.fill(0, pointer, pointer + size);
        taken.push(pointer);
        zeroed += size;
      }
    }
  } finally {
    taken.forEach((pointer) => module._free(pointer));
    module._malloc_set_footprint_limit(0xffffffff); // size_t's maximum: no limit
  }
  // The stack grows down; below its pointer is only what returned calls left behind.
  const stackEnd = module._emscripten_stack_get_end();
  const stackPointer = module._emscripten_stack_get_current();
  module.HEAPU8.fill(0, stackEnd, stackPointer);
  zeroed += stackPointer - stackEnd;
  if (module.HEAPU8.length !== heapBytes) throw new Error("the heap grew while unused memory was zeroed");
  return zeroed;
}

async function main() {
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const { loadPyodide, version } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const wheel = new Uint8Array(await readFile(wheelPath));
  const vectors = JSON.parse(await readFile(vectorsPath, "utf8"));
  const lock = JSON.parse(await readFile(path.join(indexURL, "pyodide-lock.json"), "utf8"));
  const requests = [...vectors.vectors, ...vectors.errors].map(({ lang, lines }) => ({ lang, lines }));
  // Every tariff, case and language, and malformed requests, so that every lazy import and cache is warm.
  requests.push({ lang: "en", lines: [] }, { lang: "xx", lines: [] }, { lines: "nonsense" });

  const cold = await bootCold(loadPyodide, { indexURL, wheel, makeSnapshot: true, stderr: (t) => console.error(t) });
  const calculateJson = calculateJsonOf(cold);
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
  const expected = requests.map((request) => calculateJson(JSON.stringify(request)));
  calculateJson.destroy();
  // Nothing in the image that the restored interpreter will not use: the zip importer's table of the
  // full standard library (the browser mounts an empty zip), the import caches, the line cache, and
  // the docstrings of every module, class and function (what python -OO leaves out; about 0.55 MB of
  // text, 0.19 MB of the compressed snapshot: bench/tried.md); the check below proves nothing needed
  // them. gc.freeze() moves every object made so far out of the collector's way, so that collections
  // while the reader types only look at what the calculation itself made.
  cold.runPython(`
import gc, linecache, sys, types, zipimport

CO_HAS_DOCSTRING = 0x4000000  # Python 3.14: a function's docstring is its code's first constant


def svarint(value):
    unsigned = ((-value) << 1) | 1 if value < 0 else value << 1
    out = bytearray()
    while unsigned >= 64:
        out.append(0x40 | (unsigned & 63))
        unsigned >>= 6
    out.append(unsigned)
    return out


def lines_only(code):
    """The location table with line numbers but no columns, as python -X no_debug_ranges writes it
    (CPython's Objects/locations.md: entries of code 13, "no column info", and 15, "no location")."""
    out, line = bytearray(), code.co_firstlineno
    for start, end, lineno in code.co_lines():
        units = (end - start) // 2
        while units > 0:
            length, units = min(units, 8), units - min(units, 8)
            if lineno is None:
                out.append(0x80 | (15 << 3) | (length - 1))
            else:
                out.append(0x80 | (13 << 3) | (length - 1))
                out += svarint(lineno - line)
                line = lineno
    return bytes(out)


def without_docstrings(code):
    consts = tuple(without_docstrings(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    if code.co_flags & CO_HAS_DOCSTRING and consts and isinstance(consts[0], str):
        consts = (None, *consts[1:])
    return code.replace(co_consts=consts, co_linetable=lines_only(code))


for obj in gc.get_objects():
    if isinstance(obj, types.FunctionType):
        obj.__code__ = without_docstrings(obj.__code__)
        obj.__doc__ = None
    elif isinstance(obj, type) and isinstance(obj.__dict__.get("__doc__"), str):
        try:
            obj.__doc__ = None
        except (AttributeError, TypeError):
            pass  # a built-in type's docstring lives in its C code, not in the heap
    elif isinstance(obj, types.ModuleType):
        obj.__doc__ = None
del obj
zipimport._zip_directory_cache.clear()
sys.path_importer_cache.clear()
linecache.clearcache()
gc.collect()
gc.freeze()
`);
  const zeroed = zeroUnusedMemory(cold._module);
  const image = cold.makeMemorySnapshot();
  // Pyodide's image is its own header, then the wasm memory from address 0: the header's second u32
  // says where that starts (its restoreSnapshot reads it so).
  const memoryStart = new DataView(image.buffer, image.byteOffset, 8).getUint32(4, true);
  const runtimeMemory = initialMemory(new Uint8Array(await readFile(path.join(indexURL, "pyodide.asm.wasm"))));
  const snapshot = pack(image, { memory: runtimeMemory, offset: memoryStart });

  // The check: restore with no files at all and compare every response.
  await mkdir(outDir, { recursive: true });
  const emptyZipPath = path.join(path.resolve(outDir), "empty.zip");
  await writeFile(emptyZipPath, EMPTY_ZIP);
  const warm = await bootFromSnapshot(loadPyodide, {
    indexURL,
    image: await snapshotImage(snapshot, async () => runtimeMemory), // as the worker will
    stdLibURL: emptyZipPath,
    lockInfo: lock.info,
    stderr: (t) => console.error(t),
  });
  const restored = calculateJsonOf(warm);
  const differ = requests.filter((request, i) => restored(JSON.stringify(request)) !== expected[i]);
  if (differ.length) {
    console.error(`make_snapshot.mjs: the restored snapshot answers ${differ.length} request(s) differently, e.g. ${JSON.stringify(differ[0])}`);
    process.exit(1);
  }

  const manifest = {
    about: "Written by tools/make_snapshot.mjs; checked by sitebuild/pyodide_assets.py. Do not edit.",
    pyodideVersion: version,
    wheel: { name: path.basename(wheelPath), sha256: sha256(wheel) },
    snapshot: { file: "calculator.snapshot", format: 2, bytes: snapshot.length, imageBytes: image.length, sha256: sha256(snapshot) },
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
  console.log(`snapshot: ${image.length} bytes (${zeroed} of them zeroed as unused), ${snapshot.length} without zero pages, Pyodide ${version}, ${requests.length} requests agree after restore`);
}

main().catch((error) => {
  console.error(`make_snapshot.mjs: ${error?.name ?? "Error"}: ${error?.message ?? error}`);
  process.exit(1);
});
