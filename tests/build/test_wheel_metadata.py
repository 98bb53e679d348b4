"""The wheel the browser downloads (built by `make setup`) carries the calculator and nothing else."""

from __future__ import annotations

import zipfile
from email.parser import Parser

from sitebuild.pyodide_assets import find_wheel


def test_the_wheel_holds_only_the_calculator_and_metadata_without_the_readme():
    with zipfile.ZipFile(find_wheel().path) as wheel:
        names = wheel.namelist()
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(wheel.read(metadata_name).decode("utf-8"))
    assert {name.split("/")[0] for name in names} == {"calculator", metadata_name.split("/")[0]}
    # No long description (the README), no extras, no requirements: the dev tool lists stay in pyproject.toml.
    assert metadata.get_payload().strip() == ""
    assert metadata.get("Description-Content-Type") is None
    assert metadata.get_all("Provides-Extra") is None and metadata.get_all("Requires-Dist") is None
