// On pages other than the calculator: when the reader shows intent to open the calculator (a pointer
// over, or focus on, a link to it), ask the browser to prefetch its Python runtime and start-up
// snapshot into the HTTP cache, so the calculator comes to life sooner. Nothing is fetched before that
// intent, and nothing at all when the reader asked to save data (Save-Data) or the connection is slow.
// The URLs come from <script id="calculator-warm" type="application/json"> (sitebuild/page_data.py).
// A classic script (loaded with defer): wrapped, so that none of its names lands in the page's global scope.
(() => {
  const element = document.getElementById("calculator-warm");
  const warm = element ? JSON.parse(element.textContent) : null;

  function allowed() {
    const connection = navigator.connection;
    return !(connection?.saveData || /(^|-)2g$/.test(connection?.effectiveType ?? ""));
  }

  function toCalculator(target) {
    const link = target?.closest?.("a[href]");
    if (!link) return false;
    const path = new URL(link.href, document.baseURI).pathname;
    return warm.pages.some((page) => new URL(page, document.baseURI).pathname === path);
  }

  let done = false;
  function onIntent(event) {
    if (done || !toCalculator(event.target) || !allowed()) return;
    done = true;
    for (const url of warm.urls) {
      const link = document.createElement("link");
      link.rel = "prefetch";
      link.as = "fetch";
      link.crossOrigin = "anonymous";
      link.href = new URL(url, document.baseURI).href;
      document.head.append(link);
    }
    document.documentElement.dataset.calculatorWarmed = "";
  }

  if (warm) {
    document.addEventListener("pointerover", onIntent, { passive: true });
    document.addEventListener("focusin", onIntent);
  }
})();
