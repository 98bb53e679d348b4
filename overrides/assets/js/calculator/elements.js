// The calculator section's elements, found once by their data attributes and ids (the page's contract
// with overrides/calculator.html): every other module reaches the page through these.

export function findParts(root) {
  const find = (selector) => root.querySelector(selector);
  return {
    root,
    form: find("[data-calculator-form]"),
    lines: find("[data-calculator-lines]"),
    template: find("[data-calculator-line-template]"),
    rowTemplate: find("[data-calculator-row-template]"),
    totalTemplate: find("[data-calculator-total-template]"),
    summary: find("[data-estimate-summary]"),
    add: find("[data-calculator-add]"),
    copy: find("[data-calculator-copy]"),
    copied: find("[data-calculator-copied]"),
    share: find("[data-calculator-share]"),
    print: find("[data-calculator-print]"),
    linkBox: find("[data-calculator-link]"),
    link: find("#calculator-link"),
    formError: find("[data-calculator-form-error]"),
    loader: find("[data-calculator-loader]"),
    status: find("#calculator-status"),
    progress: find("[data-calculator-progress]"),
    download: find("[data-calculator-download]"),
    retry: find("[data-calculator-retry]"),
    example: find("[data-calculator-example]"),
    inputs: find("[data-calculator-inputs]"),
    inputList: find("[data-calculator-inputs] [data-slot=inputs]"),
    printMeta: find("[data-calculator-print-meta]"),
    estimate: find("#estimate"),
    printLink: find("[data-calculator-print-link]"),
    announcer: find("[data-calculator-announcer]"),
    compare: find("[data-calculator-compare]"),
    compareTemplate: find("[data-calculator-compare-template]"),
    send: find("[data-calculator-send]"),
    mail: find("[data-calculator-mail]"),
    copyCase: find("[data-calculator-copy-case]"),
    caseCopied: find("[data-calculator-case-copied]"),
    caseText: find("[data-calculator-case-text]"),
  };
}
