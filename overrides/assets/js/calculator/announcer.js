// What a screen reader hears: one live region (data-calculator-announcer), written only when what it
// would say changes. A summary is read out once the reader pauses, not on every keystroke; the result
// of an explicit act (Enter, a line added or removed) at once.

// A summary is read out once the reader pauses, not on every keystroke.
export const ANNOUNCE_DELAY_MS = 750;

export function createAnnouncer(region, { delayMs = ANNOUNCE_DELAY_MS } = {}) {
  let announced = null;
  let timer = 0;
  return {
    say(summary, { now = false } = {}) {
      clearTimeout(timer);
      const write = () => {
        if (summary === announced) return;
        announced = summary;
        region.textContent = summary;
      };
      if (now) write();
      else timer = setTimeout(write, delayMs);
    },
    // Nothing said yet: the first live result that only confirms what is on screen is kept silent.
    get silent() {
      return announced === null;
    },
    // Count `summary` as said without saying it.
    assume(summary) {
      announced = summary;
    },
  };
}
