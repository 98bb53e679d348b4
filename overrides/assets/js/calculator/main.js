// The calculator page: wires the form, the URL and the worker together.
//
// The page is useful before this runs: the form and an estimate for the default inputs are rendered
// at build time. This script starts the worker (Pyodide in a module Web Worker), keeps whatever the
// reader types meanwhile, and computes it once Python is ready. If Python cannot start within the
// configured time, the reader is told so in the page's language and keeps the static estimate and
// the price tables. The configuration and every text come from <script id="calculator-config">.
//
// Who does what: startup.js starts Python (progress, timeouts, "Try again"); calculation.js asks it;
// display.js shows the state (state.js works out what, view.js writes it); links.js keeps the address
// bar and the language links; announcer.js speaks; controls.js answers the reader's acts.

import { createAnnouncer } from "./announcer.js";
import { createCalculation } from "./calculation.js";
import { wireControls } from "./controls.js";
import { createDisplay, currentResponse } from "./display.js";
import { findParts } from "./elements.js";
import { createAddressBar } from "./links.js";
import { createStartup, launch, loadBoot } from "./startup.js";
import * as state from "./state.js";

function start(root, config, boot, first) {
  const parts = findParts(root);
  const t = (key, params) => state.text(config, key, params);
  const fromLink = state.linesFromQuery(location.search, config);
  // The page's state; the modules below read and update it.
  const app = {
    phase: "loading", // loading | ready | failed
    lines: fromLink.lines,
    notices: state.linkNotices(config, fromLink.count),
    touched: fromLink.count > 0, // the reader (or a link) gave input: compute it, and keep it in the URL
    submitted: false, // the reader sent the form: an empty time field is an error from then on
    revision: 0, // bumped by every change of the input
    shownRevision: 0, // the revision the displayed estimate is for (0: the build-time example)
    response: null,
    responseLines: null,
    channel: null, // the worker, once Python is ready
    inFlight: false,
    restarts: 0,
  };
  const announcer = createAnnouncer(parts.announcer);
  const address = createAddressBar({
    root,
    printLink: parts.printLink,
    linkLabel: t("link-label"),
    touched: () => app.touched,
    query: () => state.queryFromLines(config, app.lines, currentResponse(app)),
  });
  const display = createDisplay({ root, parts, config, app, announcer, address });
  const startup = createStartup({
    root, config, boot, first, display, t,
    onReady: (channel) => {
      app.channel = channel;
      calculation.compute();
    },
  });
  const calculation = createCalculation({
    app,
    config,
    showResult: display.showResult,
    restart: () => startup.start({ message: t("no-answer") }),
    giveUp: () => display.setPhase("failed", t("calculator-error")),
  });
  wireControls({ app, parts, config, display, announcer, address, calculation, startup });

  // A link's state goes into the form at once; it is computed when Python is ready.
  if (app.touched) {
    app.revision = 1;
    display.render();
  } else {
    address.write();
  }
  startup.start();
}

// By the time this module runs, boot.js has long started Python (see there); the form is wired up
// once the page is parsed.
const configElement = document.getElementById("calculator-config");
const config = configElement ? JSON.parse(configElement.textContent) : null;
const boot = config ? await loadBoot(import.meta.url) : null;
const early = boot?.worker ? launch(boot, { adopt: true }) : null;

function whenParsed(callback) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback, { once: true });
  else callback();
}

whenParsed(() => {
  const root = document.querySelector("[data-calculator]");
  if (root && config) start(root, config, boot, early);
  else early?.channel?.close();
});
