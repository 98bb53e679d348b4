// Starts Python's worker as the calculator page's very first act: sitebuild/page_data.py inlines
// this script at the top of <head>, right after the configuration it reads. Waiting for main.js would
// wait for the theme's styles and the page to be parsed, about a third of a second on a cold visit.
//
// It posts SETUP (id 1) and keeps every event the worker sends until main.js adopts the worker
// (WorkerChannel.adopt); main.js also reuses `setup` to start again after a failure. A classic script,
// not a module, so that it runs where it stands; it touches nothing of the page but window.calculatorBoot.
(() => {
  const element = document.getElementById("calculator-config");
  if (!element || typeof WebAssembly !== "object" || typeof Worker !== "function") return;
  const boot = { events: [], worker: null, setup: null, workerURL: null, error: null, release: () => {} };
  window.calculatorBoot = boot;
  try {
    const config = JSON.parse(element.textContent);
    const absolute = (url) => new URL(url, document.baseURI).href;
    // The build-time snapshot (the build refuses one made for another runtime or wheel), or null.
    const snapshot = config.snapshot;
    boot.workerURL = absolute(config.workerURL);
    boot.setup = {
      indexURL: absolute(config.pyodideURL),
      wheelURL: absolute(config.wheelURL),
      wheelSHA256: config.wheelSHA256,
      snapshot: snapshot ? { ...snapshot, url: absolute(snapshot.url), stdlibURL: absolute(snapshot.stdlibURL) } : null,
    };
    // The SETUP goes in the URL's fragment as well (no part of the request, so no cache is split by
    // it): the worker starts Python from it as soon as its script runs. A posted message waits for
    // this page's main thread, which is busy parsing the page then, to pass it on (measured: 150-300 ms).
    const message = { ...boot.setup, id: 1, type: "SETUP" };
    const worker = new Worker(`${boot.workerURL}#${encodeURIComponent(JSON.stringify(message))}`, { type: "module", name: "calculator" });
    const keep = (event) => {
      if (event.type === "error") event.preventDefault(); // main.js reports it once it adopts the worker
      boot.events.push(event);
    };
    const types = ["message", "error", "messageerror"];
    types.forEach((type) => worker.addEventListener(type, keep));
    boot.release = () => types.forEach((type) => worker.removeEventListener(type, keep));
    worker.postMessage(message);
    boot.worker = worker;
    performance.mark("calculator:launch");
  } catch (error) {
    boot.error = error;
  }
})();
