"""The GitHub Actions workflows: valid by the workflow schema and zizmor, and shaped as the team agreed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = ROOT / ".venv" / "bin"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def run_commands(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def linter(name: str) -> Path:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: `make setup` installs it from requirements.lock")
    return path


def test_workflows_match_the_github_workflow_schema() -> None:
    """check-jsonschema with the GitHub workflow schema it vendors (no download) accepts both workflows."""
    files = sorted(str(path) for path in WORKFLOWS.glob("*.yml"))
    assert len(files) >= 2
    result = subprocess.run(
        [linter("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    """The linter is not a rubber stamp: a job without runs-on and a misspelt key fail."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  test:\n    step:\n      - run: make test\n", "utf-8")
    result = subprocess.run(
        [linter("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout


def test_zizmor_finds_no_security_problem() -> None:
    """zizmor --offline (pinning, permissions, template injection, credential persistence) reports nothing."""
    result = subprocess.run(
        [linter("zizmor"), "--offline", "--no-progress", str(WORKFLOWS)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["checks.yml", "publish.yml"])
def test_least_privilege_and_pinned_actions(name: str) -> None:
    """`permissions: {}` at the top, permissions per job, every action pinned to a full commit SHA."""
    text = (WORKFLOWS / name).read_text("utf-8")
    workflow = load(name)
    assert workflow["permissions"] == {}
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, f"{name}: job {job_id} sets no permissions of its own"
        for step in steps(job):
            if "uses" in step:
                assert PINNED.match(step["uses"]), f"{name}: {step['uses']} is not pinned to a commit SHA"
    for line in text.splitlines():
        if re.search(r"uses: [\w-]+/", line):
            assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), f"{name}: no version comment: {line}"


def test_checks_run_the_readme_command_with_the_agreed_tools() -> None:
    """make test on Ubuntu with Python 3.11 and Node 20; the site uploaded; superseded runs cancelled."""
    workflow = load("checks.yml")
    assert {"pull_request", "push", "workflow_call"} <= set(workflow["on"])
    assert workflow["concurrency"]["cancel-in-progress"] is True
    job = workflow["jobs"]["test"]
    assert job["runs-on"].startswith("ubuntu-")
    uses = {step["uses"].split("@")[0]: step for step in steps(job) if "uses" in step}
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.11"
    assert uses["actions/setup-node"]["with"]["node-version"] == "20"
    assert uses["actions/upload-artifact"]["with"]["path"] == "site/"
    assert re.search(r"^make test\b", run_commands(job), re.MULTILINE)
    assert re.search(r"^make build$", run_commands(job), re.MULTILINE)
    assert job["permissions"] == {"contents": "read"}


def test_pull_requests_run_the_translations_check_on_full_history() -> None:
    """On pull requests the translation check runs against origin/<base branch> with fetch-depth 0."""
    job = load("checks.yml")["jobs"]["translations"]
    assert job["if"] == "github.event_name == 'pull_request'"
    checkout = steps(job)[0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0
    step = next(step for step in steps(job) if "translations.py" in step.get("run", ""))
    assert step["run"] == 'python3 tools/translations.py check --base "origin/${BASE_REF}"'
    assert step["env"]["BASE_REF"] == "${{ github.base_ref }}"


def test_publish_builds_for_the_pages_address_after_the_checks() -> None:
    """Deploys from main only after checks.yml passes, with SITE_URL set to the Pages address."""
    workflow = load("publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert jobs["checks"]["uses"] == "./.github/workflows/checks.yml"
    assert jobs["build"]["needs"] == "checks" and jobs["deploy"]["needs"] == "build"
    build = next(step for step in steps(jobs["build"]) if step.get("run") == "make build")
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    assert jobs["deploy"]["concurrency"]["cancel-in-progress"] is False
