// Applies the views that state.js works out to the page. Nothing here decides anything: it reads the
// form, and writes what it is given. Text always goes in as textContent, never as HTML. The estimate's
// rows and totals are clones of the <template>s that overrides/calculator.html fills from the same
// macros as the build's estimate, so the two cannot drift.

const PARTS = ["legend", "tariff", "tariff-error", "case", "case-error", "time", "time-input", "time-reading", "time-hint", "time-error", "no-time", "remove"];

function part(fieldset, name) {
  return fieldset.querySelector(`[data-part="${name}"]`);
}

function slot(root, name) {
  return root.querySelector(`[data-slot="${name}"]`);
}

export function lineElements(container) {
  return [...container.querySelectorAll(":scope > [data-line]")];
}

// What the reader typed and chose, line by line.
export function readLines(container) {
  return lineElements(container).map((fieldset) => ({
    tariff: part(fieldset, "tariff").value,
    case: part(fieldset, "case").value,
    time: part(fieldset, "time-input").value,
  }));
}

export function lineIndexOf(container, node) {
  const fieldset = node.closest("[data-line]");
  return fieldset ? lineElements(container).indexOf(fieldset) : -1;
}

export function focusLine(container, index, name = "tariff") {
  const fieldset = lineElements(container)[index];
  part(fieldset, name)?.focus();
}

function setOptions(select, options, value) {
  const signature = JSON.stringify(options);
  if (select.dataset.options !== signature) {
    select.replaceChildren(...options.map((option) => new Option(option.label, option.value)));
    select.dataset.options = signature;
  }
  if (select.value !== value) select.value = value;
}

function setValue(input, value) {
  if (input.value !== value) input.value = value;
}

function setText(node, value) {
  if (node.textContent !== value) node.textContent = value;
}

function setError(errorElement, error) {
  setText(errorElement, error ? error.message : "");
  errorElement.hidden = !error;
  if (error) errorElement.dataset.code = error.code;
  else delete errorElement.dataset.code;
}

function setInvalid(control, invalid, describedBy) {
  if (invalid) control.setAttribute("aria-invalid", "true");
  else control.removeAttribute("aria-invalid");
  if (describedBy.length) control.setAttribute("aria-describedby", describedBy.join(" "));
  else control.removeAttribute("aria-describedby");
}

function applyLine(fieldset, index, view) {
  for (const name of PARTS) {
    const node = part(fieldset, name);
    if (node) node.id = `calc-${index}-${name}`;
  }
  for (const label of fieldset.querySelectorAll("[data-label-for]")) label.htmlFor = `calc-${index}-${label.dataset.labelFor}`;
  part(fieldset, "time-reading").htmlFor = `calc-${index}-time-input`;
  setText(part(fieldset, "legend"), view.legend);
  const remove = part(fieldset, "remove");
  setText(remove, view.removeLabel);
  remove.hidden = !view.removable;

  for (const name of ["tariff", "case"]) {
    const select = part(fieldset, name);
    const { value, options, error } = view[name];
    setOptions(select, options, value);
    setError(part(fieldset, `${name}-error`), error);
    setInvalid(select, Boolean(error), error ? [`calc-${index}-${name}-error`] : []);
  }

  part(fieldset, "time").hidden = !view.usesTime;
  part(fieldset, "no-time").hidden = view.usesTime;
  const timeError = part(fieldset, "time-error");
  setError(timeError, view.timeError);
  timeError.toggleAttribute("data-prompt", Boolean(view.timePrompt));
  setText(part(fieldset, "time-reading"), view.reading);
  const input = part(fieldset, "time-input");
  setValue(input, view.time.value);
  const describedBy = [
    ...(view.timeError ? [`calc-${index}-time-error`] : [`calc-${index}-time-reading`]),
    `calc-${index}-time-hint`,
  ];
  setInvalid(input, view.time.invalid, describedBy);
}

// Make the form's lines match the view: add lines from the template, remove extra ones, update each.
export function renderForm(parts, view) {
  const { lines: container, template, add, formError } = parts;
  const fieldsets = lineElements(container);
  while (fieldsets.length > view.lines.length) fieldsets.pop().remove();
  const added = [];
  while (fieldsets.length + added.length < view.lines.length) {
    added.push(template.content.querySelector("[data-line]").cloneNode(true));
  }
  if (added.length) {
    container.append(...added); // one insertion, however many lines a link brings
    fieldsets.push(...added);
  }
  view.lines.forEach((lineView, index) => applyLine(fieldsets[index], index, lineView));
  add.disabled = !view.canAdd;
  const messages = [...view.notices, ...view.formErrors.map((error) => error.message)];
  setText(formError, messages.join(" "));
  formError.hidden = messages.length === 0;
}

function cellLines(cell, texts) {
  if (texts.length === 0) {
    cell.textContent = "–";
    return;
  }
  cell.replaceChildren();
  texts.forEach((value, i) => {
    if (i > 0) cell.append(document.createElement("br"));
    cell.append(value);
  });
}

function renumber(node, index) {
  slot(node, "row-header").id = `estimate-row-${index}`;
  for (const cell of node.querySelectorAll("td[headers]")) {
    cell.setAttribute("headers", cell.getAttribute("headers").replace(/estimate-row-\d+/, `estimate-row-${index}`));
  }
}

function row(template, rowView, index) {
  const node = template.content.querySelector("[data-row]").cloneNode(true);
  node.dataset.status = rowView.status;
  renumber(node, index);
  slot(node, "case").textContent = rowView.caseLabel;
  slot(node, "tariff").textContent = rowView.tariffLabel;
  slot(node, "time").textContent = rowView.timeText;
  const badge = slot(node, "badge");
  badge.className = `tc-badge tc-badge--${rowView.status}`;
  badge.textContent = rowView.statusText;
  cellLines(slot(node, "quantity"), rowView.quantities);
  cellLines(slot(node, "unit-price"), rowView.unitPrices);
  slot(node, "amount").textContent = rowView.amount;
  return node;
}

function total(template, totalView) {
  const node = template.content.querySelector("[data-total]").cloneNode(true);
  const id = `estimate-${totalView.key.replaceAll("_", "-")}`;
  node.dataset.total = totalView.key;
  node.classList.toggle("tc-estimate__grand-total", totalView.key === "total_inc_vat");
  const label = slot(node, "label");
  label.id = id;
  label.textContent = totalView.label;
  const amount = slot(node, "amount");
  amount.setAttribute("headers", `estimate-col-amount ${id}`);
  amount.textContent = totalView.amount;
  return node;
}

// Fill the estimate's slots and its machine-readable data attributes.
export function renderEstimate(parts, view) {
  const estimate = parts.estimate;
  estimate.dataset.status = view.status;
  estimate.dataset.source = "live";
  estimate.dataset.query = view.query;
  const data = { totalExVat: view.data?.totalExVat, vat: view.data?.vat, totalIncVat: view.data?.totalIncVat };
  for (const [name, value] of Object.entries(data)) {
    if (value === undefined) delete estimate.dataset[name];
    else estimate.dataset[name] = value;
  }
  const status = slot(estimate, "status");
  status.className = `tc-badge tc-badge--${view.status}`;
  status.textContent = view.statusText;
  const invalid = slot(estimate, "invalid");
  invalid.textContent = view.invalidText ?? "";
  invalid.hidden = !view.invalidText;
  slot(estimate, "rows").replaceChildren(...view.rows.map((rowView, index) => row(parts.rowTemplate, rowView, index)));
  const totals = slot(estimate, "totals");
  totals.replaceChildren(...(view.totals ?? []).map((totalView) => total(parts.totalTemplate, totalView)));
  totals.hidden = !view.totals;
  const notes = slot(estimate, "notes");
  notes.replaceChildren(...view.notes.map((note) => {
    const item = document.createElement("li");
    item.dataset.note = note.code;
    item.textContent = note.text;
    return item;
  }));
  slot(estimate, "notes-box").hidden = view.notes.length === 0;
}

export function renderSummary(summary, view, pending) {
  summary.toggleAttribute("data-pending", pending);
  if (view === null) return;
  summary.dataset.kind = view.kind;
  setText(slot(summary, "label"), view.label);
  setText(slot(summary, "value"), view.value);
}

export function renderInputs(list, texts) {
  list.replaceChildren(...texts.map((value) => {
    const item = document.createElement("li");
    item.textContent = value;
    return item;
  }));
}

// Compare agreements (issue 17): one block per comparison in Python's answer, cloned from the template
// that overrides/calculator.html fills from the same macro as the build's blocks.
function comparisonOption(rowTemplate, option) {
  const node = rowTemplate.cloneNode(true);
  node.dataset.option = `${option.tariff}/${option.case}`;
  node.dataset.amountExVat = option.amount_ex_vat;
  node.toggleAttribute("data-current", option.current);
  node.toggleAttribute("data-cheapest", option.cheapest);
  slot(node, "tariff").textContent = option.tariff_label;
  slot(node, "case").textContent = option.case_label;
  slot(node, "current").hidden = !option.current;
  slot(node, "amount").textContent = option.amount_text;
  slot(node, "lowest").hidden = !option.cheapest;
  return node;
}

function comparisonBlock(template, comparison, caption) {
  const node = template.content.querySelector("[data-comparison]").cloneNode(true);
  node.dataset.comparison = comparison.id;
  node.dataset.compareLine = String(comparison.line);
  node.dataset.difference = comparison.difference;
  node.dataset.trend = comparison.trend;
  slot(node, "caption").textContent = caption;
  const options = slot(node, "options");
  const rowTemplate = options.querySelector("[data-option]");
  options.replaceChildren(...comparison.options.map((option) => comparisonOption(rowTemplate, option)));
  // The chart is SVG text from Python (calculator/chart.py, every text in it escaped), parsed as XML.
  const svg = new DOMParser().parseFromString(comparison.chart.svg, "image/svg+xml").documentElement;
  slot(node, "chart").replaceChildren(...(svg.localName === "svg" ? [document.importNode(svg, true)] : []));
  slot(node, "chart-text").textContent = comparison.chart.text;
  slot(node, "summary").textContent = comparison.summary;
  slot(node, "trend").textContent = comparison.trend_text;
  slot(node, "notes").replaceChildren(...comparison.notes.map((note) => {
    const item = document.createElement("li");
    item.dataset.note = note.code;
    item.textContent = note.text;
    return item;
  }));
  return node;
}

// captionOf(comparison) gives "Sak 1: 50 min"; the caller owns the words.
export function renderComparisons(parts, comparisons, captionOf) {
  const box = parts.compare;
  slot(box, "comparisons").replaceChildren(
    ...comparisons.map((comparison) => comparisonBlock(parts.compareTemplate, comparison, captionOf(comparison))),
  );
  slot(box, "none").hidden = comparisons.length > 0;
}

// Send the case: Python's message, or nothing while the estimate has errors.
export function renderCaseText(parts, message) {
  const box = parts.send;
  box.hidden = !message;
  if (!message) return;
  box.dataset.channel = message.channel;
  setText(slot(box, "instructions"), message.instructions);
  const email = message.channel === "email";
  parts.mail.hidden = !email;
  // Hidden, it keeps the build's address: an <a> without an href is no link (and no crawlable one).
  if (email) parts.mail.setAttribute("href", message.mailto);
  parts.copyCase.hidden = email;
  setValue(parts.caseText, `${message.subject}\n\n${message.body}`);
}
