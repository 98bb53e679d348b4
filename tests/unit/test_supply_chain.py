"""Every install step is hash-checked or pinned, and requirements.lock holds only what any machine can use."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = (ROOT / "requirements.lock").read_text("utf-8")
MAKEFILE = (ROOT / "Makefile").read_text("utf-8")


def test_the_lock_has_no_machine_local_options():
    """No --extra-index-url file:///…, --find-links /opt/… or any other option line: pip's own
    configuration says where packages come from on each machine; the lock says only what, with hashes."""
    options = [line for line in LOCK.splitlines() if line.startswith("-")]
    assert options == []
    assert "file://" not in LOCK and "/opt/" not in LOCK


def test_every_locked_package_is_pinned_with_hashes():
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK)
    packages = [block for block in blocks if re.match(r"[A-Za-z0-9][\w.-]*==", block)]
    assert len(packages) > 20
    for block in packages:
        assert "--hash=sha256:" in block, block.splitlines()[0]


def test_make_lock_never_writes_local_options_again():
    lock_recipe = MAKEFILE.split("\nlock:", 1)[1].split("\n\n", 1)[0]
    for option in ("--no-emit-index-url", "--no-emit-find-links", "--generate-hashes"):
        assert option in lock_recipe


def test_every_pip_install_of_the_makefile_checks_hashes():
    """pip itself included: it is installed from its locked hashes, not by version alone."""
    installs = [line.strip() for line in MAKEFILE.splitlines() if "pip install" in line]
    assert installs
    for line in installs:
        assert "--require-hashes" in line or line.endswith("--no-deps --no-build-isolation -e ."), line


def test_the_pip_step_reads_pips_hashes_from_the_lock(tmp_path: Path):
    """The Makefile's own awk command picks pip's block, with its hashes, out of requirements.lock."""
    command = re.search(r"@(awk .*?) requirements\.lock >", MAKEFILE).group(1)
    out = subprocess.run(
        ["bash", "-c", f"{command} requirements.lock"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert re.match(r"pip==[\d.]+ \\\n", out)
    assert out.count("--hash=sha256:") >= 1
    assert "setuptools" not in out
