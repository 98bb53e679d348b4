"""`make audit`: the built site through the tools reviewers use, against the targets of issue 16.

- the Nu HTML Checker (npm `vnu-jar`, Debian's Java) over every HTML file of site/: 0 errors;
- Lighthouse (npm `lighthouse`, mobile preset, Debian's Chromium) on every page in nb, sv and en and on
  the not-found page reached from each language: accessibility, best practices and SEO 100,
  performance 100 on terms pages and at least 95 on the calculator page;
- pa11y (npm `pa11y`, WCAG 2 AA, both runners: HTML_CodeSniffer and axe) on the same pages: 0 errors.

A finding the project cannot fix (or that another issue is fixing) is listed, with its reason, in
tests/audit/exceptions.toml, the one place for them; anything else fails the run. Exceptions that
matched nothing are named at the end, so they can be removed once fixed.

Lighthouse's performance score depends on the machine: a run below its target is repeated (at most
LIGHTHOUSE_PERFORMANCE_RUNS times) and the best score counts; the others are reported as measured.

    python tools/audit/audit.py [--site site] [--only nu,lighthouse,pa11y] [--pages calculator/ en/norway/]
                                [--no-performance] [--report build/audit/report.json]

tests/audit/test_audit.py runs a fast part of it in `make test`.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tools.serve import serve_in_thread  # the tests' production-like server

ROOT = Path(__file__).resolve().parent.parent.parent
AUDIT_DIR = ROOT / "tools" / "audit"
EXCEPTIONS = ROOT / "tests" / "audit" / "exceptions.toml"
MODULES = AUDIT_DIR / "node_modules"
VNU_JAR = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = MODULES / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-dev-shm-usage"

# The targets (issue 16), as Lighthouse scores 0-100.
CATEGORY_TARGETS = {"accessibility": 100, "best-practices": 100, "seo": 100}
PERFORMANCE_TARGET = {"terms": 100, "calculator": 95}
LIGHTHOUSE_PERFORMANCE_RUNS = int(os.environ.get("LIGHTHOUSE_PERFORMANCE_RUNS", "3"))
# A missing page in each language: the host answers with that language's not-found page.
NOT_FOUND_PROBES = ("no-such-page/", "sv/no-such-page/", "en/no-such-page/")
# Lighthouse refuses to audit a page answered with 404 (ERRORED_DOCUMENT_REQUEST), so it audits the
# not-found pages at their own addresses, where the same HTML answers 200; pa11y takes the missing ones.
LIGHTHOUSE_NOT_FOUND = {
    "no-such-page/": "404.html",
    "sv/no-such-page/": "sv/404.html",
    "en/no-such-page/": "en/404.html",
}


@dataclass
class Finding:
    """One thing a tool reports: `rule` is the tool's own id (a Lighthouse audit, a pa11y code)."""

    tool: str
    page: str  # the page's path below the site root ("" for the home page), or an HTML file for Nu
    rule: str
    message: str
    where: str = ""  # a selector or an extract of the markup
    excused_by: str = ""  # the reason from the exceptions file, when one matched


@dataclass
class Exception_:
    tool: str
    rule: str
    reason: str
    page: str = "*"  # a glob over Finding.page
    where: str = ""  # a substring of Finding.where
    used: int = 0

    def matches(self, finding: Finding) -> bool:
        return (
            self.tool == finding.tool
            and fnmatch.fnmatchcase(finding.rule, self.rule)
            and fnmatch.fnmatchcase(finding.page, self.page)
            and self.where in finding.where
        )


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    scores: dict[str, dict[str, object]] = field(default_factory=dict)  # page -> category -> score(s)
    pa11y_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # page -> runner -> errors


def load_exceptions(path: Path = EXCEPTIONS) -> list[Exception_]:
    """The exceptions file: `[[exception]]` tables with tool, rule, reason and optional page and where."""
    data = tomllib.loads(path.read_text("utf-8"))
    result = []
    for number, entry in enumerate(data.get("exception", []), start=1):
        missing = [key for key in ("tool", "rule", "reason") if not entry.get(key)]
        if missing:
            raise SystemExit(f"{path}: exception {number} needs {', '.join(missing)}")
        result.append(
            Exception_(**{key: entry[key] for key in ("tool", "rule", "reason", "page", "where") if key in entry})
        )
    return result


def site_pages(site: Path) -> list[str]:
    """Every page of the built site as its path below the root ("", "norway/", "sv/calculator/", ...)."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        if relative.startswith(("assets", "search")):
            continue
        pages.append("" if relative == "." else relative + "/")
    return pages


def page_kind(page: str) -> str:
    return "calculator" if page.rstrip("/").endswith("calculator") else "terms"


# --- the Nu HTML Checker -----------------------------------------------------------------------------


def nu_findings(site: Path) -> list[Finding]:
    """Every error the Nu HTML Checker finds in the site's HTML files (the theme's markup included)."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--skip-non-html", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise SystemExit(f"the Nu HTML Checker did not answer with JSON:\n{result.stderr[:2000]}") from None
    findings = []
    for message in messages:
        name = message.get("url", "").removeprefix("file:")
        page = Path(name).resolve().relative_to(site.resolve()).as_posix() if name else ""
        findings.append(
            Finding("nu", page, message.get("type", "error"), message.get("message", ""), message.get("extract", ""))
        )
    return findings


# --- Lighthouse --------------------------------------------------------------------------------------


def lighthouse(url: str, attempts: int = 3) -> dict:
    """One Lighthouse run (mobile preset) in Debian's Chromium; its result as a dict (the LHR).

    A run that Lighthouse itself gives up on (NO_NAVSTART, a trace it could not record: it happens on a
    loaded machine) is tried again, up to `attempts` times.
    """
    errors = []
    for _ in range(attempts):
        with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
            output = Path(folder) / "report.json"
            command = [
                "node",
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={output}",
                f"--chrome-flags={CHROME_FLAGS}",
                "--only-categories=performance,accessibility,best-practices,seo",
            ]
            env = {**os.environ, "CHROME_PATH": CHROMIUM}
            result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
            if result.returncode == 0 and output.is_file():
                lhr = json.loads(output.read_text("utf-8"))
                if not lhr.get("runtimeError"):
                    return lhr
                errors.append(str(lhr["runtimeError"]))
            else:
                errors.append(result.stderr[-1500:])
    raise SystemExit(f"Lighthouse failed on {url} {attempts} times:\n" + "\n".join(errors))


def failing_audits(lhr: dict, category: str) -> list[tuple[str, str]]:
    """The audits that cost `category` points: (id, what Lighthouse says), weighted ones only."""
    failing = []
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = lhr["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            failing.append((ref["id"], f"{audit['title']} {audit.get('displayValue', '')}".strip()))
    return failing


def score(lhr: dict, category: str) -> int:
    return round((lhr["categories"][category]["score"] or 0) * 100)


def lighthouse_findings(page: str, url: str, report: Report, performance: bool = True) -> list[Finding]:
    """The failing audits of every category below its target, for one page."""
    lhr = lighthouse(url)
    findings = []
    scores: dict[str, object] = {category: score(lhr, category) for category in CATEGORY_TARGETS}
    for category, target in CATEGORY_TARGETS.items():
        if score(lhr, category) < target:
            findings += [
                Finding("lighthouse", page, audit_id, f"{category} {score(lhr, category)} < {target}: {title}")
                for audit_id, title in failing_audits(lhr, category)
            ]
    # Console errors and failed requests cost best-practices points; name them even when excused.
    for item in lhr["audits"]["errors-in-console"].get("details", {}).get("items", []):
        findings.append(
            Finding(
                "lighthouse",
                page,
                "console-error",
                item.get("description", ""),
                item.get("sourceLocation", {}).get("url", ""),
            )
        )
    if performance:
        target = PERFORMANCE_TARGET[page_kind(page)]
        runs = [score(lhr, "performance")]
        metrics = {
            ref: lhr["audits"][ref].get("displayValue", "")
            for ref in (
                "first-contentful-paint",
                "largest-contentful-paint",
                "total-blocking-time",
                "cumulative-layout-shift",
            )
        }
        while max(runs) < target and len(runs) < LIGHTHOUSE_PERFORMANCE_RUNS:
            runs.append(score(lighthouse(url), "performance"))
        scores["performance"] = max(runs)
        scores["performance runs"] = runs
        scores["metrics"] = metrics
        if max(runs) < target:
            failing = ", ".join(title for _, title in failing_audits(lhr, "performance"))
            findings.append(
                Finding(
                    "lighthouse", page, "performance", f"performance {max(runs)} < {target} (runs {runs}): {failing}"
                )
            )
    report.scores[page] = scores
    return findings


# --- pa11y -------------------------------------------------------------------------------------------


def pa11y_findings(pages: list[str], base_url: str, report: Report) -> list[Finding]:
    """pa11y's errors (WCAG 2 AA, HTML_CodeSniffer and axe) on each page, in one browser."""
    urls = {base_url + page: page for page in pages}
    result = subprocess.run(
        ["node", str(AUDIT_DIR / "pa11y.mjs"), CHROMIUM, *urls],
        capture_output=True,
        text=True,
        cwd=AUDIT_DIR,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"pa11y failed:\n{result.stderr[-3000:]}")
    findings = []
    for url, issues in json.loads(result.stdout).items():
        page = urls[url]
        report.pa11y_counts[page] = {"htmlcs": 0, "axe": 0}
        for issue in issues:
            report.pa11y_counts[page][issue["runner"]] = report.pa11y_counts[page].get(issue["runner"], 0) + 1
            findings.append(
                Finding("pa11y", page, issue["code"], issue["message"], f"{issue['selector']} {issue['context']}")
            )
    return findings


# --- the run ------------------------------------------------------------------------------------------


def excuse(findings: list[Finding], exceptions: list[Exception_]) -> list[Finding]:
    """Mark each finding an exception explains; return the ones none does."""
    left = []
    for finding in findings:
        for exception in exceptions:
            if exception.matches(finding):
                exception.used += 1
                finding.excused_by = exception.reason
                break
        else:
            left.append(finding)
    return left


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--only", default="nu,lighthouse,pa11y", help="comma-separated: nu, lighthouse, pa11y")
    parser.add_argument("--pages", nargs="*", help="page paths for Lighthouse and pa11y (default: all, plus not-found)")
    parser.add_argument("--no-performance", action="store_true", help="skip the performance target (noisy machine)")
    parser.add_argument("--report", type=Path, default=ROOT / "build" / "audit" / "report.json")
    args = parser.parse_args(argv)
    tools = set(args.only.split(","))
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"{site} holds no built site: run `make build` first", file=sys.stderr)
        return 2
    for needed, why in ((VNU_JAR, "nu"), (LIGHTHOUSE, "lighthouse")):
        if why in tools and not needed.is_file():
            print(f"{needed} is missing: run `make audit` (it installs tools/audit/)", file=sys.stderr)
            return 2
    if tools & {"nu"} and not shutil.which("java"):
        print("java is missing: `make audit` installs Debian's default-jre-headless", file=sys.stderr)
        return 2

    exceptions = load_exceptions()
    report = Report()
    pages = args.pages if args.pages is not None else [*site_pages(site), *NOT_FOUND_PROBES]
    if "nu" in tools:
        print("Nu HTML Checker: every HTML file of", site, flush=True)
        report.findings += nu_findings(site)
    if tools & {"lighthouse", "pa11y"}:
        server, base_url = serve_in_thread(site)
        try:
            if "lighthouse" in tools:
                for page in (LIGHTHOUSE_NOT_FOUND.get(page, page) for page in pages):
                    print(f"Lighthouse: /{page}", flush=True)
                    report.findings += lighthouse_findings(page, base_url + page, report, not args.no_performance)
                    print(
                        "   ",
                        {key: value for key, value in report.scores[page].items() if key != "metrics"},
                        flush=True,
                    )
            if "pa11y" in tools:
                print(f"pa11y: {len(pages)} pages", flush=True)
                report.findings += pa11y_findings(pages, base_url, report)
        finally:
            server.shutdown()

    left = excuse(report.findings, exceptions)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(
        json.dumps({**asdict(report), "unexcused": [asdict(f) for f in left]}, indent=1, ensure_ascii=False), "utf-8"
    )

    if report.scores:
        print("\nLighthouse (mobile): page  performance  accessibility  best-practices  seo")
        for page, scores in report.scores.items():
            perf = scores.get("performance", "-")
            runs = scores.get("performance runs")
            print(
                f"  /{page:<22} {perf!s:>4}{' ' + str(runs) if runs and len(runs) > 1 else ''}  "
                f"{scores['accessibility']:>4}  {scores['best-practices']:>4}  {scores['seo']:>4}"
            )
    if report.pa11y_counts:
        print("\npa11y errors (HTML_CodeSniffer, axe), excused ones included:")
        for page, counts in report.pa11y_counts.items():
            print(f"  /{page:<22} {counts.get('htmlcs', 0)} {counts.get('axe', 0)}")
    if "nu" in tools:
        nu = [f for f in report.findings if f.tool == "nu"]
        print(f"\nNu HTML Checker: {len(nu)} errors ({len([f for f in nu if not f.excused_by])} not excused)")
    excused = [f for f in report.findings if f.excused_by]
    if excused:
        print(f"\n{len(excused)} findings excused by {EXCEPTIONS.relative_to(ROOT)}:")
        for reason in sorted({f.excused_by for f in excused}):
            rules = sorted({f"{f.tool} {f.rule}" for f in excused if f.excused_by == reason})
            print(f"  - {', '.join(rules)}: {reason}")
    unused = [e for e in exceptions if not e.used and e.tool in tools]
    if unused:
        print("\nExceptions that matched nothing this run (remove them once fixed): ")
        for exception in unused:
            print(f"  - {exception.tool} {exception.rule} on {exception.page}")
    if left:
        print(f"\nFAILED: {len(left)} findings against the targets:")
        for finding in left:
            print(f"  - {finding.tool} /{finding.page}: {finding.rule}: {finding.message[:300]} {finding.where[:160]}")
        return 1
    print("\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
