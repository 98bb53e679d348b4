// The calculator's state, worked out without touching the DOM: the lines from a URL, the URL from the
// lines, and what the form and the estimate should show for a response of the calculator.
// view.js applies these views to the page; main.js wires the two to events and the worker.

export const URL_KEYS = Object.freeze(["tariff", "case", "minutes"]);
const LINE_FIELDS = Object.freeze(["tariff", "case", "hours", "minutes"]);

// A text from the page's configuration by key, with {placeholders}; the key itself if it is missing.
export function text(config, key, params = {}) {
  const template = config.texts[key];
  if (typeof template !== "string") return key;
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

function tariffOf(config, id) {
  return config.tariffs.find((tariff) => tariff.id === id) ?? null;
}

export function line(tariff = "", caseId = "", minutes = "", hours = "") {
  return { tariff, case: caseId, hours, minutes };
}

// A new line: the tariff of the last line (one estimate is in one currency) and its first case.
export function newLine(config, lines) {
  const last = lines.at(-1);
  const tariff = tariffOf(config, last?.tariff) ?? config.tariffs[0];
  return line(tariff.id, tariff.cases[0]);
}

// After the reader picks another tariff, keep the case if the tariff offers it, else take its first.
export function caseForTariff(config, tariffId, caseId) {
  const tariff = tariffOf(config, tariffId);
  if (tariff === null || tariff.cases.includes(caseId)) return caseId;
  return tariff.cases[0];
}

export function sameLines(a, b) {
  return a.length === b.length && a.every((one, i) => LINE_FIELDS.every((key) => one[key] === b[i][key]));
}

// ?tariff=no-service&case=service-case&minutes=130, the three repeated in line order for several lines.
export function linesFromQuery(search, config) {
  const params = new URLSearchParams(search);
  const [tariffs, cases, minutes] = URL_KEYS.map((key) => params.getAll(key));
  const count = Math.max(tariffs.length, cases.length);
  if (count === 0) return config.defaultLines.map((one) => ({ ...one }));
  return Array.from({ length: count }, (_, i) => line(tariffs[i] ?? "", cases[i] ?? "", minutes[i] ?? ""));
}

export function hasLinesInQuery(search) {
  const params = new URLSearchParams(search);
  return params.has("tariff") || params.has("case");
}

// "90.0" → "90", "92.50" → "92.5": the calculator's decimal string, without trailing zeros.
export function plainMinutes(minutes) {
  return /^\d+\.\d+$/.test(minutes) ? minutes.replace(/\.?0+$/, "") : minutes;
}

// For each form line, the calculator's line estimate, or null when the line was not priced.
export function pricedLines(count, response) {
  const priced = new Array(count).fill(null);
  const estimate = response?.estimate;
  if (!estimate) return priced;
  const bad = new Set(response.errors.filter((error) => error.line !== null).map((error) => error.line));
  let next = 0;
  for (let i = 0; i < count; i++) {
    if (!bad.has(i)) priced[i] = estimate.lines[next++] ?? null;
  }
  return priced;
}

// The query string for some lines. minutes is the total the calculator worked out (so hours typed
// as "1,5" travel as minutes=90); a line it could not price keeps the minutes as typed.
export function queryFromLines(lines, response = null) {
  const priced = pricedLines(lines.length, response);
  const params = new URLSearchParams();
  lines.forEach((one, i) => {
    const minutes = priced[i]?.minutes;
    params.append("tariff", one.tariff);
    params.append("case", one.case);
    params.append("minutes", typeof minutes === "string" ? plainMinutes(minutes) : one.minutes);
  });
  return params.toString();
}

function options(config, lineState) {
  const unknown = (value) => ({ value, label: text(config, "unknown-option", { value }) });
  const tariffs = config.tariffs.map((tariff) => ({ value: tariff.id, label: tariff.label }));
  if (!config.tariffs.some((tariff) => tariff.id === lineState.tariff)) tariffs.push(unknown(lineState.tariff));
  const offered = tariffOf(config, lineState.tariff)?.cases ?? [];
  const cases = offered.map((id) => ({ value: id, label: config.cases[id].label }));
  if (!offered.includes(lineState.case)) {
    const known = config.cases[lineState.case];
    cases.push(known ? { value: lineState.case, label: known.label } : unknown(lineState.case));
  }
  return { tariffs, cases };
}

// What each line of the form shows: options, values, whether time is used, and its errors.
export function formView(config, lines, response = null) {
  const errors = response?.errors ?? [];
  return {
    lines: lines.map((lineState, index) => {
      const mine = errors.filter((error) => error.line === index);
      const about = (...fields) => mine.find((error) => fields.includes(error.field)) ?? null;
      const { tariffs, cases } = options(config, lineState);
      const timeError = about("hours", "minutes");
      return {
        legend: text(config, "line-legend", { number: index + 1 }),
        removeLabel: text(config, "remove-line", { number: index + 1 }),
        removable: lines.length > 1,
        tariff: { value: lineState.tariff, options: tariffs, error: about("tariff") },
        case: { value: lineState.case, options: cases, error: about("case") },
        usesTime: config.cases[lineState.case]?.uses_time ?? true,
        hours: { value: lineState.hours, invalid: timeError?.field === "hours" },
        minutes: { value: lineState.minutes, invalid: timeError?.field === "minutes" },
        timeError,
      };
    }),
    formErrors: errors.filter(
      (error) => error.line === null || error.line >= lines.length || !LINE_FIELDS.includes(error.field),
    ),
    canAdd: lines.length < config.maxLines,
  };
}

// What the estimate shows for a response: the decimal data, the rows, the totals, the notes.
export function estimateView(config, lines, response) {
  const estimate = response.estimate;
  const invalid = response.errors.length > 0;
  const priced = pricedLines(lines.length, response);
  const rows = lines.map((lineState, index) => {
    const one = priced[index];
    if (one) {
      return {
        kind: "priced",
        status: one.status,
        statusText: one.status_text,
        caseLabel: one.case_label,
        tariffLabel: one.tariff_label,
        quantities: one.items.map((item) => `${item.quantity_text} × ${item.unit}`),
        unitPrices: one.items.map((item) => item.unit_price_text),
        amount: one.amount_text,
      };
    }
    return {
      kind: "invalid",
      caseLabel: config.cases[lineState.case]?.label ?? lineState.case,
      tariffLabel: tariffOf(config, lineState.tariff)?.label ?? lineState.tariff,
      text: text(config, "line-invalid"),
    };
  });
  const hasAmounts = priced.some((one) => one && one.amount_ex_vat !== null);
  return {
    status: invalid ? "invalid" : estimate.status,
    statusText: invalid ? text(config, "status-invalid") : estimate.status_text,
    data: invalid
      ? null
      : { totalExVat: estimate.total_ex_vat, vat: estimate.vat, totalIncVat: estimate.total_inc_vat },
    invalidText: invalid ? text(config, "invalid") : null,
    rows,
    totals:
      !invalid && hasAmounts
        ? [
            { label: estimate.labels.total_ex_vat, amount: estimate.formatted.total_ex_vat },
            { label: estimate.labels.vat, amount: estimate.formatted.vat },
            { label: estimate.labels.total_inc_vat, amount: estimate.formatted.total_inc_vat, grand: true },
          ]
        : null,
    notes: estimate?.notes ?? [],
    query: queryFromLines(lines, response),
  };
}

// A short summary for screen readers: the status and the total, or what is wrong.
export function announcement(config, response) {
  if (response.errors.length > 0) return text(config, "announce-invalid", { message: response.errors[0].message });
  const estimate = response.estimate;
  const hasAmounts = estimate.lines.some((one) => one.amount_ex_vat !== null);
  if (!hasAmounts) return estimate.status_text;
  return text(config, "announce-result", { status: estimate.status_text, total: estimate.formatted.total_inc_vat });
}
