// The calculator's module Web Worker. Nothing of Python runs on the page's main thread.
//
// SETUP loads Pyodide from the site's own copy (indexURL, never a CDN). With a `snapshot` it restores
// the build-time memory image in which calculator.api is already imported (tools/make_snapshot.mjs),
// from the copy kept at the reader's last visit when there is one (snapshot-cache.js); without one, or
// when that fails in any way, it starts cold: fetches the calculator's wheel, checks it against its
// sha256 (wheelSHA256, as the snapshot is checked: a changed wheel is refused, never run), unpacks it
// into site-packages and imports calculator.api. CALCULATE hands a request to calculate_json and returns
// its response. See protocol.js for the message types. The page's boot.js also puts its SETUP in this
// script's URL fragment, so that Python starts the moment the script runs.

import { bootCold, bootFromSnapshot, calculateJsonOf, snapshotImage } from "./load-calculator.mjs";
import { ERRORS, TYPES, errorMessage, isRequest } from "./protocol.js";
import { keep, readKept } from "./snapshot-cache.js";
import { initialMemory, pack, unpack } from "./sparse.mjs";

let started = null; // Promise<{calculate, timings}>, made by the first SETUP
let setup = null; // that SETUP, to start again cold if a snapshot start misbehaves
// When each start-up stage was reached, in ms since the epoch, so that `make bench` can line them up
// with the page's own timeline (a worker's performance.now() counts from the worker's creation).
// They go to the page in READY's timings.at.
const reachedAt = {};
const stamp = (stage) => { reachedAt[stage] = performance.timeOrigin + performance.now(); };
stamp("workerStarted");

// Every byte this worker downloads, Pyodide's own fetches (the runtime's .wasm, the standard library)
// included: the page shows it as progress in megabytes and measures its start-up timeout from the last
// byte, so that a slow connection is never taken for a browser that cannot run the calculator.
// Counted as the response body is read (after any Content-Encoding is undone), reported at most every
// REPORT_EVERY_MS to whoever set `downloads.report`.
const REPORT_EVERY_MS = 250;
const downloads = { received: 0, report: null, timer: 0 };

function reportDownloads() {
  downloads.timer = 0;
  downloads.report?.(downloads.received);
}

function counter() {
  return new TransformStream({
    transform(chunk, controller) {
      downloads.received += chunk.byteLength;
      downloads.timer ||= setTimeout(reportDownloads, REPORT_EVERY_MS);
      controller.enqueue(chunk);
    },
    flush() {
      clearTimeout(downloads.timer);
      reportDownloads(); // a finished file at once: the page's timeout counts from its last byte
    },
  });
}

function counting(response, url = response.url) {
  if (!response.body) return response;
  const counted = new Response(response.body.pipeThrough(counter()), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // WebAssembly.instantiateStreaming and Pyodide read these of the original.
  Object.defineProperty(counted, "url", { value: url });
  return counted;
}

// The runtime's .wasm as Pyodide downloads it, for a snapshot that is stored as its difference from
// the memory the .wasm starts with (sparse.mjs, format 2): read from a copy of Pyodide's own download
// (Response.clone), so it is fetched once. Set `runtimeWasm.wanted` before Pyodide fetches it.
const runtimeWasm = { wanted: false, bytes: null, arrived: null };
runtimeWasm.bytes = new Promise((resolve) => { runtimeWasm.arrived = resolve; });

// Where the host sends files as they are, {plain: true, decoder}: the brotli decoder (null if it cannot
// load) that the runtime's .wasm and the snapshot are fetched as their .br copies with. Asked once, by
// start() (hostOf); null without a snapshot.
let host = null;

const fetchUncounted = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const isGet = (init?.method ?? "GET").toUpperCase() === "GET";
  const path = String(input?.url ?? input).split(/[?#]/)[0];
  const isWasm = isGet && path.endsWith("/pyodide.asm.wasm");
  const decoded = isWasm && host ? await brotliCopyOf((await host).decoder, path, "application/wasm") : null;
  const response = decoded ?? (await fetchUncounted(input, init));
  if (!isGet) return response;
  const counted = counting(response, decoded ? path : response.url);
  if (runtimeWasm.wanted && counted.ok && isWasm) {
    runtimeWasm.wanted = false;
    runtimeWasm.arrived(counted.clone().arrayBuffer().then((buffer) => new Uint8Array(buffer)));
  }
  return counted;
};

function describe(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

// A quick look at the .wasm before Pyodide fetches it. A blocked request or a wrong MIME type makes
// loadPyodide hang rather than fail; this turns those into an error at once (the page's timeout stays
// as the backstop). A host that refuses HEAD proves nothing either way, so only clear failures count.
async function checkRuntime(wasmURL) {
  let response;
  try {
    response = await fetch(wasmURL, { method: "HEAD" });
  } catch (error) {
    throw new Error(`${wasmURL} cannot be fetched: ${describe(error)}`, { cause: error });
  }
  if (response.status === 404 || response.status === 410) throw new Error(`${wasmURL}: HTTP ${response.status}`);
  const type = response.headers.get("content-type") ?? "";
  if (response.ok && !type.toLowerCase().startsWith("application/wasm")) {
    throw new Error(`${wasmURL} is served as "${type}", not application/wasm`);
  }
}

const never = new Promise(() => {});

async function sha256Hex(bytes) {
  if (!self.crypto?.subtle) throw new Error("no crypto.subtle to check a download with (not a secure context)");
  const digest = new Uint8Array(await self.crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The start-up snapshot, checked against its sha256 before Python sees a byte of it: a snapshot is a
// raw memory image, so a corrupt one must never be loaded. From the copy kept at the last visit when
// there is a good one (snapshot-cache.js), else from the site.
async function snapshotBytes(snapshot) {
  const { url, sha256 } = snapshot;
  const name = `${sha256}.snapshot`;
  const kept = await readKept(name);
  const keptImage = kept && (await selfContainedImage(kept));
  if (keptImage) {
    runtimeWasm.wanted = false; // not needed: the kept copy holds the whole image
    stamp("snapshotReady");
    return { image: keptImage, from: "kept", name, packed: null, base: null };
  }
  const { body, via } = await snapshotDownload(snapshot);
  const packed = new Uint8Array(await new Response(body).arrayBuffer());
  // Over the inflated bytes: whichever way they came, they must be the build's snapshot.
  if ((await sha256Hex(packed)) !== sha256) throw new Error(`${url} does not match its sha256`);
  stamp("snapshotReady");
  let base = null;
  const image = await snapshotImage(packed, async () => (base = await runtimeMemory()));
  return { image, from: "network", via, name, packed, base };
}

// The kept copy is self-contained, so that the next visit need not wait for the .wasm to put the image
// together: the sha256 of the rest (32 bytes), then the image packed without a base (sparse.mjs
// format 1). The hash guards against a damaged file; the name ties it to the snapshot it was made from.
async function selfContained(packed, base) {
  const body = pack(unpack(packed, base));
  const digest = (await sha256Hex(body)).match(/../g).map((pair) => parseInt(pair, 16));
  const file = new Uint8Array(32 + body.length);
  file.set(digest);
  file.set(body, 32);
  return file;
}

async function selfContainedImage(kept) {
  if (kept.length <= 32) return null;
  const body = kept.subarray(32);
  const expected = Array.from(kept.subarray(0, 32), (byte) => byte.toString(16).padStart(2, "0")).join("");
  if ((await sha256Hex(body)) !== expected) return null;
  try {
    return unpack(body);
  } catch {
    return null; // an older kind of copy, or not one at all: download the snapshot
  }
}

// Read once: the 9.6 MB of the .wasm's copy are not kept for the worker's lifetime.
async function runtimeMemory() {
  const { bytes } = runtimeWasm;
  runtimeWasm.bytes = null;
  if (!bytes) throw new Error("the runtime's .wasm was read already");
  return initialMemory(await bytes);
}

// The snapshot's body, the smaller way this host allows. A host that negotiates Content-Encoding
// (deploy/nginx.conf, tools/serve.py) sends the snapshot itself as brotli or gzip ("encoded"). A plain
// host (GitHub Pages, most CDNs) sends application/octet-stream as it is, 14 MB: there its brotli copy
// (beside it) is fetched as a file and decoded here by brotli-dec-wasm ("brotli-file"), or, if that
// decoder cannot load, its gzip copy (gzipURL) inflated by DecompressionStream ("gzip-file"). A HEAD
// request tells which kind of host this is (one round trip, while pyodide.mjs is on its way anyway).
async function hostOf({ url, gzipURL, brotliDecoder }) {
  if (!gzipURL) return { plain: false, decoder: null }; // no copies (PYODIDE_PRECOMPRESS=off)
  const head = await fetchUncounted(url, { method: "HEAD" }).catch(() => null);
  if (!head?.ok || head.headers.get("content-encoding")) return { plain: false, decoder: null };
  const decoder = brotliDecoder ? await loadBrotliDecoder(brotliDecoder, url).catch(warnedNull) : null;
  return { plain: true, decoder };
}

async function snapshotDownload({ url, gzipURL }) {
  const { plain, decoder } = await host;
  if (plain) {
    const brotliCopy = await brotliCopyOf(decoder, url);
    if (brotliCopy) return { body: brotliCopy.body.pipeThrough(counter()), via: "brotli-file" };
    const copy = typeof DecompressionStream === "function" && (await fetchUncounted(new URL(gzipURL, url)).catch(() => null));
    if (copy?.ok && copy.body) {
      // Counted once inflated, as every other download is counted (the page's total is in those bytes).
      return { body: copy.body.pipeThrough(new DecompressionStream("gzip")).pipeThrough(counter()), via: "gzip-file" };
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return { body: response.body, via: "encoded" };
}

function warnedNull(error) {
  console.warn("calculator: the brotli copy cannot be used, taking another:", describe(error));
  return null;
}

// brotli-dec-wasm (npm, pinned; published content-hashed beside the site's other assets).
async function loadBrotliDecoder({ moduleURL, wasmURL }, base) {
  const brotli = await import(new URL(moduleURL, base).href);
  // Uncounted: the page's download total (downloadBytes) is what Pyodide needs, the same on every host.
  await brotli.default({ module_or_path: fetchUncounted(new URL(wasmURL, base)) });
  return brotli;
}

// The .br copy of the file at url, decoded as it arrives; null without a decoder or if it cannot be had.
function brotliCopyOf(decoder, url, type) {
  return decoder ? brotliFile(decoder, `${url}.br`, type).catch(warnedNull) : null;
}

const DECODED_CHUNK = 1 << 20;

// A file's .br copy, fetched as a plain file and decoded here (uncounted: counted once decoded).
async function brotliFile(brotli, url, type = "application/octet-stream") {
  const response = await fetchUncounted(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const stream = new brotli.DecompressStream();
  const { NeedsMoreOutput, NeedsMoreInput, ResultSuccess } = brotli.BrotliStreamResultCode;
  const decoding = new TransformStream({
    transform(chunk, controller) {
      let code;
      let offset = 0;
      do {
        const result = stream.decompress(chunk.subarray(offset), DECODED_CHUNK);
        if (result.buf.length) controller.enqueue(result.buf);
        code = result.code;
        offset += result.input_offset;
      } while (code === NeedsMoreOutput);
      if (code !== NeedsMoreInput && code !== ResultSuccess) throw new Error(`${url}: brotli error ${code}`);
    },
  });
  return new Response(response.body.pipeThrough(decoding), { status: 200, headers: { "content-type": type } });
}

function calculatorOf(pyodide) {
  const calculateJson = calculateJsonOf(pyodide);
  // One throw-away call reads the tariff file and the texts (a snapshot has them already), and proves
  // that the calculator answers.
  JSON.parse(calculateJson(JSON.stringify({ lang: "en", lines: [] })));
  return (request) => JSON.parse(calculateJson(JSON.stringify(request)));
}

// From the build-time snapshot (tools/make_snapshot.mjs): Python with the calculator already imported.
// Its standard library is an empty zip and it needs no wheel: every module it uses is in the image.
async function fromSnapshot(loadPyodide, indexURL, snapshot, bytes, unusable) {
  const image = bytes.then((kept) => kept.image);
  const stderr = (text) => console.warn(text);
  const pyodide = await Promise.race([
    bootFromSnapshot(loadPyodide, { indexURL, image, stdLibURL: snapshot.stdlibURL, lockInfo: snapshot.lockInfo, stderr }),
    unusable,
  ]);
  stamp("pythonRestored");
  return calculatorOf(pyodide);
}

// The wheel's bytes once they match the sha256 the build wrote into the page; a wheel changed on the
// server or on its way (another price, another rule) is refused with a message, never unpacked.
async function checkedWheel(wheel, wheelURL, wheelSHA256) {
  const bytes = await wheel;
  if (typeof wheelSHA256 !== "string" || !/^[0-9a-f]{64}$/.test(wheelSHA256)) {
    throw new Error(`no sha256 to check the calculator's wheel ${wheelURL} against: refusing to run it`);
  }
  if ((await sha256Hex(bytes)) !== wheelSHA256) {
    throw new Error(`${wheelURL} does not match its sha256: the calculator's wheel was changed, refusing to run it`);
  }
  return bytes;
}

// The cold start: the runtime and its standard library, then the wheel unpacked into site-packages.
async function cold(loadPyodide, indexURL, wheel, unusable, reached) {
  const onPython = () => reached("python");
  const pyodide = await Promise.race([bootCold(loadPyodide, { indexURL, wheel, onPython }), unusable]);
  return calculatorOf(pyodide);
}

// Once the calculator is answering, and the reader's first estimate has gone out: the work of writing
// 14 MB must not delay either.
const KEEP_AFTER_MS = 3000;

function keepForNextVisit(snapshot) {
  if (snapshot.from !== "network") return;
  const { name } = snapshot; // not the snapshot itself: its 31 MB image can go now
  let { packed, base } = snapshot;
  snapshot.packed = snapshot.base = null;
  setTimeout(async () => {
    try {
      await keep(name, await selfContained(packed, base));
    } catch {
      // only a cache: the next visit downloads the snapshot again
    } finally {
      packed = base = null;
    }
  }, KEEP_AFTER_MS);
}

async function start(id, { indexURL, wheelURL, wheelSHA256, snapshot = null }, { snapshotAllowed = true } = {}) {
  const timings = { at: reachedAt };
  const reached = (stage) => self.postMessage({ id, type: TYPES.PROGRESS, stage });
  downloads.report = (received) => self.postMessage({ id, type: TYPES.PROGRESS, stage: "download", received });
  const useSnapshot = Boolean(snapshot && snapshotAllowed);
  runtimeWasm.wanted = useSnapshot;
  if (snapshot) host ??= hostOf(snapshot); // a cold start on a plain host takes the .wasm's .br copy too
  // Everything is fetched at once, before Pyodide's own module has even arrived.
  const bytes = useSnapshot ? snapshotBytes(snapshot) : null;
  bytes?.then(({ from, via }) => { timings.snapshotFrom = from; timings.snapshotVia = via ?? "kept"; }, () => {}); // awaited by loadPyodide
  const fetchWheel = () => checkedWheel(fetchBytes(wheelURL), wheelURL, wheelSHA256);
  let wheel = useSnapshot ? null : fetchWheel();
  wheel?.catch(() => {});
  // Rejects as soon as the runtime is known to be unusable; otherwise never settles.
  const unusable = checkRuntime(new URL("pyodide.asm.wasm", indexURL).href).then(() => never);
  const { loadPyodide } = await Promise.race([import(new URL("pyodide.mjs", indexURL).href), unusable]);
  stamp("runtimeImported");
  reached("runtime");
  let calculate = null;
  if (useSnapshot) {
    try {
      calculate = await fromSnapshot(loadPyodide, indexURL, snapshot, bytes, unusable);
      timings.start = "snapshot";
      keepForNextVisit(await bytes);
    } catch (error) {
      // Not a failure of the calculator: start cold instead (and say why in the console).
      console.warn("calculator: the start-up snapshot cannot be used, starting cold:", describe(error));
      timings.snapshotError = describe(error);
    }
  }
  if (calculate === null) {
    wheel ??= fetchWheel();
    calculate = await cold(loadPyodide, indexURL, wheel, unusable, reached);
    timings.start = "cold";
  }
  runtimeWasm.wanted = false;
  runtimeWasm.bytes = null; // a copy of the .wasm that a kept start did not need
  stamp("calculatorAnswered");
  reached("calculator");
  return { calculate, timings };
}

async function handle(message) {
  const { id, type } = message;
  if (type === TYPES.SETUP) {
    setup ??= message;
    started ??= start(id, message);
    try {
      const { timings } = await started;
      return { id, type: TYPES.READY, timings };
    } catch (error) {
      return errorMessage(id, ERRORS.START_FAILED, describe(error));
    }
  }
  // TYPES.CALCULATE
  if (started === null) return errorMessage(id, ERRORS.NOT_STARTED, "CALCULATE before SETUP");
  let calculator;
  try {
    calculator = await started;
  } catch (error) {
    return errorMessage(id, ERRORS.START_FAILED, describe(error));
  }
  try {
    return { id, type: TYPES.RESULT, response: calculator.calculate(message.request) };
  } catch (error) {
    if (calculator.timings.start !== "snapshot") return errorMessage(id, ERRORS.CALCULATION_FAILED, describe(error));
    // A snapshot lacks files a cold start has: should it ever fail, start cold and try once more.
    console.warn("calculator: a calculation failed after a snapshot start, starting cold:", describe(error));
    started = start(setup.id, setup, { snapshotAllowed: false });
    return handle(message);
  }
}

// A SETUP in the script's URL fragment (boot.js) starts Python now; the same SETUP posted later finds
// it started.
function setupInLocation() {
  try {
    const message = JSON.parse(decodeURIComponent(self.location.hash.slice(1)));
    return isRequest(message) && message.type === TYPES.SETUP ? message : null;
  } catch {
    return null;
  }
}

const early = setupInLocation();
if (early) {
  setup = early;
  started = start(early.id, early);
  started.catch(() => {}); // reported in reply to the SETUP message
}

self.addEventListener("message", async (event) => {
  const message = event.data;
  if (!isRequest(message)) {
    const id = message && typeof message === "object" ? (message.id ?? null) : null;
    self.postMessage(errorMessage(id, ERRORS.UNKNOWN_TYPE, message && typeof message === "object" ? message.type : typeof message));
    return;
  }
  self.postMessage(await handle(message));
});
