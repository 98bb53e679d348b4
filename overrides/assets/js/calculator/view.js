// Applies the views that state.js works out to the page. Nothing here decides anything: it reads the
// form, and writes what it is given. Text always goes in as textContent, never as HTML.

const PARTS = ["legend", "tariff", "tariff-error", "case", "case-error", "time", "hours", "minutes", "time-hint", "time-error", "no-time", "remove"];

function part(fieldset, name) {
  return fieldset.querySelector(`[data-part="${name}"]`);
}

function element(tag, { className = "", text = null, attributes = {} } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

export function lineElements(container) {
  return [...container.querySelectorAll(":scope > [data-line]")];
}

// What the reader typed and chose, line by line.
export function readLines(container) {
  return lineElements(container).map((fieldset) => ({
    tariff: part(fieldset, "tariff").value,
    case: part(fieldset, "case").value,
    hours: part(fieldset, "hours").value,
    minutes: part(fieldset, "minutes").value,
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

function setError(errorElement, error) {
  errorElement.textContent = error ? error.message : "";
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
  part(fieldset, "legend").textContent = view.legend;
  const remove = part(fieldset, "remove");
  remove.textContent = view.removeLabel;
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
  setError(part(fieldset, "time-error"), view.timeError);
  for (const name of ["hours", "minutes"]) {
    const input = part(fieldset, name);
    setValue(input, view[name].value);
    const describedBy = [`calc-${index}-time-hint`, ...(view.timeError ? [`calc-${index}-time-error`] : [])];
    setInvalid(input, view[name].invalid, describedBy);
  }
}

// Make the form's lines match the view: add lines from the template, remove extra ones, update each.
export function renderForm(parts, view) {
  const { lines: container, template, add, formError } = parts;
  const fieldsets = lineElements(container);
  while (fieldsets.length > view.lines.length) fieldsets.pop().remove();
  while (fieldsets.length < view.lines.length) {
    const fieldset = template.content.querySelector("[data-line]").cloneNode(true);
    container.append(fieldset);
    fieldsets.push(fieldset);
  }
  view.lines.forEach((lineView, index) => applyLine(fieldsets[index], index, lineView));
  add.disabled = !view.canAdd;
  const messages = view.formErrors.map((error) => error.message);
  formError.textContent = messages.join(" ");
  formError.hidden = messages.length === 0;
}

function cellLines(cell, texts) {
  if (texts.length === 0) {
    cell.textContent = "–";
    return cell;
  }
  texts.forEach((value, i) => {
    if (i > 0) cell.append(document.createElement("br"));
    cell.append(value);
  });
  return cell;
}

function badge(status, statusText) {
  return element("span", { className: `tc-badge tc-badge--${status}`, text: statusText });
}

function row(rowView) {
  const heading = element("th", { attributes: { scope: "row" } }, [
    element("span", { className: "tc-estimate__case", text: rowView.caseLabel }),
    " ",
    element("span", { className: "tc-estimate__tariff", text: rowView.tariffLabel }),
  ]);
  if (rowView.kind === "invalid") {
    return element("tr", { attributes: { "data-status": "invalid" } }, [
      heading,
      element("td", { className: "tc-estimate__line-invalid", text: rowView.text, attributes: { colspan: "3" } }),
    ]);
  }
  heading.append(" ", badge(rowView.status, rowView.statusText));
  return element("tr", { attributes: { "data-status": rowView.status } }, [
    heading,
    cellLines(element("td"), rowView.quantities),
    cellLines(element("td"), rowView.unitPrices),
    element("td", { className: "tc-estimate__amount", text: rowView.amount }),
  ]);
}

// Replace the estimate's content and its machine-readable data attributes.
export function renderEstimate(estimate, view, texts) {
  estimate.dataset.status = view.status;
  estimate.dataset.source = "live";
  estimate.dataset.query = view.query;
  const data = { totalExVat: view.data?.totalExVat, vat: view.data?.vat, totalIncVat: view.data?.totalIncVat };
  for (const [name, value] of Object.entries(data)) {
    if (value === undefined) delete estimate.dataset[name];
    else estimate.dataset[name] = value;
  }

  const children = [
    element("p", { className: "tc-estimate__status" }, [
      element("span", { className: "tc-estimate__status-label", text: `${texts.status}:` }),
      " ",
      element("strong", { className: `tc-badge tc-badge--${view.status}`, text: view.statusText }),
    ]),
  ];
  if (view.invalidText) children.push(element("p", { className: "tc-estimate__invalid", text: view.invalidText }));
  const head = element("tr", {}, ["column-case", "column-quantity", "column-unit-price", "column-amount"].map(
    (key) => element("th", { text: texts[key], attributes: { scope: "col" } }),
  ));
  const table = element("table", { className: "tc-estimate__table" }, [
    element("caption", { className: "tc-estimate__caption", text: texts["lines-caption"] }),
    element("thead", {}, [head]),
    element("tbody", {}, view.rows.map(row)),
  ]);
  if (view.totals) {
    table.append(element("tfoot", {}, view.totals.map((total) => element("tr", { className: total.grand ? "tc-estimate__grand-total" : "" }, [
      element("th", { text: total.label, attributes: { scope: "row", colspan: "3" } }),
      element("td", { className: "tc-estimate__amount", text: total.amount }),
    ]))));
  }
  // Scrolls sideways on a narrow screen; focusable so that keyboard users can scroll it too.
  children.push(element("div", {
    className: "tc-estimate__scroll",
    attributes: { tabindex: "0", role: "region", "aria-label": texts["lines-caption"] },
  }, [table]));
  if (view.notes.length > 0) {
    children.push(element("div", { className: "tc-estimate__notes" }, [
      element("p", { className: "tc-estimate__notes-heading", text: texts["notes-heading"] }),
      element("ul", {}, view.notes.map((note) => element("li", { text: note.text, attributes: { "data-note": note.code } }))),
    ]));
  }
  estimate.replaceChildren(...children);
}
