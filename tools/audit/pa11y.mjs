// pa11y over a list of URLs in one Debian Chromium: both runners (HTML_CodeSniffer and axe), WCAG 2 AA.
// Usage: node pa11y.mjs <chromium> <url>...; prints {url: [issue, ...]} as JSON on stdout.
// tools/audit/audit.py runs it and compares the issues with tests/audit/exceptions.toml.
import pa11y from "pa11y";
import puppeteer from "puppeteer";

const [executablePath, ...urls] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const results = {};
try {
  for (const url of urls) {
    const result = await pa11y(url, {
      browser,
      standard: "WCAG2AA",
      runners: ["htmlcs", "axe"],
      timeout: 60000,
      // Errors only: warnings and notices are prompts for a human review, not findings.
      includeWarnings: false,
      includeNotices: false,
    });
    results[url] = result.issues.map(({ code, message, selector, context, runner }) => ({
      code,
      message,
      selector,
      context,
      runner,
    }));
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
