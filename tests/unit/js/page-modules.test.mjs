// The calculator page's modules that decide without the DOM: links.js, startup.js, calculation.js,
// announcer.js and channel.js (with a stand-in for the Worker) (node --test).

import assert from "node:assert/strict";
import { describe, mock, test } from "node:test";

import { createAnnouncer } from "../../../overrides/assets/js/calculator/announcer.js";
import { ANSWER_TIMEOUT_MS, MAX_RESTARTS, calculateRequest, createCalculation, withTimeout } from "../../../overrides/assets/js/calculator/calculation.js";
import { WorkerChannel } from "../../../overrides/assets/js/calculator/channel.js";
import { alternateHref, linesFromHistory } from "../../../overrides/assets/js/calculator/links.js";
import { DOWNLOAD, ERRORS, STAGES, TYPES } from "../../../overrides/assets/js/calculator/protocol.js";
import { PROGRESS_START, launch, nextProgress, progressValue } from "../../../overrides/assets/js/calculator/startup.js";
import { queryFromLines } from "../../../overrides/assets/js/calculator/state.js";
import { config } from "./fixtures.mjs";

// A Worker stand-in: records what the page posts; `emit` plays what the worker would send.
class FakeWorker extends EventTarget {
  constructor(url = null) {
    super();
    this.url = url;
    this.posted = [];
    this.terminated = false;
    FakeWorker.last = this;
  }
  postMessage(message) {
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  emit(data) {
    this.dispatchEvent(Object.assign(new Event("message"), { data }));
  }
}
globalThis.Worker = FakeWorker;

describe("links", () => {
  const page = "https://example.org/en/calculator/?tariff=a";
  test("a language link to a calculator page gets the estimate's query", () => {
    assert.equal(alternateHref("/sv/calculator/", page, "?x=1"), "https://example.org/sv/calculator/?x=1");
    assert.equal(alternateHref("../calculator/?old=1", page, ""), "https://example.org/en/calculator/");
  });
  test("other pages and other sites are left alone", () => {
    assert.equal(alternateHref("/sv/norway/", page, "?x=1"), null);
    assert.equal(alternateHref("https://elsewhere.example/en/calculator/", page, "?x=1"), null);
  });
  test("Back to an entry with other lines shows them", () => {
    const lines = [{ tariff: "no-service", case: "service-case", time: "2:10" }];
    const entry = linesFromHistory(config, "?tariff=no-support&case=custom-work&minutes=30", lines, "");
    assert.deepEqual(entry, { lines: [{ tariff: "no-support", case: "custom-work", time: "30 min" }], notices: [] });
  });
  test("Back to an entry without lines, or with the same estimate in other words, keeps the form", () => {
    const lines = [{ tariff: "no-service", case: "service-case", time: "2:10" }];
    assert.equal(linesFromHistory(config, "", lines, "x"), null);
    const query = "tariff=no-service&case=service-case&minutes=130";
    assert.equal(linesFromHistory(config, `?${query}`, lines, query), null);
    assert.equal(linesFromHistory(config, `?${queryFromLines(config, lines)}`, lines, "other"), null);
  });
});

describe("start-up progress", () => {
  test("downloads fill the bar up to 3, stages move it on, never back", () => {
    let progress = nextProgress(PROGRESS_START, DOWNLOAD, 0.5);
    assert.equal(progressValue(progress), 2);
    progress = nextProgress(progress, STAGES[0]); // "runtime" comes early: no step
    assert.equal(progressValue(progress), 2);
    progress = nextProgress(progress, "python");
    assert.equal(progressValue(progress), 3);
    progress = nextProgress(progress, DOWNLOAD, 0.1);
    assert.equal(progressValue(progress), 3);
    progress = nextProgress(progress, "calculator");
    assert.equal(progressValue(progress), 4);
  });
  test("an unknown stage changes nothing", () => {
    assert.equal(nextProgress(PROGRESS_START, "elsewhere"), PROGRESS_START);
  });
  test("without boot.js's SETUP there is no attempt, only its error", () => {
    const { error } = launch({ setup: null, error: new Error("blocked") });
    assert.equal(error.message, "blocked");
    assert.match(String(launch({}).error), /boot\.js did not run/);
  });
  test("a new worker gets the SETUP; progress before anyone follows is replayed", async () => {
    const attempt = launch({ setup: { indexURL: "/p/" }, workerURL: "/w.js" });
    const worker = FakeWorker.last;
    assert.equal(worker.url, "/w.js");
    assert.deepEqual(worker.posted, [{ indexURL: "/p/", id: 1, type: TYPES.SETUP }]);
    worker.emit({ id: 1, type: TYPES.PROGRESS, stage: "python" });
    const seen = [];
    attempt.onProgress((stage) => seen.push(stage));
    worker.emit({ id: 1, type: TYPES.PROGRESS, stage: "calculator" });
    assert.deepEqual(seen, ["python", "calculator"]);
    worker.emit({ id: 1, type: TYPES.READY });
    assert.equal((await attempt.reply).type, TYPES.READY);
  });
});

describe("adopting boot.js's worker", () => {
  test("events kept before adoption are handled in order; the SETUP's reply resolves", async () => {
    const worker = new FakeWorker();
    const events = [
      Object.assign(new Event("message"), { data: { id: 1, type: TYPES.PROGRESS, stage: DOWNLOAD, received: 10 } }),
      Object.assign(new Event("message"), { data: { id: 1, type: TYPES.PROGRESS, stage: "python" } }),
    ];
    let released = false;
    const boot = { worker, events, setup: {}, release: () => { released = true; } };
    const attempt = launch(boot, { adopt: true });
    assert.ok(released);
    assert.equal(events.length, 0);
    const seen = [];
    attempt.onProgress((stage, received) => seen.push([stage, received]));
    assert.deepEqual(seen, [[DOWNLOAD, 10], ["python", undefined]]);
    worker.emit({ id: 1, type: TYPES.READY, timings: { start: "snapshot" } });
    assert.deepEqual(await attempt.reply, { id: 1, type: TYPES.READY, timings: { start: "snapshot" } });
    // The next request gets the next id.
    const reply = attempt.channel.request(TYPES.CALCULATE, { request: {} });
    assert.equal(worker.posted.at(-1).id, 2);
    worker.emit({ id: 2, type: TYPES.RESULT, response: { ok: true } });
    assert.deepEqual((await reply).response, { ok: true });
  });
});

describe("WorkerChannel", () => {
  test("a reply outside the protocol fails every waiting request, and stops the worker", async () => {
    const worker = new FakeWorker();
    const channel = new WorkerChannel(worker);
    const reply = channel.request(TYPES.CALCULATE, { request: {} });
    worker.emit({ id: 1, type: "SURPRISE" });
    const answer = await reply;
    assert.equal(answer.type, TYPES.ERROR);
    assert.equal(answer.error.code, ERRORS.UNKNOWN_TYPE);
    assert.ok(worker.terminated);
    // Later requests fail at once, with the same reason.
    assert.equal((await channel.request(TYPES.CALCULATE)).error.code, ERRORS.UNKNOWN_TYPE);
  });
  test("a crashed worker is reported as an ERROR, never thrown", async () => {
    const worker = new FakeWorker();
    const channel = new WorkerChannel(worker);
    const reply = channel.request(TYPES.SETUP);
    worker.dispatchEvent(Object.assign(new Event("error", { cancelable: true }), { message: "boom" }));
    assert.deepEqual((await reply).error, { code: ERRORS.WORKER_FAILED, detail: "boom" });
  });
  test("replies are matched by id, whatever their order", async () => {
    const worker = new FakeWorker();
    const channel = new WorkerChannel(worker);
    const first = channel.request(TYPES.CALCULATE, { request: 1 });
    const second = channel.request(TYPES.CALCULATE, { request: 2 });
    worker.emit({ id: 2, type: TYPES.RESULT, response: "two" });
    worker.emit({ id: 1, type: TYPES.RESULT, response: "one" });
    assert.equal((await first).response, "one");
    assert.equal((await second).response, "two");
  });
});

describe("calculation", () => {
  test("withTimeout: the reply if it comes in time, else a timeout ERROR", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const never = new Promise(() => {});
      const late = withTimeout(never);
      mock.timers.tick(ANSWER_TIMEOUT_MS);
      assert.equal((await late).error.code, ERRORS.TIMEOUT);
      assert.deepEqual(await withTimeout(Promise.resolve({ type: TYPES.RESULT })), { type: TYPES.RESULT });
    } finally {
      mock.timers.reset();
    }
  });

  test("the request asks for comparisons and the case's text too", () => {
    assert.deepEqual(calculateRequest(config, [], "https://x/"), {
      lang: "en", lines: [], compare: true, case_text: true, page_url: "https://x/",
    });
  });

  function app(overrides = {}) {
    return {
      phase: "ready", touched: true, lines: [{ tariff: "a", case: "b", time: "1" }], revision: 1,
      inFlight: false, restarts: 0, channel: null, ...overrides,
    };
  }

  test("only the latest input is shown: an answer for older input asks again", async () => {
    globalThis.location = { origin: "https://x", pathname: "/en/calculator/" };
    const requests = [];
    const state = app();
    state.channel = {
      request: (type, { request }) => {
        requests.push(request.lines[0].time);
        if (requests.length === 1) state.revision = 2; // the reader typed on meanwhile
        return Promise.resolve({ type: TYPES.RESULT, response: { n: requests.length } });
      },
    };
    state.lines = [{ tariff: "a", case: "b", time: "1" }];
    const shown = [];
    const calculation = createCalculation({
      app: state, config, showResult: (response, lines, revision) => shown.push([response.n, revision]),
      restart: () => assert.fail("no restart"), giveUp: () => assert.fail("no give-up"),
    });
    await calculation.compute();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(shown, [[2, 2]]);
    assert.equal(requests.length, 2);
  });

  test("a lost worker is replaced MAX_RESTARTS times in a row, then the page gives up", async () => {
    globalThis.location = { origin: "https://x", pathname: "/en/calculator/" };
    const state = app();
    let restarts = 0;
    let gaveUp = false;
    const closed = [];
    const broken = { request: () => Promise.resolve({ type: TYPES.ERROR, error: { code: ERRORS.WORKER_FAILED } }), close: (code) => closed.push(code) };
    const warn = mock.method(console, "warn", () => {});
    try {
      const calculation = createCalculation({
        app: state, config, showResult: () => assert.fail("nothing to show"),
        restart: () => { restarts += 1; state.channel = broken; },
        giveUp: () => { gaveUp = true; },
      });
      for (let i = 0; i <= MAX_RESTARTS; i++) {
        state.channel = broken;
        await calculation.compute();
      }
    } finally {
      warn.mock.restore();
    }
    assert.equal(restarts, MAX_RESTARTS);
    assert.ok(gaveUp);
    assert.equal(state.channel, null);
    assert.equal(closed.length, MAX_RESTARTS + 1);
  });

  test("nothing is asked before Python is ready, nor twice at once", async () => {
    let asked = 0;
    let answer;
    const channel = { request: () => { asked += 1; return new Promise((resolve) => { answer = resolve; }); } };
    const state = app({ phase: "loading", channel });
    const shown = [];
    const calculation = createCalculation({ app: state, config, showResult: (response) => shown.push(response), restart() {}, giveUp() {} });
    await calculation.compute();
    assert.equal(asked, 0);
    state.phase = "ready";
    const first = calculation.compute(); // waits for its answer
    await calculation.compute();
    assert.equal(asked, 1);
    answer({ type: TYPES.RESULT, response: "done" });
    await first;
    assert.deepEqual(shown, ["done"]);
  });
});

describe("announcer", () => {
  test("says a summary once the reader pauses, only the latest, and never the same twice", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const region = { textContent: "" };
      const announcer = createAnnouncer(region, { delayMs: 100 });
      announcer.say("one");
      announcer.say("two");
      mock.timers.tick(99);
      assert.equal(region.textContent, "");
      mock.timers.tick(1);
      assert.equal(region.textContent, "two");
      region.textContent = "";
      announcer.say("two", { now: true });
      assert.equal(region.textContent, "", "the same summary is not said again");
      announcer.say("three", { now: true });
      assert.equal(region.textContent, "three");
    } finally {
      mock.timers.reset();
    }
  });
  test("a result that only confirms the page is kept silent", () => {
    const region = { textContent: "" };
    const announcer = createAnnouncer(region);
    assert.ok(announcer.silent);
    announcer.assume("as built");
    assert.ok(!announcer.silent);
    announcer.say("as built", { now: true });
    assert.equal(region.textContent, "");
  });
});
