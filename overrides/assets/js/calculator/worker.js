// The calculator's module Web Worker. Nothing of Python runs on the page's main thread.
//
// SETUP loads Pyodide from the site's own copy (indexURL, never a CDN), fetches the calculator's
// wheel, unpacks it into site-packages and imports calculator.api. CALCULATE hands a request to
// calculate_json and returns its response. See protocol.js for the message types.

import { ERRORS, TYPES, errorMessage, isRequest } from "./protocol.js";

let started = null; // Promise<{calculate, timings}>, made by the first SETUP

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
    throw new Error(`${wasmURL} cannot be fetched: ${describe(error)}`);
  }
  if (response.status === 404 || response.status === 410) throw new Error(`${wasmURL}: HTTP ${response.status}`);
  const type = response.headers.get("content-type") ?? "";
  if (response.ok && !type.toLowerCase().startsWith("application/wasm")) {
    throw new Error(`${wasmURL} is served as "${type}", not application/wasm`);
  }
}

const never = new Promise(() => {});

async function start(id, { indexURL, wheelURL }) {
  const began = performance.now();
  const timings = {};
  const reached = (stage) => {
    timings[stage] = Math.round(performance.now() - began);
    self.postMessage({ id, type: TYPES.PROGRESS, stage });
  };
  const wheel = fetchBytes(wheelURL);
  wheel.catch(() => {}); // awaited below; an early failure must not count as unhandled
  // Rejects as soon as the runtime is known to be unusable; otherwise never settles.
  const unusable = checkRuntime(new URL("pyodide.asm.wasm", indexURL).href).then(() => never);
  const { loadPyodide } = await Promise.race([import(new URL("pyodide.mjs", indexURL).href), unusable]);
  reached("runtime");
  const pyodide = await Promise.race([
    loadPyodide({ indexURL, stdout: () => {}, stderr: (text) => console.warn(text) }),
    unusable,
  ]);
  reached("python");
  // Into site-packages, as an installer would put it (the default is the working directory).
  const extractDir = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(await wheel, "wheel", { extractDir });
  const calculateJson = pyodide.pyimport("calculator.api").calculate_json;
  // One throw-away call reads the tariff file and the texts, so the reader's first estimate is quick.
  calculateJson(JSON.stringify({ lang: "en", lines: [] }));
  reached("calculator");
  return { calculate: (request) => JSON.parse(calculateJson(JSON.stringify(request))), timings };
}

async function handle(message) {
  const { id, type } = message;
  if (type === TYPES.SETUP) {
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
    return errorMessage(id, ERRORS.CALCULATION_FAILED, describe(error));
  }
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
