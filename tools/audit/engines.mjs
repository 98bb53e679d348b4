// The smoke scenario of tests/browser/test_engines.py in Chromium or Firefox, through puppeteer
// (Chromium over CDP, Firefox over WebDriver BiDi), with Debian's browsers: never a download.
//
//   node engines.mjs <chrome|firefox> <executable> <site url> <url of a copy whose runtime is blocked> <page>...
//
// Prints one JSON object: per page, the console errors and failed requests seen while it loaded; the
// language switch; the calculator going live, recalculating a typed time, keeping its lines across a
// language switch; and the failure message when the runtime cannot load. The test judges it.
import puppeteer from "puppeteer";

const [engine, executablePath, siteURL, blockedURL, ...pages] = process.argv.slice(2);
const READY = "[data-calculator][data-state=ready]:not([data-pending])";
const browser = await puppeteer.launch({
  browser: engine,
  executablePath,
  headless: true,
  protocolTimeout: 90000,
  args: engine === "chrome" ? ["--no-sandbox", "--disable-dev-shm-usage"] : [],
});

// A page that records what went wrong while it was open.
async function open() {
  const page = await browser.newPage();
  // As long as the other waits: on a loaded two-core machine a page's load event took over 30 s (Puppeteer's default).
  page.setDefaultNavigationTimeout(60000);
  page.problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") page.problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => page.problems.push(`error: ${error.message ?? error}`));
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "";
    // A request the page cancels itself is not a failure (Chromium: ERR_ABORTED, Firefox: NS_BINDING_ABORTED).
    if (!/ABORTED/.test(reason)) page.problems.push(`failed: ${request.url()} ${reason}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) page.problems.push(`${response.status()}: ${response.url()}`);
  });
  return page;
}

async function switchLanguage(page, lang) {
  await page.click(".md-header .md-select > button");
  // Waiting for the navigation the click starts, as Puppeteer's docs do it, so a quick navigation
  // cannot finish before the wait begins.
  await Promise.all([
    page.waitForNavigation({ waitUntil: "load", timeout: 60000 }),
    page.click(`.md-select__link[hreflang="${lang}"]`),
  ]);
  // The new page in the other language, loaded.
  await page.waitForFunction(
    (wanted) => document.documentElement.lang === wanted && document.readyState === "complete",
    { timeout: 60000, polling: 100 },
    lang,
  );
}

const estimate = (page) =>
  page.$eval("#estimate", (el) => ({
    status: el.dataset.status,
    source: el.dataset.source,
    totalExVat: el.dataset.totalExVat ?? null,
  }));

const result = { engine, version: await browser.version(), pages: {}, steps: {} };
try {
  const page = await open();
  for (const path of pages) {
    page.problems = [];
    await page.goto(siteURL + path, { waitUntil: "load" });
    await new Promise((done) => setTimeout(done, 300)); // the theme's requests after load
    result.pages[path] = page.problems;
  }

  page.problems = [];
  await page.goto(siteURL + "norway/", { waitUntil: "load" });
  await switchLanguage(page, "sv");
  result.steps.languageSwitch = { url: page.url(), lang: await page.$eval("html", (el) => el.lang) };

  // The calculator: live, a typed time recalculated, its lines kept across a language switch.
  const started = Date.now();
  await page.goto(siteURL + "en/calculator/", { waitUntil: "load" });
  await page.waitForSelector(READY, { timeout: 60000 });
  result.steps.live = { seconds: (Date.now() - started) / 1000, start: await page.$eval("[data-calculator]", (el) => el.dataset.start) };
  const line = await page.$eval("#calc-0-tariff", (el) => el.value);
  const kind = await page.$eval("#calc-0-case", (el) => el.value);
  await page.click("#calc-0-time-input", { count: 3 });
  await page.keyboard.press("Backspace");
  await page.type("#calc-0-time-input", "45");
  await page.waitForFunction(
    () => document.querySelector("#estimate").dataset.source === "live" && document.querySelector("[data-calculator]:not([data-pending])"),
    { timeout: 20000 },
  );
  await page.waitForFunction(() => new URL(location.href).searchParams.get("minutes") === "45", { timeout: 20000 });
  result.steps.recalculated = { tariff: line, case: kind, minutes: 45, estimate: await estimate(page) };
  await page.click("[data-calculator-add]");
  await page.waitForSelector(READY);
  await page.waitForFunction(() => new URL(location.href).searchParams.getAll("minutes").length === 2, { timeout: 20000 });
  await switchLanguage(page, "sv");
  await page.waitForSelector("[data-calculator]");
  result.steps.linesAfterSwitch = {
    url: page.url(),
    lines: await page.$$eval("[data-line]", (lines) => lines.length),
    time: await page.$eval("#calc-0-time-input", (el) => el.value),
  };
  result.steps.problems = page.problems;
  await page.close();

  // The runtime blocked: the reader gets the failure message.
  const blocked = await open();
  await blocked.goto(blockedURL + "calculator/", { waitUntil: "load" });
  await blocked.waitForSelector("[data-calculator][data-state=failed]", { timeout: 30000 });
  result.steps.blocked = {
    state: await blocked.$eval("[data-calculator]", (el) => el.dataset.state),
    message: await blocked.$eval("#calculator-status", (el) => el.textContent.trim()),
  };
  await blocked.close();
} catch (error) {
  result.error = String(error?.stack ?? error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
