// The page as the calculator's state says: the form, the summary that stays in view, the estimate,
// the inputs for paper, and the phase of the calculator's start (loading, ready, failed) with its
// progress. main.js's `app` record holds the state; state.js works out what to show; view.js writes it.

import * as state from "./state.js";
import * as view from "./view.js";

// Python's answer, if it was for the lines the form holds now (else null).
export function currentResponse(app) {
  return app.responseLines && state.sameLines(app.responseLines, app.lines) ? app.response : null;
}

export function createDisplay({ root, parts, config, app, announcer, address }) {
  const t = (key, params) => state.text(config, key, params);
  const lang = () => document.documentElement.lang || config.lang;
  // The build's example, as the page shows it before Python answers.
  const built = { status: parts.estimate.dataset.status, total: parts.estimate.dataset.totalIncVat };

  const estimateView = (response, lines) => state.estimateView(config, lines, response, { submitted: app.submitted });

  function render() {
    const response = currentResponse(app);
    const formView = state.formView(config, app.lines, response, { submitted: app.submitted });
    formView.notices = app.notices;
    view.renderForm(parts, formView);
    const pending = app.shownRevision !== app.revision;
    root.toggleAttribute("data-pending", pending);
    const { touched, phase, response: last, submitted } = app;
    const summary = state.summaryFor(config, { touched, pending, phase, response: last, submitted });
    view.renderSummary(parts.summary, summary, pending);
    // What paper shows: the inputs always; the figures only when they were computed for these inputs.
    view.renderInputs(parts.inputList, state.inputsView(config, app.lines));
    parts.inputs.hidden = !app.touched;
    address.later();
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
    view.renderEstimate(parts, estimateView(response, lines));
    view.renderComparisons(parts, response.comparisons ?? [], (comparison) =>
      `${t("line-legend", { number: comparison.line + 1 })}: ${comparison.time_text}`);
    view.renderCaseText(parts, response.case_text ?? null);
    parts.example.hidden = app.touched;
    render();
    const summary = state.announcement(config, response);
    const unchanged = announcer.silent && response.errors.length === 0
      && response.estimate.status === built.status && response.estimate.total_inc_vat === built.total;
    if (unchanged) announcer.assume(summary); // the first live result only confirms what is on screen
    else announcer.say(summary);
  }

  // The form was sent: what waited for a time is an error from now on.
  function showSubmitted() {
    if (app.response !== null) view.renderEstimate(parts, estimateView(app.response, app.responseLines));
    render();
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

  // The bar's value: see startup.js.
  function showProgress(value) {
    parts.progress.value = value;
  }

  // "Lastet ned: 3,2 MB av 6,1 MB": beside the progress bar and as its aria-valuetext, not in the
  // status region (a screen reader would read every update out). Returns the share that has arrived.
  function showDownload(received, total) {
    const { words, fraction } = state.downloadView(config, lang(), received, total);
    parts.download.textContent = words;
    parts.download.hidden = app.phase !== "loading";
    parts.progress.setAttribute("aria-valuetext", words);
    return fraction;
  }

  function hideDownload() {
    parts.download.hidden = true;
    parts.progress.removeAttribute("aria-valuetext");
  }

  return {
    render, showResult, showSubmitted, setPhase, showProgress, showDownload, hideDownload,
    get phase() {
      return app.phase;
    },
  };
}
