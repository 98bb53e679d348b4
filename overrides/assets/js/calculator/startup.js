// Starting Python: adopting the worker that boot.js started from <head>, the progress bar, the start-up
// timeouts, and "Try again". The reader is told when Python does not start; a start that is only slow
// still comes to life.

import { WorkerChannel } from "./channel.js";
import { DOWNLOAD, ERRORS, STAGES, TYPES } from "./protocol.js";

// After the reader has been told that Python did not start, a slow start may still finish until then
// (counted, like config.loadTimeoutMs, from the worker's last sign of life: a byte or a stage).
export const GIVE_UP_MS = 60_000;

// boot.js ran inline from <head>, unless a policy blocked it there (a Content-Security-Policy without
// its hash): then the same file runs from the site now, only later. `moduleURL`: main.js's own URL
// (boot.js keeps its name beside it; the query carries the asset version).
export async function loadBoot(moduleURL) {
  if (window.calculatorBoot) return window.calculatorBoot;
  const src = new URL("./boot.js", moduleURL);
  src.search = new URL(moduleURL).search;
  await new Promise((resolve) => {
    const script = Object.assign(document.createElement("script"), { src: src.href });
    script.addEventListener("load", resolve);
    script.addEventListener("error", resolve);
    document.head.append(script);
  });
  return window.calculatorBoot ?? null;
}

// Start the worker and Python: its channel, the SETUP reply to come, and a way to follow progress.
// The first attempt adopts the worker that boot.js started from <head>; "Try again" and a restart
// after a lost worker start a new one with the same SETUP.
export function launch(boot, { adopt = false } = {}) {
  let progress = () => {};
  const seen = [];
  const onProgress = (stage, received) => { seen.push([stage, received]); progress(stage, received); };
  let channel;
  let reply;
  try {
    if (!boot.setup) throw boot.error ?? new Error("boot.js did not run");
    if (adopt) {
      ({ channel, reply } = WorkerChannel.adopt(boot, { onProgress }));
    } else {
      channel = new WorkerChannel(boot.workerURL, { onProgress });
      reply = channel.request(TYPES.SETUP, boot.setup);
    }
  } catch (error) {
    return { error };
  }
  const follow = (callback) => {
    progress = callback;
    seen.forEach(([stage, received]) => callback(stage, received));
  };
  return { channel, reply, onProgress: follow };
}

// The bar: 1 at the start, up to 3 as the downloads arrive (`fraction` of the bytes expected), then
// Python (3) and the calculator (4); it never moves back.
export const PROGRESS_START = Object.freeze({ reached: 1, downloaded: 1 });

export function nextProgress(progress, stage, fraction = 0) {
  if (stage === DOWNLOAD) return { ...progress, downloaded: 1 + 2 * fraction };
  // "runtime" (pyodide.mjs imported) comes early, while most bytes are still on their way.
  if (stage === STAGES[0] || !STAGES.includes(stage)) return progress;
  return { ...progress, reached: STAGES.indexOf(stage) + 2 };
}

export function progressValue(progress) {
  return Math.max(progress.reached, progress.downloaded);
}

// `first`: the attempt main.js began when boot.js's worker was adopted; `onReady(channel)` once Python
// answers. Returns start({message}) and retry().
export function createStartup({ root, config, boot, first, display, t, onReady }) {
  let pending = first;
  let starting = null; // the worker while Python starts
  let waitLonger = null; // while a start is slow but alive: "Try again" waits for it instead of restarting
  const setPhase = (phase, message) => display.setPhase(phase, message);

  function fail(error) {
    console.warn("calculator: Python could not start:", error);
    setPhase("failed", t("failed"));
  }

  async function start({ message = t("loading") } = {}) {
    performance.mark("calculator:start");
    starting?.close(ERRORS.WORKER_FAILED, "started again");
    starting = null;
    setPhase("loading", message);
    display.showProgress(1);
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
      fail({ code: ERRORS.UNSUPPORTED, detail: "no WebAssembly or no Web Worker" });
      return;
    }
    const total = config.downloadBytes?.[boot?.setup?.snapshot ? "snapshot" : "cold"] ?? 0;
    let progress = PROGRESS_START;
    display.hideDownload();
    // The first attempt was started by boot.js while the page was still loading.
    const attempt = pending ?? launch(boot ?? { error: new Error("boot.js did not run") });
    pending = null;
    if (attempt.error) {
      fail({ code: ERRORS.WORKER_FAILED, detail: String(attempt.error) });
      return;
    }
    const channel = attempt.channel;
    starting = channel;
    // A wrong MIME type for the .wasm can make loadPyodide hang rather than fail: the reader is told
    // once the worker has given no sign of life (a byte downloaded, a stage reached) for loadTimeoutMs.
    // So a slow connection is waited for as long as bytes keep arriving. A machine that is only slow
    // may still get there, so the worker keeps going a while and the calculator comes to life if it
    // does; after GIVE_UP_MS without a sign of life it is stopped.
    let late = 0;
    let giveUp = 0;
    const watch = () => {
      clearTimeout(late);
      clearTimeout(giveUp);
      late = setTimeout(() => fail({ code: ERRORS.TIMEOUT, detail: `no download or progress for ${config.loadTimeoutMs} ms` }), config.loadTimeoutMs);
      giveUp = setTimeout(() => channel.close(ERRORS.TIMEOUT, `no download or progress for ${GIVE_UP_MS} ms`), GIVE_UP_MS);
    };
    // "Try again" while this worker is still alive: wait for it (a new one would download it all again).
    waitLonger = () => {
      setPhase("loading", message);
      watch();
    };
    attempt.onProgress((stage, received) => {
      if (starting !== channel) return;
      progress = nextProgress(progress, stage, stage === DOWNLOAD ? display.showDownload(received, total) : 0);
      display.showProgress(progressValue(progress));
      // Bytes still arrive: whatever the page said after a pause, the calculator is on its way.
      if (display.phase === "failed") setPhase("loading", message);
      watch();
    });
    watch();
    const reply = await attempt.reply;
    clearTimeout(late);
    clearTimeout(giveUp);
    if (starting !== channel) return; // replaced meanwhile
    starting = null;
    waitLonger = null;
    if (reply.type !== TYPES.READY) {
      channel.close();
      fail(reply.error);
      return;
    }
    root.dataset.start = reply.timings?.start ?? "";
    root.dataset.workerTimings = JSON.stringify(reply.timings ?? {}); // where start-up went: for make bench
    performance.mark("calculator:ready");
    root.dataset.readyMs = String(Math.round(performance.now()));
    setPhase("ready");
    onReady(channel);
  }

  function retry() {
    if (starting && waitLonger) waitLonger();
    else start();
  }

  return { start, retry };
}
