// The estimate's link: the address bar follows the form (history.replaceState, never a new entry), the
// printed link shows it, and the language switcher's links to the calculator carry the same lines
// (the query string is the estimate; every language's page reads it the same way).

import { linesFromQuery, linkNotices, sameLines } from "./state.js";

// The address bar follows the form once the reader pauses this long, not on the way from a keystroke
// to its estimate: history.replaceState costs this page up to 12-20 ms on a 2-core machine (measured).
export const LINK_DELAY_MS = 120;

// The same calculator page in another language with the estimate's query (`search`, "" for none), or
// null for a link that is not to a calculator page of this site.
export function alternateHref(href, pageHref, search) {
  const url = new URL(href, pageHref);
  if (url.origin !== new URL(pageHref).origin) return null;
  if (!/\/calculator\/$/.test(url.pathname)) return null;
  url.search = search;
  return url.href;
}

// Back and forward to a history entry with query `search`, while the form holds `lines` whose query
// is `query`: the entry's lines and notices for the form, or null when the form stays as it is (and
// the address bar takes the form's state). An entry without lines (an anchor's, from before the form
// was touched) and the same estimate in other words ("2:10" in the field, minutes=130 in the URL)
// keep the form.
export function linesFromHistory(config, search, lines, query) {
  const fromURL = linesFromQuery(search, config);
  if (fromURL.count === 0) return null;
  if (sameLines(fromURL.lines, lines) || search.replace(/^\?/, "") === query) return null;
  return { lines: fromURL.lines, notices: linkNotices(config, fromURL.count) };
}

// `touched()`: whether the reader (or a link) gave input, which alone goes into the URL; `query()`:
// the query string for the form as it is. data-link-pending is on `root` while the address bar is
// behind the form.
export function createAddressBar({ root, printLink, linkLabel, touched, query }) {
  let timer = 0;

  function keepInOtherLanguages() {
    const search = touched() ? location.search : "";
    for (const link of document.querySelectorAll("a[hreflang], link[rel=alternate][hreflang]")) {
      const href = alternateHref(link.getAttribute("href"), location.href, search);
      if (href !== null) link.setAttribute("href", href);
    }
  }

  // Bring the address bar, the printed link and the language links up to date now.
  function write() {
    if (touched()) {
      clearTimeout(timer);
      root.removeAttribute("data-link-pending");
      const wanted = query();
      if (location.search.slice(1) !== wanted) {
        history.replaceState(history.state, "", `${location.pathname}?${wanted}${location.hash}`);
      }
    }
    printLink.textContent = `${linkLabel}: ${location.href}`;
    keepInOtherLanguages();
  }

  // The same, once the reader pauses.
  function later() {
    if (!touched()) return;
    clearTimeout(timer);
    root.toggleAttribute("data-link-pending", true);
    timer = setTimeout(write, LINK_DELAY_MS);
  }

  return { write, later, query };
}
