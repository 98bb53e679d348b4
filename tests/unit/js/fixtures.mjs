// Shared by the JavaScript unit tests: a page configuration like the one sitebuild/page_data.py
// writes (small, with the texts the tests read), the query format from its owner (sitebuild/query_format.py),
// and real responses of the calculator (the Python package, as the worker runs it).

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PYTHON = existsSync(`${ROOT}.venv/bin/python`) ? `${ROOT}.venv/bin/python` : "python3";

function python(code, input) {
  const out = execFileSync(PYTHON, ["-c", code], { cwd: ROOT, input: JSON.stringify(input), encoding: "utf-8" });
  return JSON.parse(out);
}

// The query format as the build describes it to the page.
export const queryFormat = python(
  "import json; from sitebuild import query_format; print(json.dumps(query_format.page_data()))",
  null,
);

// calculate(request) for each request, in one Python process.
export function calculateAll(requests) {
  return python(
    "import json, sys; from calculator import calculate; print(json.dumps([calculate(r) for r in json.load(sys.stdin)]))",
    requests,
  );
}

export const config = Object.freeze({
  lang: "en",
  texts: {
    "line-legend": "Case {number}",
    "remove-line": "Remove case {number}",
    "unknown-option": "Unknown: {value}",
    "time-read-as": "Read as {time}",
    "status-invalid": "Check the fields",
    "line-invalid": "See the error in the form.",
    invalid: "Correct the marked fields, and the total is worked out.",
    "summary-status": "Estimate:",
    "summary-pending": "Working it out …",
    "summary-not-calculated": "Not worked out",
    "announce-invalid": "Check the fields: {message}",
    "announce-result": "{status}: {total}",
    "lines-cut": "The link had {count} cases; the first {max_lines} are shown.",
    downloaded: "Downloaded: {received}",
    "downloaded-of": "Downloaded: {received} of {total}",
  },
  tariffs: [
    { id: "no-support", label: "Norway – support agreement", cases: ["general-support", "custom-work"] },
    { id: "no-service", label: "Norway – service agreement", cases: ["general-support", "service-case", "critical-support"] },
  ],
  cases: {
    "general-support": { label: "General support", uses_time: false },
    "custom-work": { label: "Work you ask for", uses_time: true },
    "service-case": { label: "Case for the service team", uses_time: true },
    "critical-support": { label: "Critical support", uses_time: false },
  },
  defaultLines: [{ tariff: "no-service", case: "service-case", time: "" }],
  exampleLines: [{ tariff: "no-service", case: "service-case", minutes: "90" }],
  maxLines: 3,
  queryFormat,
});
