// pa11y drives Debian's Chromium through puppeteer: never download a browser of puppeteer's own.
module.exports = { skipDownload: true };
