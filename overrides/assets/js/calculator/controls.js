// What the reader does on the page: typing and choosing in the form, adding and removing lines, the
// submit button, copying, sharing and printing the estimate, "Try again", and Back and forward.

import { linesFromHistory } from "./links.js";
import * as state from "./state.js";
import * as view from "./view.js";

// How long "Link copied" stays beside the buttons.
const CONFIRM_MS = 6_000;

export function wireControls({ app, parts, config, display, announcer, address, calculation, startup }) {
  const t = (key, params) => state.text(config, key, params);
  let copiedTimer = 0;

  function changed() {
    app.touched = true;
    app.revision += 1;
    display.render();
    calculation.compute();
  }

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
  // The submit button (and Enter in a field): compute now and read the result out now. From then on an
  // empty time field counts as an error, not as unfinished.
  parts.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = !app.submitted;
    app.submitted = true;
    if (!app.touched) {
      changed();
      return;
    }
    if (first) display.showSubmitted();
    if (app.response && app.shownRevision === app.revision) announcer.say(state.announcement(config, app.response), { now: true });
    else calculation.compute();
  });

  parts.add.addEventListener("click", () => {
    if (app.lines.length >= config.maxLines) return;
    app.lines = [...view.readLines(parts.lines), state.newLine(config, app.lines)];
    changed();
    view.focusLine(parts.lines, app.lines.length - 1);
    announcer.say(t("line-added", { number: app.lines.length }), { now: true });
  });

  parts.lines.addEventListener("click", (event) => {
    const button = event.target.closest?.("[data-calculator-remove]");
    if (!button || app.lines.length <= 1) return;
    const index = view.lineIndexOf(parts.lines, button);
    app.lines = view.readLines(parts.lines).filter((_, i) => i !== index);
    app.notices = [];
    changed();
    view.focusLine(parts.lines, Math.min(index, app.lines.length - 1));
    announcer.say(t("line-removed", { number: index + 1 }), { now: true });
  });

  function confirmCopied(message) {
    // Visible beside the buttons (a status region, so screen readers hear it too), then gone.
    parts.copied.textContent = message;
    clearTimeout(copiedTimer);
    copiedTimer = setTimeout(() => { parts.copied.textContent = ""; }, CONFIRM_MS);
  }

  parts.copy.addEventListener("click", async () => {
    app.touched = true;
    address.write();
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

  if (navigator.share) parts.share.hidden = false;
  parts.share.addEventListener("click", async () => {
    app.touched = true;
    address.write();
    try {
      await navigator.share({ title: document.title, url: location.href });
    } catch (error) {
      if (error?.name !== "AbortError") confirmCopied(t("link-copy-failed"));
    }
  });

  function beforePrint() {
    address.write();
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
  window.addEventListener("pagehide", () => address.write());
  parts.retry.addEventListener("click", () => {
    app.restarts = 0;
    startup.retry();
  });

  // An in-page link adds a history entry with the address bar as it is: bring it up to date first, so
  // that Back returns to the form's state.
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[href^='#']");
    if (link) address.write();
  }, true);

  // Back and forward: a URL with lines shows them; one without takes the form's state, so that the
  // address bar and the form agree.
  window.addEventListener("popstate", () => {
    const entry = linesFromHistory(config, location.search, app.lines, address.query());
    if (entry === null) {
      address.write();
      return;
    }
    app.lines = entry.lines;
    app.notices = entry.notices;
    changed();
  });
}
