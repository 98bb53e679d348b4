// Asking Python for the estimate: one request at a time, only the latest input is worth showing, and
// a worker that dies, hangs or breaks the protocol is replaced by a fresh one (a few times in a row).

import { ERRORS, TYPES } from "./protocol.js";

// A calculation takes milliseconds (bench: p95 17 ms); one with no answer after this long means the
// worker is gone or stuck: the reader is told, and a fresh worker takes over.
export const ANSWER_TIMEOUT_MS = 5_000;
// Fresh workers in a row before the page gives up and says the calculator cannot run.
export const MAX_RESTARTS = 2;

// The reply, or an ERROR (timeout) reply once `ms` have passed without one.
export function withTimeout(reply, ms = ANSWER_TIMEOUT_MS) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ type: TYPES.ERROR, error: { code: ERRORS.TIMEOUT, detail: `no answer after ${ms} ms` } }), ms);
  });
  return Promise.race([reply, late]).finally(() => clearTimeout(timer));
}

// The request for some lines: also the same work under the other agreements, and the text that sends
// the case (issue 17).
export function calculateRequest(config, lines, pageURL) {
  return { lang: config.lang, lines, compare: true, case_text: true, page_url: pageURL };
}

// `restart()`: start a fresh worker (it computes once ready); `giveUp()`: say the calculator cannot run.
export function createCalculation({ app, config, showResult, restart, giveUp }) {
  async function compute() {
    if (app.phase !== "ready" || app.inFlight) return;
    app.inFlight = true;
    const revision = app.revision;
    // Until the reader gives input, Python confirms the build's example (which stays labelled as one).
    const lines = (app.touched ? app.lines : config.exampleLines).map((one) => ({ ...one }));
    const channel = app.channel;
    const request = calculateRequest(config, lines, location.origin + location.pathname);
    const reply = await withTimeout(channel.request(TYPES.CALCULATE, { request }));
    app.inFlight = false;
    if (reply.type === TYPES.RESULT) {
      app.restarts = 0;
      if (revision === app.revision) showResult(reply.response, lines, revision);
      else compute(); // the reader typed on meanwhile: only the latest input is worth showing
      return;
    }
    // The worker died, hung or broke the protocol: say so, and start a fresh one that computes the
    // form as it is then. The estimate on screen stays marked as not for these inputs (data-pending).
    console.warn("calculator:", reply.error);
    channel.close(ERRORS.WORKER_FAILED, "replaced");
    app.channel = null;
    if (app.restarts >= MAX_RESTARTS) {
      giveUp();
      return;
    }
    app.restarts += 1;
    restart();
  }

  return { compute };
}
