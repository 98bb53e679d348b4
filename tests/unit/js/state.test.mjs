// state.js: the calculator page's state without the DOM (node --test).

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import * as state from "../../../overrides/assets/js/calculator/state.js";
import { calculateAll, config } from "./fixtures.mjs";

const LINE = { tariff: "no-service", case: "service-case", time: "2:10" };
const FREE = { tariff: "no-service", case: "general-support", time: "" };
const EMPTY = { tariff: "no-service", case: "service-case", time: "" };
const [priced, withError, empty] = calculateAll([
  { lang: "en", lines: [LINE, FREE] },
  { lang: "en", lines: [LINE, { ...LINE, time: "soon" }] },
  { lang: "en", lines: [EMPTY] },
]);

describe("text", () => {
  test("fills placeholders and leaves unknown ones", () => {
    assert.equal(state.text(config, "line-legend", { number: 2 }), "Case 2");
    assert.equal(state.text(config, "line-legend"), "Case {number}");
  });
  test("a missing key is shown as itself, never as undefined", () => {
    assert.equal(state.text(config, "no-such-text"), "no-such-text");
  });
});

describe("the query string (format from sitebuild/query_format.py)", () => {
  test("a link's lines, minutes shown with their unit", () => {
    const { lines, count } = state.linesFromQuery("?tariff=no-service&case=service-case&minutes=130", config);
    assert.equal(count, 1);
    assert.deepEqual(lines, [{ tariff: "no-service", case: "service-case", time: "130 min" }]);
  });
  test("a minutes value that is not a number is kept as the link has it, so its error shows", () => {
    const { lines } = state.linesFromQuery("tariff=no-service&case=service-case&minutes=2h", config);
    assert.equal(lines[0].time, "2h");
  });
  test("a form sent without the script: the time as typed wins over minutes", () => {
    const { lines } = state.linesFromQuery("tariff=no-service&case=service-case&time=2%3A10&minutes=5", config);
    assert.equal(lines[0].time, "2:10");
  });
  test("no lines in the URL: the page's default lines, as copies", () => {
    const { lines, count } = state.linesFromQuery("", config);
    assert.equal(count, 0);
    assert.deepEqual(lines, config.defaultLines);
    assert.notEqual(lines[0], config.defaultLines[0]);
  });
  test("at most maxLines lines are read; count says how many the link had", () => {
    const search = Array.from({ length: 5 }, () => "tariff=no-service&case=service-case&minutes=10").join("&");
    const { lines, count } = state.linesFromQuery(search, config);
    assert.equal(count, 5);
    assert.equal(lines.length, config.maxLines);
    assert.deepEqual(state.linkNotices(config, count), ["The link had 5 cases; the first 3 are shown."]);
    assert.deepEqual(state.linkNotices(config, 3), []);
  });
  test("lines → query: the minutes Python worked out, else the time as typed", () => {
    assert.equal(
      state.queryFromLines(config, [LINE, FREE], priced),
      "tariff=no-service&case=service-case&minutes=130&tariff=no-service&case=general-support&minutes=",
    );
    assert.equal(state.queryFromLines(config, [{ ...LINE, time: " 45 min " }]), "tariff=no-service&case=service-case&minutes=45");
    assert.equal(state.queryFromLines(config, [{ ...LINE, time: "soon" }]), "tariff=no-service&case=service-case&minutes=soon");
  });
  test("a round trip keeps the lines", () => {
    const query = state.queryFromLines(config, [LINE, FREE], priced);
    const back = state.linesFromQuery(query, config).lines;
    assert.equal(state.queryFromLines(config, back), query);
  });
  test("the keys are the ones the build describes", () => {
    const query = new URLSearchParams(state.queryFromLines(config, [LINE]));
    assert.deepEqual([...query.keys()], config.queryFormat.lineKeys);
  });
  test("plainMinutes drops trailing zeros only", () => {
    assert.equal(state.plainMinutes("90.0"), "90");
    assert.equal(state.plainMinutes("92.50"), "92.5");
    assert.equal(state.plainMinutes("100"), "100");
  });
});

describe("lines", () => {
  test("a new line takes the last line's agreement and its first case", () => {
    assert.deepEqual(state.newLine(config, [{ tariff: "no-support", case: "custom-work", time: "1" }]), {
      tariff: "no-support", case: "general-support", time: "",
    });
    assert.equal(state.newLine(config, []).tariff, config.tariffs[0].id);
    assert.equal(state.newLine(config, [{ tariff: "gone", case: "x", time: "" }]).tariff, config.tariffs[0].id);
  });
  test("another agreement keeps the case if it offers it, else its first", () => {
    assert.equal(state.caseForTariff(config, "no-service", "general-support"), "general-support");
    assert.equal(state.caseForTariff(config, "no-support", "service-case"), "general-support");
    assert.equal(state.caseForTariff(config, "unknown", "service-case"), "service-case");
  });
  test("sameLines compares agreement, case and time", () => {
    assert.ok(state.sameLines([LINE], [{ ...LINE }]));
    assert.ok(!state.sameLines([LINE], [{ ...LINE, time: "2:11" }]));
    assert.ok(!state.sameLines([LINE], [LINE, LINE]));
  });
  test("pricedLines skips lines with errors", () => {
    const lines = state.pricedLines(2, withError);
    assert.equal(lines[0].minutes, "130");
    assert.equal(lines[1], null);
    assert.deepEqual(state.pricedLines(2, null), [null, null]);
  });
});

describe("formView", () => {
  test("options, the time's reading, a line's error on its field", () => {
    const view = state.formView(config, [LINE, { ...LINE, time: "soon" }], withError);
    assert.equal(view.lines[0].legend, "Case 1");
    assert.equal(view.lines[0].reading, `Read as ${priced.estimate.lines[0].time_text}`);
    assert.equal(view.lines[0].timeError, null);
    assert.equal(view.lines[1].time.invalid, true);
    assert.equal(view.lines[1].timeError.line, 1);
    assert.deepEqual(view.formErrors, []);
    assert.ok(view.lines.every((line) => line.removable));
  });
  test("an unknown agreement or case is offered as such, so the link's value is kept", () => {
    const view = state.formView(config, [{ tariff: "gone", case: "nope", time: "" }]);
    assert.deepEqual(view.lines[0].tariff.options.at(-1), { value: "gone", label: "Unknown: gone" });
    assert.deepEqual(view.lines[0].case.options.at(-1), { value: "nope", label: "Unknown: nope" });
  });
  test("a case not priced by time hides the time field", () => {
    assert.equal(state.formView(config, [FREE]).lines[0].usesTime, false);
  });
  test("an empty time field is a prompt, not invalid, until the form is sent", () => {
    assert.equal(empty.errors[0].code, "time-empty");
    const before = state.formView(config, [EMPTY], empty).lines[0];
    assert.equal(before.time.invalid, false);
    assert.equal(before.timePrompt, true);
    assert.equal(before.timeError.code, "time-empty");
    const after = state.formView(config, [EMPTY], empty, { submitted: true }).lines[0];
    assert.equal(after.time.invalid, true);
    assert.equal(after.timePrompt, false);
  });
  test("while only a time is missing, the summary and the estimate say what to type", () => {
    const message = empty.errors[0].message;
    assert.ok(state.unfinished(empty));
    assert.ok(!state.unfinished(empty, true));
    assert.ok(!state.unfinished(withError));
    assert.ok(!state.unfinished(priced));
    assert.deepEqual(state.summaryView(config, empty), { kind: "prompt", label: "Estimate:", value: message });
    assert.equal(state.summaryView(config, empty, { submitted: true }).kind, "invalid");
    assert.equal(state.summaryFor(config, { touched: true, pending: false, phase: "ready", response: empty }).kind, "prompt");
    assert.equal(state.estimateView(config, [EMPTY], empty).invalidText, message);
    assert.equal(state.estimateView(config, [EMPTY], empty).status, "invalid");
    assert.equal(state.estimateView(config, [EMPTY], empty, { submitted: true }).invalidText, config.texts.invalid);
  });
  test("a time that cannot be read is invalid at once", () => {
    assert.equal(state.formView(config, [LINE, { ...LINE, time: "soon" }], withError).lines[1].timePrompt, false);
  });
  test("no more lines can be added at maxLines", () => {
    assert.equal(state.formView(config, [LINE, LINE, LINE]).canAdd, false);
    assert.equal(state.formView(config, [LINE]).canAdd, true);
  });
});

describe("estimateView", () => {
  test("rows, totals and data from Python's answer", () => {
    const view = state.estimateView(config, [LINE, FREE], priced);
    assert.equal(view.status, priced.estimate.status);
    assert.deepEqual(view.data, {
      totalExVat: priced.estimate.total_ex_vat, vat: priced.estimate.vat, totalIncVat: priced.estimate.total_inc_vat,
    });
    assert.deepEqual(view.totals.map((total) => total.key), ["total_ex_vat", "vat", "total_inc_vat"]);
    assert.equal(view.rows[1].status, "free");
    assert.deepEqual(view.rows[1].quantities, []);
    assert.equal(view.query, state.queryFromLines(config, [LINE, FREE], priced));
  });
  test("with an error: no total at all (never 0.00), and the bad line says so", () => {
    const view = state.estimateView(config, [LINE, { ...LINE, time: "soon" }], withError);
    assert.equal(view.status, "invalid");
    assert.equal(view.data, null);
    assert.equal(view.totals, null);
    assert.equal(view.rows[1].amount, "See the error in the form.");
    assert.equal(view.invalidText, config.texts.invalid);
  });
});

describe("summaries", () => {
  test("the total incl. VAT", () => {
    assert.deepEqual(state.summaryView(config, priced), {
      kind: "live", label: `${priced.estimate.labels.total_inc_vat}:`, value: priced.estimate.formatted.total_inc_vat,
    });
  });
  test("invalid input", () => {
    assert.equal(state.summaryView(config, withError).kind, "invalid");
    assert.equal(state.announcement(config, withError), `Check the fields: ${withError.errors[0].message}`);
  });
  test("while an answer is on its way", () => {
    const base = { touched: true, pending: true, response: null };
    assert.equal(state.summaryFor(config, { ...base, touched: false, phase: "ready" }), null);
    assert.equal(state.summaryFor(config, { ...base, phase: "loading" }).value, "Working it out …");
    assert.equal(state.summaryFor(config, { ...base, phase: "failed" }).value, "Not worked out");
    // The last answer stays (dimmed) while the next is computed.
    assert.equal(state.summaryFor(config, { ...base, phase: "ready", response: priced }), null);
    assert.equal(state.summaryFor(config, { ...base, pending: false, phase: "ready", response: priced }).kind, "live");
  });
  test("the announcement names the status and the total", () => {
    assert.equal(state.announcement(config, priced), `${priced.estimate.status_text}: ${priced.estimate.formatted.total_inc_vat}`);
  });
  test("inputs for paper leave out the time of a case not priced by time", () => {
    assert.deepEqual(state.inputsView(config, [LINE, FREE]), [
      "Case 1: Case for the service team – Norway – service agreement – 2:10",
      "Case 2: General support – Norway – service agreement",
    ]);
  });
});

describe("downloadView", () => {
  test("megabytes of the total, and the share that arrived", () => {
    const { words, fraction } = state.downloadView(config, "en", 3_200_000, 6_400_000);
    assert.equal(words, "Downloaded: 3.2 MB of 6.4 MB");
    assert.equal(fraction, 0.5);
  });
  test("in the page's language", () => {
    assert.match(state.downloadView(config, "nb", 3_200_000, 6_400_000).words, /3,2 MB/);
  });
  test("without a known total (or past it): only what arrived, and no share", () => {
    assert.deepEqual(state.downloadView(config, "en", 1_000_000, 0), { words: "Downloaded: 1.0 MB", fraction: 0 });
    assert.equal(state.downloadView(config, "en", 7_000_000, 6_000_000).fraction, 0);
  });
});
