"""Build hook: Jinja keeps the theme's compiled templates in build/jinja-bytecode/ between builds.

Every build compiles the theme's templates afresh, once per language, which is a large part of a
build's time; the live preview (tools/preview.py) builds in a fresh process after every save. Jinja's
own FileSystemBytecodeCache keeps each compiled template under its name and checks it against the
template source's checksum, so a changed template is always compiled anew and the output is the
same. It writes each file under a temporary name and renames it, so parallel builds can share it.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

__all__ = ["CACHE_DIR", "on_env"]

CACHE_DIR = Path("build") / "jinja-bytecode"  # beside mkdocs.yml; `make clean` removes it


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    folder = Path(config.config_file_path).resolve().parent / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env
