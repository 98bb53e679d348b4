// The calculator page: wires the form, the URL and the worker together.
//
// The page is useful before this runs: the form and an estimate for the default inputs are rendered
// at build time. This script starts the worker (Pyodide in a module Web Worker), keeps whatever the
// reader types meanwhile, and computes it once Python is ready. If Python cannot start within the
// configured time, the reader is told so in the page's language and keeps the static estimate and
// the price tables. The configuration and every text come from <script id="calculator-config">.

import { WorkerChannel } from "./channel.js";
import { DOWNLOAD, ERRORS, STAGES, TYPES } from "./protocol.js";
import * as state from "./state.js";
import * as view from "./view.js";

// A summary is read out once the reader pauses, not on every keystroke.
const ANNOUNCE_DELAY_MS = 750;
// After the reader has been told that Python did not start, a slow start may still finish until then
// (counted, like config.loadTimeoutMs, from the worker's last sign of life: a byte or a stage).
const GIVE_UP_MS = 60_000;
// The address bar follows the form once the reader pauses this long, not on the way from a keystroke
// to its estimate: history.replaceState costs this page up to 12-20 ms on a 2-core machine (measured).
const LINK_DELAY_MS = 120;
// A calculation takes milliseconds (bench: p95 17 ms); one with no answer after this long means the
// worker is gone or stuck: the reader is told, and a fresh worker takes over.
const ANSWER_TIMEOUT_MS = 5_000;
// Fresh workers in a row before the page gives up and says the calculator cannot run.
const MAX_RESTARTS = 2;

function partsOf(root) {
  const find = (selector) => root.querySelector(selector);
  return {
    root,
    form: find("[data-calculator-form]"),
    lines: find("[data-calculator-lines]"),
    template: find("[data-calculator-line-template]"),
    rowTemplate: find("[data-calculator-row-template]"),
    totalTemplate: find("[data-calculator-total-template]"),
    summary: find("[data-estimate-summary]"),
    add: find("[data-calculator-add]"),
    copy: find("[data-calculator-copy]"),
    copied: find("[data-calculator-copied]"),
    share: find("[data-calculator-share]"),
    print: find("[data-calculator-print]"),
    linkBox: find("[data-calculator-link]"),
    link: find("#calculator-link"),
    formError: find("[data-calculator-form-error]"),
    loader: find("[data-calculator-loader]"),
    status: find("#calculator-status"),
    progress: find("[data-calculator-progress]"),
    download: find("[data-calculator-download]"),
    retry: find("[data-calculator-retry]"),
    example: find("[data-calculator-example]"),
    inputs: find("[data-calculator-inputs]"),
    inputList: find("[data-calculator-inputs] [data-slot=inputs]"),
    printMeta: find("[data-calculator-print-meta]"),
    estimate: find("#estimate"),
    printLink: find("[data-calculator-print-link]"),
    announcer: find("[data-calculator-announcer]"),
    compare: find("[data-calculator-compare]"),
    compareTemplate: find("[data-calculator-compare-template]"),
    send: find("[data-calculator-send]"),
    mail: find("[data-calculator-mail]"),
    copyCase: find("[data-calculator-copy-case]"),
    caseCopied: find("[data-calculator-case-copied]"),
    caseText: find("[data-calculator-case-text]"),
  };
}

// Start the worker and Python: its channel, the SETUP reply to come, and a way to follow progress.
// The first attempt adopts the worker that boot.js started from <head>; "Try again" and a restart
// after a lost worker start a new one with the same SETUP.
function launch(boot, { adopt = false } = {}) {
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

function start(root, config, first) {
  const parts = partsOf(root);
  const t = (key, params) => state.text(config, key, params);
  const fromLink = state.linesFromQuery(location.search, config);
  const app = {
    phase: "loading", // loading | ready | failed
    lines: fromLink.lines,
    notices: fromLink.count > config.maxLines ? [t("lines-cut", { count: fromLink.count, max_lines: config.maxLines })] : [],
    touched: fromLink.count > 0, // the reader (or a link) gave input: compute it, and keep it in the URL
    revision: 0, // bumped by every change of the input
    shownRevision: 0, // the revision the displayed estimate is for (0: the build-time example)
    response: null,
    responseLines: null,
    channel: null, // the worker, once Python is ready
    starting: null, // the worker while Python starts
    inFlight: false,
    restarts: 0,
    waitLonger: null, // while a start is slow but alive: "Try again" waits for it instead of restarting
    announced: null,
    announceTimer: 0,
    linkTimer: 0,
  };
  const built = { status: parts.estimate.dataset.status, total: parts.estimate.dataset.totalIncVat };
  if (navigator.share) parts.share.hidden = false;

  // --- applying state to the page ---------------------------------------------------------------

  function render() {
    const response = currentResponse();
    const formView = state.formView(config, app.lines, response);
    formView.notices = app.notices;
    view.renderForm(parts, formView);
    const pending = app.shownRevision !== app.revision;
    root.toggleAttribute("data-pending", pending);
    view.renderSummary(parts.summary, summaryNow(pending), pending);
    // What paper shows: the inputs always; the figures only when they were computed for these inputs.
    view.renderInputs(parts.inputList, state.inputsView(config, app.lines));
    parts.inputs.hidden = !app.touched;
    linkLater();
  }

  // The summary: the example until the reader gives input; then Python's answer for it. While an
  // answer is on its way the last one stays (dimmed); with none yet, it says so, never the example's.
  function summaryNow(pending) {
    if (!app.touched) return null;
    if (!pending) return state.summaryView(config, app.response);
    if (app.response !== null && app.phase === "ready") return null;
    const waiting = app.phase === "failed" ? "summary-not-calculated" : "summary-pending";
    return { kind: "pending", label: t("summary-status"), value: t(waiting) };
  }

  // data-link-pending is on the section while the address bar is behind the form.
  function linkLater() {
    if (!app.touched) return;
    clearTimeout(app.linkTimer);
    root.toggleAttribute("data-link-pending", true);
    app.linkTimer = setTimeout(() => writeURL(currentResponse()), LINK_DELAY_MS);
  }

  function currentResponse() {
    return app.responseLines && state.sameLines(app.responseLines, app.lines) ? app.response : null;
  }

  function writeURL(response) {
    if (app.touched) {
      clearTimeout(app.linkTimer);
      root.removeAttribute("data-link-pending");
      const query = state.queryFromLines(app.lines, response);
      if (location.search.slice(1) !== query) {
        history.replaceState(history.state, "", `${location.pathname}?${query}${location.hash}`);
      }
    }
    parts.printLink.textContent = `${t("link-label")}: ${location.href}`;
    keepInOtherLanguages();
  }

  // The language switcher opens each language's calculator, this one's included, with the same lines
  // (the query string is the estimate; each language's page reads it the same way).
  function keepInOtherLanguages() {
    const search = app.touched ? location.search : "";
    for (const link of document.querySelectorAll("a[hreflang], link[rel=alternate][hreflang]")) {
      const url = new URL(link.getAttribute("href"), location.href);
      if (url.origin !== location.origin) continue;
      if (!/\/calculator\/$/.test(url.pathname)) continue;
      url.search = search;
      link.setAttribute("href", url.href);
    }
  }

  function showResult(response, lines, revision) {
    // When the first estimate computed by Python reached the page, in ms since navigation.
    if (!root.dataset.firstResultMs) {
      root.dataset.firstResultMs = String(Math.round(performance.now()));
      queueMicrotask(() => performance.mark("calculator:first-python-estimate"));
    }
    app.response = response;
    app.responseLines = lines;
    app.shownRevision = revision;
    view.renderEstimate(parts, state.estimateView(config, lines, response));
    view.renderComparisons(parts, response.comparisons ?? [], (comparison) =>
      `${t("line-legend", { number: comparison.line + 1 })}: ${comparison.time_text}`);
    view.renderCaseText(parts, response.case_text ?? null);
    parts.example.hidden = app.touched;
    render();
    const summary = state.announcement(config, response);
    const unchanged = app.announced === null && response.errors.length === 0
      && response.estimate.status === built.status && response.estimate.total_inc_vat === built.total;
    if (unchanged) app.announced = summary; // the first live result only confirms what is on screen
    else announce(summary);
  }

  function announce(summary, now = false) {
    clearTimeout(app.announceTimer);
    const say = () => {
      if (summary === app.announced) return;
      app.announced = summary;
      parts.announcer.textContent = summary;
    };
    if (now) say();
    else app.announceTimer = setTimeout(say, ANNOUNCE_DELAY_MS);
  }

  function setPhase(phase, message = "") {
    const wasFailed = app.phase === "failed";
    app.phase = phase;
    root.dataset.state = phase;
    if (phase === "failed") render();
    parts.loader.hidden = phase === "ready";
    parts.progress.hidden = phase !== "loading";
    parts.retry.hidden = phase !== "failed";
    parts.status.textContent = message;
    if (phase !== "loading") parts.download.hidden = true;
    if (wasFailed && phase === "loading") render(); // the summary waits again
  }

  // "Lastet ned: 3,2 MB av 6,1 MB": beside the progress bar and as its aria-valuetext, not in the
  // status region (a screen reader would read every update out).
  function showDownload(received, total) {
    const megabytes = new Intl.NumberFormat(document.documentElement.lang || config.lang, {
      style: "unit", unit: "megabyte", minimumFractionDigits: 1, maximumFractionDigits: 1,
    });
    const known = total > 0 && received <= total;
    const words = known
      ? t("downloaded-of", { received: megabytes.format(received / 1e6), total: megabytes.format(total / 1e6) })
      : t("downloaded", { received: megabytes.format(received / 1e6) });
    parts.download.textContent = words;
    parts.download.hidden = app.phase !== "loading";
    parts.progress.setAttribute("aria-valuetext", words);
    return known ? received / total : 0;
  }

  // --- computing ---------------------------------------------------------------------------------

  function withTimeout(reply) {
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ type: TYPES.ERROR, error: { code: ERRORS.TIMEOUT, detail: `no answer after ${ANSWER_TIMEOUT_MS} ms` } }), ANSWER_TIMEOUT_MS);
    });
    return Promise.race([reply, late]).finally(() => clearTimeout(timer));
  }

  async function compute() {
    if (app.phase !== "ready" || app.inFlight) return;
    app.inFlight = true;
    const revision = app.revision;
    // Until the reader gives input, Python confirms the build's example (which stays labelled as one).
    const lines = (app.touched ? app.lines : config.exampleLines).map((one) => ({ ...one }));
    const channel = app.channel;
    // Also the same work under the other agreements, and the text that sends the case (issue 17).
    const request = { lang: config.lang, lines, compare: true, case_text: true, page_url: location.origin + location.pathname };
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
      setPhase("failed", t("calculator-error"));
      return;
    }
    app.restarts += 1;
    startWorker({ message: t("no-answer") });
  }

  function changed() {
    app.touched = true;
    app.revision += 1;
    render();
    compute();
  }

  // --- starting Python ---------------------------------------------------------------------------

  async function startWorker({ message = t("loading") } = {}) {
    performance.mark("calculator:start");
    app.starting?.close(ERRORS.WORKER_FAILED, "started again");
    app.starting = null;
    setPhase("loading", message);
    parts.progress.value = 1;
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
      fail({ code: ERRORS.UNSUPPORTED, detail: "no WebAssembly or no Web Worker" });
      return;
    }
    // The bar: 1 at the start, up to 3 as the downloads arrive, then Python (3) and the calculator (4).
    const total = config.downloadBytes?.[boot?.setup?.snapshot ? "snapshot" : "cold"] ?? 0;
    let reachedValue = 1;
    let downloadedValue = 1;
    parts.download.hidden = true;
    parts.progress.removeAttribute("aria-valuetext");
    // The first attempt was started by boot.js while the page was still loading.
    const attempt = first ?? launch(boot ?? { error: new Error("boot.js did not run") });
    first = null;
    if (attempt.error) {
      fail({ code: ERRORS.WORKER_FAILED, detail: String(attempt.error) });
      return;
    }
    const channel = attempt.channel;
    app.starting = channel;
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
    app.waitLonger = () => {
      setPhase("loading", message);
      watch();
    };
    attempt.onProgress((stage, received) => {
      if (app.starting !== channel) return;
      if (stage === DOWNLOAD) downloadedValue = 1 + 2 * showDownload(received, total);
      // "runtime" (pyodide.mjs imported) comes early, while most bytes are still on their way.
      else if (stage !== STAGES[0]) reachedValue = STAGES.indexOf(stage) + 2;
      parts.progress.value = Math.max(reachedValue, downloadedValue);
      // Bytes still arrive: whatever the page said after a pause, the calculator is on its way.
      if (app.phase === "failed") setPhase("loading", message);
      watch();
    });
    watch();
    const reply = await attempt.reply;
    clearTimeout(late);
    clearTimeout(giveUp);
    if (app.starting !== channel) return; // replaced meanwhile
    app.starting = null;
    app.waitLonger = null;
    if (reply.type !== TYPES.READY) {
      channel.close();
      fail(reply.error);
      return;
    }
    app.channel = channel;
    root.dataset.start = reply.timings?.start ?? "";
    root.dataset.workerTimings = JSON.stringify(reply.timings ?? {}); // where start-up went: for make bench
    performance.mark("calculator:ready");
    root.dataset.readyMs = String(Math.round(performance.now()));
    setPhase("ready");
    compute();
  }

  function fail(error) {
    console.warn("calculator: Python could not start:", error);
    setPhase("failed", t("failed"));
  }

  // --- events ------------------------------------------------------------------------------------

  function onInput(event) {
    const target = event.target;
    if (!target.matches?.("[data-part]")) return;
    app.lines = view.readLines(parts.lines);
    if (target.dataset.part === "tariff") {
      const index = view.lineIndexOf(parts.lines, target);
      const one = app.lines[index];
      one.case = state.caseForTariff(config, one.tariff, one.case);
    }
    changed();
  }

  parts.form.addEventListener("input", onInput);
  parts.form.addEventListener("change", (event) => {
    // Selects fire both input and change; only react once to the same state.
    if (!state.sameLines(view.readLines(parts.lines), app.lines)) onInput(event);
  });
  // The submit button (and Enter in a field): compute now and read the result out now.
  parts.form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!app.touched) changed();
    else if (app.response && app.shownRevision === app.revision) announce(state.announcement(config, app.response), true);
    else compute();
  });

  parts.add.addEventListener("click", () => {
    if (app.lines.length >= config.maxLines) return;
    app.lines = [...view.readLines(parts.lines), state.newLine(config, app.lines)];
    changed();
    view.focusLine(parts.lines, app.lines.length - 1);
    announce(t("line-added", { number: app.lines.length }), true);
  });

  parts.lines.addEventListener("click", (event) => {
    const button = event.target.closest?.("[data-calculator-remove]");
    if (!button || app.lines.length <= 1) return;
    const index = view.lineIndexOf(parts.lines, button);
    app.lines = view.readLines(parts.lines).filter((_, i) => i !== index);
    app.notices = [];
    changed();
    view.focusLine(parts.lines, Math.min(index, app.lines.length - 1));
    announce(t("line-removed", { number: index + 1 }), true);
  });

  function confirmCopied(message) {
    // Visible beside the buttons (a status region, so screen readers hear it too), then gone.
    parts.copied.textContent = message;
    clearTimeout(app.copiedTimer);
    app.copiedTimer = setTimeout(() => { parts.copied.textContent = ""; }, 6_000);
  }

  parts.copy.addEventListener("click", async () => {
    app.touched = true;
    writeURL(currentResponse());
    parts.link.value = location.href;
    try {
      await navigator.clipboard.writeText(location.href);
      parts.linkBox.hidden = true;
      confirmCopied(t("link-copied"));
    } catch {
      parts.linkBox.hidden = false;
      parts.link.focus();
      parts.link.select();
      confirmCopied(t("link-copy-failed"));
    }
  });

  // Sweden: the case's text goes to the clipboard, to paste on the provider's website (issue 17).
  parts.copyCase.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(parts.caseText.value);
      parts.caseCopied.textContent = t("send-copied");
    } catch {
      parts.caseText.focus();
      parts.caseText.select();
      parts.caseCopied.textContent = t("send-copy-failed");
    }
  });

  parts.share.addEventListener("click", async () => {
    app.touched = true;
    writeURL(currentResponse());
    try {
      await navigator.share({ title: document.title, url: location.href });
    } catch (error) {
      if (error?.name !== "AbortError") confirmCopied(t("link-copy-failed"));
    }
  });

  function beforePrint() {
    writeURL(currentResponse());
    const date = new Intl.DateTimeFormat(document.documentElement.lang || config.lang, { dateStyle: "long" }).format(new Date());
    parts.printMeta.dataset.date = t("printed-on", { date });
  }

  parts.print.addEventListener("click", () => {
    // The button prints the estimate alone (one page); the browser's own print keeps the whole page.
    document.body.dataset.printEstimate = "";
    window.print();
  });
  window.addEventListener("afterprint", () => delete document.body.dataset.printEstimate);
  // The printed link and the history entry must not lag behind the form.
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("pagehide", () => writeURL(currentResponse()));
  parts.retry.addEventListener("click", () => {
    app.restarts = 0;
    if (app.starting && app.waitLonger) app.waitLonger();
    else startWorker();
  });

  // An in-page link adds a history entry with the address bar as it is: bring it up to date first, so
  // that Back returns to the form's state.
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[href^='#']");
    if (link) writeURL(currentResponse());
  }, true);

  // Back and forward: a URL with lines shows them; one without (an anchor's entry from before the
  // form was touched) takes the form's state, so that the address bar and the form agree.
  window.addEventListener("popstate", () => {
    const fromURL = state.linesFromQuery(location.search, config);
    if (fromURL.count === 0) {
      writeURL(currentResponse());
      return;
    }
    // The same estimate in other words ("2:10" in the field, minutes=130 in the URL): keep the form.
    if (state.sameLines(fromURL.lines, app.lines) || location.search.slice(1) === state.queryFromLines(app.lines, currentResponse())) {
      writeURL(currentResponse());
      return;
    }
    app.lines = fromURL.lines;
    app.notices = fromURL.count > config.maxLines ? [t("lines-cut", { count: fromURL.count, max_lines: config.maxLines })] : [];
    changed();
  });

  // A link's state goes into the form at once; it is computed when Python is ready.
  if (app.touched) {
    app.revision = 1;
    render();
  } else {
    writeURL(null);
  }
  startWorker();
}

// By the time this module runs, boot.js has long started Python (see there); the form is wired up
// once the page is parsed.
const configElement = document.getElementById("calculator-config");
const config = configElement ? JSON.parse(configElement.textContent) : null;

// boot.js ran inline from <head>, unless a policy blocked it there (a Content-Security-Policy without
// its hash): then the same file runs from the site now, only later.
async function booted() {
  if (window.calculatorBoot || !config) return window.calculatorBoot ?? null;
  const src = new URL("./boot.js", import.meta.url);
  src.search = new URL(import.meta.url).search;
  await new Promise((resolve) => {
    const script = Object.assign(document.createElement("script"), { src: src.href });
    script.addEventListener("load", resolve);
    script.addEventListener("error", resolve);
    document.head.append(script);
  });
  return window.calculatorBoot ?? null;
}

const boot = await booted();
const early = boot?.worker ? launch(boot, { adopt: true }) : null;

function whenParsed(callback) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback, { once: true });
  else callback();
}

whenParsed(() => {
  const root = document.querySelector("[data-calculator]");
  if (root && config) start(root, config, early);
  else early?.channel?.close();
});
