// The calculator's state, worked out without touching the DOM: the lines from a URL, the URL from the
// lines, and what the form and the estimate should show for a response of the calculator.
// view.js applies these views to the page; main.js wires the two to events and the worker.

const LINE_FIELDS = Object.freeze(["tariff", "case", "time"]);

// A text from the page's configuration by key, with {placeholders}; the key itself if it is missing.
export function text(config, key, params = {}) {
  const template = config.texts[key];
  if (typeof template !== "string") return key;
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

function tariffOf(config, id) {
  return config.tariffs.find((tariff) => tariff.id === id) ?? null;
}

// A line of the form: `time` is the time field's text, exactly as typed (Python reads it).
export function line(tariff = "", caseId = "", time = "") {
  return { tariff, case: caseId, time };
}

// The time field for a link's minutes=: plain minutes get their unit ("130" → "130 min", which reads
// the same in every language); anything else is shown as the link has it, so its error can be seen.
export function timeFromMinutes(minutes) {
  return /^\d+(\.\d+)?$/.test(minutes) ? `${minutes} min` : minutes;
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
// The build owns the format (sitebuild/query_format.py) and describes it in config.queryFormat:
// {lineKeys: [tariff, case, minutes], typedTimeKey: time}.
function queryKeys(config) {
  const [tariff, caseKey, minutes] = config.queryFormat.lineKeys;
  return { tariff, case: caseKey, minutes, typedTime: config.queryFormat.typedTimeKey };
}

// At most config.maxLines lines are read; `count` says how many the link had.
export function linesFromQuery(search, config) {
  const params = new URLSearchParams(search);
  const keys = queryKeys(config);
  const [tariffs, cases, minutes] = [keys.tariff, keys.case, keys.minutes].map((key) => params.getAll(key));
  const times = params.getAll(keys.typedTime); // a form sent without the script (the submit button)
  const count = Math.max(tariffs.length, cases.length);
  if (count === 0) return { lines: config.defaultLines.map((one) => ({ ...one })), count: 0 };
  const kept = Math.min(count, config.maxLines);
  const lines = Array.from({ length: kept }, (_, i) => line(
    tariffs[i] ?? "",
    cases[i] ?? "",
    times[i] ?? timeFromMinutes(minutes[i] ?? ""),
  ));
  return { lines, count };
}

// What the form says about a link with more lines than the page takes: nothing, or that it was cut.
export function linkNotices(config, count) {
  return count > config.maxLines ? [text(config, "lines-cut", { count, max_lines: config.maxLines })] : [];
}

// "Lastet ned: 3,2 MB av 6,1 MB" for `received` of `total` bytes (total 0: not known), in `lang`, and
// the share of the total that has arrived (0 when it is not known).
export function downloadView(config, lang, received, total) {
  const megabytes = new Intl.NumberFormat(lang, {
    style: "unit", unit: "megabyte", minimumFractionDigits: 1, maximumFractionDigits: 1,
  });
  const known = total > 0 && received <= total;
  const words = known
    ? text(config, "downloaded-of", { received: megabytes.format(received / 1e6), total: megabytes.format(total / 1e6) })
    : text(config, "downloaded", { received: megabytes.format(received / 1e6) });
  return { words, fraction: known ? received / total : 0 };
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

// The query string for some lines. minutes is the total the calculator worked out (so "2:10" travels
// as minutes=130); a line it could not price keeps the time as typed ("130 min" as 130).
export function queryFromLines(config, lines, response = null) {
  const keys = queryKeys(config);
  const priced = pricedLines(lines.length, response);
  const params = new URLSearchParams();
  lines.forEach((one, i) => {
    const minutes = priced[i]?.minutes;
    const typed = (one.time ?? one.minutes ?? "").trim().replace(/^(\d+(\.\d+)?) min$/, "$1");
    params.append(keys.tariff, one.tariff);
    params.append(keys.case, one.case);
    params.append(keys.minutes, typeof minutes === "string" ? plainMinutes(minutes) : typed);
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

// A time field still empty is unfinished, not wrong: its message is a prompt (not marked invalid, not
// in the error colour) until the reader sends the form (`submitted`), however the estimate came about
// (a change of case computes it too).
const EMPTY_TIME = "time-empty";

// Whether the response's only errors are time fields not filled in yet, and the form was not sent:
// the page then says what to do, not that something is wrong.
export function unfinished(response, submitted = false) {
  const errors = response?.errors ?? [];
  return !submitted && errors.length > 0 && errors.every((error) => error.code === EMPTY_TIME);
}

// What each line of the form shows: options, values, whether time is used, how the time was read,
// and its errors.
export function formView(config, lines, response = null, { submitted = false } = {}) {
  const errors = response?.errors ?? [];
  const priced = pricedLines(lines.length, response);
  return {
    lines: lines.map((lineState, index) => {
      const mine = errors.filter((error) => error.line === index);
      const about = (...fields) => mine.find((error) => fields.includes(error.field)) ?? null;
      const { tariffs, cases } = options(config, lineState);
      const timeError = about("time", "hours", "minutes");
      const prompt = timeError?.code === EMPTY_TIME && !submitted;
      const reading = priced[index]?.time_text;
      return {
        legend: text(config, "line-legend", { number: index + 1 }),
        removeLabel: text(config, "remove-line", { number: index + 1 }),
        removable: lines.length > 1,
        tariff: { value: lineState.tariff, options: tariffs, error: about("tariff") },
        case: { value: lineState.case, options: cases, error: about("case") },
        usesTime: config.cases[lineState.case]?.uses_time ?? true,
        time: { value: lineState.time, invalid: Boolean(timeError) && !prompt },
        reading: typeof reading === "string" ? text(config, "time-read-as", { time: reading }) : "",
        timeError,
        timePrompt: prompt,
      };
    }),
    formErrors: errors.filter(
      (error) => error.line === null || error.line >= lines.length || !["tariff", "case", "time", "hours", "minutes"].includes(error.field),
    ),
    canAdd: lines.length < config.maxLines,
  };
}

// What the estimate shows for a response: the decimal data, the rows, the totals, the notes. Rows and
// totals fill the same markup as the build's estimate (view.js clones it from <template>s).
export function estimateView(config, lines, response, { submitted = false } = {}) {
  const estimate = response.estimate;
  const invalid = response.errors.length > 0;
  // Nothing is marked while the form only waits for a time: say what to type instead.
  const invalidText = unfinished(response, submitted) ? response.errors[0].message : text(config, "invalid");
  const priced = pricedLines(lines.length, response);
  const rows = lines.map((lineState, index) => {
    const one = priced[index];
    if (one) {
      return {
        status: one.status,
        statusText: one.status_text,
        caseLabel: one.case_label,
        tariffLabel: one.tariff_label,
        timeText: one.time_text ?? "",
        quantities: one.items.map((item) => item.quantity_label),
        unitPrices: one.items.map((item) => item.unit_price_label),
        amount: one.amount_text,
      };
    }
    return {
      status: "invalid",
      statusText: text(config, "status-invalid"),
      caseLabel: config.cases[lineState.case]?.label ?? lineState.case,
      tariffLabel: tariffOf(config, lineState.tariff)?.label ?? lineState.tariff,
      timeText: "",
      quantities: [],
      unitPrices: [],
      amount: text(config, "line-invalid"),
    };
  });
  // No total without a price: when no line has one, the totals are null (never 0.00).
  const hasTotal = !invalid && typeof estimate?.total_inc_vat === "string";
  return {
    status: invalid ? "invalid" : estimate.status,
    statusText: invalid ? text(config, "status-invalid") : estimate.status_text,
    data: hasTotal
      ? { totalExVat: estimate.total_ex_vat, vat: estimate.vat, totalIncVat: estimate.total_inc_vat }
      : null,
    invalidText: invalid ? invalidText : null,
    rows,
    totals: hasTotal
      ? ["total_ex_vat", "vat", "total_inc_vat"].map((key) => ({ key, label: estimate.labels[key], amount: estimate.formatted[key] }))
      : null,
    notes: estimate?.notes ?? [],
    query: queryFromLines(config, lines, response),
  };
}

// The summary while the page's state is what it is: null keeps what the summary shows. The example
// until the reader gives input; then Python's answer for it. While an answer is on its way the last one
// stays (dimmed); with none yet, it says so, never the example's.
export function summaryFor(config, { touched, pending, phase, response, submitted = false }) {
  if (!touched) return null;
  if (!pending) return summaryView(config, response, { submitted });
  if (response !== null && phase === "ready") return null;
  const waiting = phase === "failed" ? "summary-not-calculated" : "summary-pending";
  return { kind: "pending", label: text(config, "summary-status"), value: text(config, waiting) };
}

// The summary that stays in view: the total incl. VAT, or the status when there is none.
// kind: "example" (the build's estimate), "live" (computed for the form), "invalid", "prompt" (only a
// time is missing, and the form was not sent: what to do, in the text colour).
export function summaryView(config, response, { submitted = false } = {}) {
  if (response === null) return null;
  if (unfinished(response, submitted)) {
    return { kind: "prompt", label: text(config, "summary-status"), value: response.errors[0].message };
  }
  if (response.errors.length > 0) {
    return { kind: "invalid", label: text(config, "summary-status"), value: text(config, "status-invalid") };
  }
  const estimate = response.estimate;
  if (typeof estimate.total_inc_vat !== "string") {
    return { kind: "live", label: text(config, "summary-status"), value: estimate.status_text };
  }
  const qualified = !["estimate", "free"].includes(estimate.status);
  const total = estimate.formatted.total_inc_vat;
  return {
    kind: "live",
    label: `${estimate.labels.total_inc_vat}:`,
    value: qualified ? `${total} (${estimate.status_text})` : total,
  };
}

// The inputs as words, for paper: "Case 1: Service case – Norway, service agreement – 2:10".
export function inputsView(config, lines) {
  return lines.map((lineState, index) => {
    const tariff = tariffOf(config, lineState.tariff)?.label ?? lineState.tariff;
    const caseLabel = config.cases[lineState.case]?.label ?? lineState.case;
    const usesTime = config.cases[lineState.case]?.uses_time ?? true;
    const parts = [caseLabel, tariff, ...(usesTime ? [lineState.time] : [])];
    return `${text(config, "line-legend", { number: index + 1 })}: ${parts.join(" – ")}`;
  });
}

// A short summary for screen readers: the status and the total, or what is wrong.
export function announcement(config, response) {
  if (response.errors.length > 0) return text(config, "announce-invalid", { message: response.errors[0].message });
  const estimate = response.estimate;
  if (typeof estimate.total_inc_vat !== "string") return estimate.status_text;
  return text(config, "announce-result", { status: estimate.status_text, total: estimate.formatted.total_inc_vat });
}
