// The calculator worker's message protocol: one closed set of message types, shared by both sides.
//
// Page → worker:  SETUP {indexURL, wheelURL, wheelSHA256, snapshot} → READY {timings} | ERROR
//                 (snapshot: {url, sha256, stdlibURL, lockInfo} or null; timings: {start: "snapshot" |
//                 "cold", snapshotFrom: "kept" | "network", at: {stage: ms since the epoch}})
//                 CALCULATE {request}                → RESULT {response} | ERROR
// Worker → page:  PROGRESS {stage} while SETUP runs (it carries the SETUP's id): a stage of STAGES, or
//                 "download" with {received}: the bytes the worker's downloads have brought so far
//                 (decoded, Pyodide's own fetches included), at most every 250 ms and when a file ends
//
// Every message is {id, type, ...}; a reply carries the id of its request. Errors cross the
// boundary as data ({code, detail}), never as exceptions. A type outside this set is an error.

export const TYPES = Object.freeze({
  SETUP: "SETUP",
  PROGRESS: "PROGRESS",
  READY: "READY",
  CALCULATE: "CALCULATE",
  RESULT: "RESULT",
  ERROR: "ERROR",
});

export const REQUEST_TYPES = Object.freeze([TYPES.SETUP, TYPES.CALCULATE]);
export const REPLY_TYPES = Object.freeze([TYPES.PROGRESS, TYPES.READY, TYPES.RESULT, TYPES.ERROR]);

// The start-up stages the worker reports, in order (the page shows them as progress).
export const STAGES = Object.freeze(["runtime", "python", "calculator"]);
// The PROGRESS stage that carries `received` (bytes); it comes any number of times, between the others.
export const DOWNLOAD = "download";

// Error codes that travel in ERROR messages.
export const ERRORS = Object.freeze({
  UNKNOWN_TYPE: "unknown-type",
  NOT_STARTED: "not-started",
  START_FAILED: "start-failed",
  CALCULATION_FAILED: "calculation-failed",
  WORKER_FAILED: "worker-failed",
  TIMEOUT: "timeout",
  UNSUPPORTED: "unsupported",
});

export function isRequest(message) {
  return message !== null && typeof message === "object" && REQUEST_TYPES.includes(message.type);
}

export function isReply(message) {
  return message !== null && typeof message === "object" && REPLY_TYPES.includes(message.type);
}

export function errorMessage(id, code, detail = "") {
  return { id, type: TYPES.ERROR, error: { code, detail: String(detail) } };
}
