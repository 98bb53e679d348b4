// ESLint for the project's JavaScript (`make lint`, `make test`): the browser calculator and its
// worker, the Node tools and the Node tests. The rule set is ESLint's own `recommended` (real bugs:
// undefined names, unreachable code, duplicate keys...) plus a few rules that catch what bit us or would:
// `eqeqeq` (loose equality), `no-var`/`prefer-const`, `no-shadow` of names, `no-implicit-globals` in the
// classic scripts, and `no-unused-vars` for variables (not parameters: callbacks keep the
// signature they are given). No style rules: the code's layout is not linted.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    ignores: ["**/node_modules/", "site/", "build/", ".venv/"],
  },
  js.configs.recommended,
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module" },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      "no-shadow": "error",
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      "no-implicit-globals": ["error", { lexicalBindings: true }],
    },
  },
  // The page's modules (main.js and what it imports).
  {
    files: ["overrides/assets/js/**/*.js"],
    languageOptions: { globals: globals.browser },
  },
  // Classic scripts: boot.js is inlined in <head>; warm-calculator.js is loaded with `defer`.
  {
    files: ["overrides/assets/js/calculator/boot.js", "overrides/assets/js/warm-calculator.js"],
    languageOptions: { sourceType: "script" },
  },
  // The module Web Worker and what only it imports.
  {
    files: ["overrides/assets/js/calculator/worker.js", "overrides/assets/js/calculator/snapshot-cache.js"],
    languageOptions: { globals: { ...globals.worker } },
  },
  // Shared by the worker and Node (tools/make_snapshot.mjs, the tests).
  {
    files: ["overrides/assets/js/calculator/*.mjs"],
    languageOptions: { globals: globals["shared-node-browser"] },
  },
  // Node: the tools, the tests and this file.
  {
    files: ["tools/**/*.mjs", "tests/**/*.mjs", "eslint.config.js"],
    languageOptions: { globals: globals.node },
  },
  // The engine smoke's functions run in the page (Puppeteer's waitForFunction, $eval).
  {
    files: ["tools/audit/engines.mjs"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
];
