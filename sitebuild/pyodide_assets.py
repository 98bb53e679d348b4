"""The pinned Pyodide runtime and the calculator wheel and snapshot: found, checked, precompressed, copied into a site.

hooks/calculator_assets.py calls this at build time; tools/precompress_snapshot.py at `make setup`.

Only what the browser needs is copied: the five runtime files of the npm ``pyodide`` package
(pinned in package.json and package-lock.json) and the calculator's pure ``py3-none-any`` wheel from
build/wheel/. Nothing is fetched from a CDN at run time, and no installer (micropip) is involved: the
Web Worker unpacks the wheel into site-packages with ``pyodide.unpackArchive``.

Layout in the site (all relative, so the site also works under a sub-path such as /terms/):

    assets/pyodide/<version>/pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm, python_stdlib.zip, pyodide-lock.json
    assets/wheels/terms_calculator-<version>-py3-none-any.<sha256[:12]>.whl
    assets/snapshot/calculator.<sha256[:12]>.snapshot, empty.<sha256[:12]>.zip

The snapshot is a memory image of an interpreter that has already imported the calculator, made by
tools/make_snapshot.mjs (`make setup`) for the pinned Pyodide and the current wheel; the worker starts
from it instead of a cold start and falls back to a cold start whenever it cannot use it. Its
build/snapshot/manifest.json must name the pinned version and the current wheel's sha256, or the build
fails with the fix (`make setup`): a stale snapshot would compute with old prices. ``CALCULATOR_SNAPSHOT=off``
builds a site without one (the page then always starts cold), for a Pyodide upgrade whose private
snapshot API changed.

The runtime lives in a directory named after its version and the wheel's name carries a hash of its
content, so a browser never mixes a cached old file with a new page. Text and wasm files also get
precompressed ``.br`` and ``.gz`` copies (brotli at its best setting, made once and cached in
build/site-assets/; the hook runs ``precompress`` beside MkDocs's rendering); ``PYODIDE_PRECOMPRESS=off``
makes none (the live preview, tools/preview.py, serves uncompressed).

Any missing or stale input fails the build with a message that names the file and the fix.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

__all__ = [
    "RUNTIME_FILES",
    "BrotliDecoder",
    "Runtime",
    "Snapshot",
    "Wheel",
    "check_wheel_is_fresh",
    "copy_decoder_into_site",
    "copy_into_site",
    "find_brotli_decoder",
    "find_runtime",
    "find_snapshot",
    "find_wheel",
    "precompress",
    "precompress_off",
    "precompress_snapshot",
]

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_NAME = "pyodide"
# Pyodide 314.x: exactly these files make a working runtime in a browser (no pyodide.js, no source maps).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# python_stdlib.zip is already deflated: compressing it again saves under 2 %.
PRECOMPRESSED = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
WHEEL_GLOB = "terms_calculator-*-py3-none-any.whl"
SNAPSHOT_DIR = Path("build") / "snapshot"
SNAPSHOT_BROTLI_QUALITY = 11  # once per wheel, by `make setup`: bench/tried.md has its bytes against quality 9
SETUP_HINT = "run `make setup` (it runs `npm ci` and builds the wheel), then build again"


@dataclass(frozen=True, slots=True)
class Runtime:
    version: str
    source: Path  # node_modules/pyodide
    site_dir: str  # "assets/pyodide/314.0.7/", relative to the site root


@dataclass(frozen=True, slots=True)
class Wheel:
    path: Path
    sha256: str
    site_path: str  # "assets/wheels/terms_calculator-1.0.0-py3-none-any.0123456789ab.whl"


@dataclass(frozen=True, slots=True)
class Snapshot:
    path: Path  # build/snapshot/calculator.snapshot
    stdlib: Path  # build/snapshot/empty.zip
    sha256: str
    site_path: str  # "assets/snapshot/calculator.0123456789ab.snapshot"
    stdlib_site_path: str
    pyodide_version: str
    wheel_sha256: str
    lock_info: dict


def _fail(message: str) -> PluginError:
    return PluginError(f"sitebuild/pyodide_assets.py: {message}")


def _pinned_version(root: Path) -> str:
    lock_path = root / "package-lock.json"
    try:
        lock = json.loads(lock_path.read_text("utf-8"))
        return lock["packages"][f"node_modules/{PACKAGE_NAME}"]["version"]
    except (OSError, ValueError, KeyError) as error:
        raise _fail(f"{lock_path} does not pin the npm package '{PACKAGE_NAME}' ({error!r})") from None


def find_runtime(root: Path = ROOT) -> Runtime:
    """The installed npm pyodide package, checked against the lock file; fails loudly if anything is off."""
    version = _pinned_version(root)
    source = root / "node_modules" / PACKAGE_NAME
    try:
        installed = json.loads((source / "package.json").read_text("utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        raise _fail(f"{source}/ is missing or broken: {SETUP_HINT}") from None
    if installed != version:
        raise _fail(f"{source}/ holds pyodide {installed}, but package-lock.json pins {version}: {SETUP_HINT}")
    missing = [name for name in RUNTIME_FILES if not (source / name).is_file()]
    if missing:
        raise _fail(f"{source}/ lacks {', '.join(missing)}: {SETUP_HINT}")
    return Runtime(version=version, source=source, site_dir=f"assets/pyodide/{version}/")


def check_wheel_is_fresh(wheel: Path, package_dir: Path) -> None:
    """Fail unless every file of the package (.py, .toml) is in the wheel, byte for byte, and nothing else is."""
    with zipfile.ZipFile(wheel) as archive:
        packaged = {
            name.split("/", 1)[1]: archive.read(name)
            for name in archive.namelist()
            if name.startswith(f"{package_dir.name}/") and not name.endswith("/")
        }
    sources = {path.name: path for path in sorted(package_dir.iterdir()) if path.suffix in (".py", ".toml")}
    for name, path in sources.items():
        if name not in packaged:
            raise _fail(f"{wheel.name} lacks {package_dir.name}/{name}: the wheel is stale; {SETUP_HINT}")
        if packaged[name] != path.read_bytes():
            raise _fail(f"{wheel.name} is older than {package_dir.name}/{name}: {SETUP_HINT}")
    extra = sorted(set(packaged) - set(sources))
    if extra:
        raise _fail(f"{wheel.name} holds {package_dir.name}/{extra[0]}, which is no longer in the source: {SETUP_HINT}")


def find_wheel(root: Path = ROOT) -> Wheel:
    """The one calculator wheel in build/wheel/, checked against the package source."""
    wheels = sorted((root / "build" / "wheel").glob(WHEEL_GLOB))
    if len(wheels) != 1:
        found = ", ".join(path.name for path in wheels) or "none"
        raise _fail(f"expected one {WHEEL_GLOB} in build/wheel/, found {found}: {SETUP_HINT}")
    path = wheels[0]
    check_wheel_is_fresh(path, root / "calculator")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Wheel(path=path, sha256=digest, site_path=f"assets/wheels/{path.stem}.{digest[:12]}.whl")


_snapshot_hashes: dict[tuple[str, int, int], str] = {}


def _file_sha256(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _snapshot_hashes:
        _snapshot_hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _snapshot_hashes[key]


def find_snapshot(root: Path = ROOT, runtime: Runtime | None = None, wheel: Wheel | None = None) -> Snapshot | None:
    """The start-up snapshot in build/snapshot/, checked against the pinned Pyodide and the current wheel.

    None when CALCULATOR_SNAPSHOT=off; any other mismatch fails the build with the fix.
    """
    if os.environ.get("CALCULATOR_SNAPSHOT", "").lower() == "off":
        return None
    runtime = runtime or find_runtime(root)
    wheel = wheel or find_wheel(root)
    folder = root / SNAPSHOT_DIR
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        path, stdlib = folder / manifest["snapshot"]["file"], folder / manifest["stdlib"]["file"]
        version, wheel_sha, snapshot_sha = (
            manifest["pyodideVersion"],
            manifest["wheel"]["sha256"],
            manifest["snapshot"]["sha256"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        raise _fail(
            f"{folder}/manifest.json is missing or broken: {SETUP_HINT} (or build with CALCULATOR_SNAPSHOT=off)"
        ) from None
    if version != runtime.version:
        raise _fail(
            f"{folder}/ holds a snapshot of Pyodide {version}, "
            f"but package-lock.json pins {runtime.version}: {SETUP_HINT}"
        )
    if wheel_sha != wheel.sha256:
        raise _fail(f"{folder}/ holds a snapshot of another calculator wheel: the snapshot is stale; {SETUP_HINT}")
    if not path.is_file() or not stdlib.is_file() or _file_sha256(path) != snapshot_sha:
        raise _fail(f"{path} is missing or does not match its manifest: {SETUP_HINT}")
    stdlib_sha = _file_sha256(stdlib)
    return Snapshot(
        path=path,
        stdlib=stdlib,
        sha256=snapshot_sha,
        site_path=f"assets/snapshot/calculator.{snapshot_sha[:12]}.snapshot",
        stdlib_site_path=f"assets/snapshot/empty.{stdlib_sha[:12]}.zip",
        pyodide_version=version,
        wheel_sha256=wheel_sha,
        lock_info=manifest.get("lockInfo", {}),
    )


@dataclass(frozen=True, slots=True)
class BrotliDecoder:
    module: Path  # node_modules/brotli-dec-wasm/pkg/brotli_dec_wasm.js
    wasm: Path
    module_site_path: str  # "assets/brotli-dec-wasm/brotli_dec_wasm.0123456789ab.js"
    wasm_site_path: str


DECODER_PACKAGE = Path("node_modules") / "brotli-dec-wasm" / "pkg"


def find_brotli_decoder(root: Path = ROOT) -> BrotliDecoder:
    """The pinned brotli decoder (npm brotli-dec-wasm) the worker uses where a host does not negotiate brotli.

    Published under content-hashed names. Raises PluginError when `npm ci` has not installed it.
    """
    module, wasm = root / DECODER_PACKAGE / "brotli_dec_wasm.js", root / DECODER_PACKAGE / "brotli_dec_wasm_bg.wasm"
    if not module.is_file() or not wasm.is_file():
        raise _fail(f"{module.parent} is missing: {SETUP_HINT}")
    return BrotliDecoder(
        module=module,
        wasm=wasm,
        module_site_path=f"assets/brotli-dec-wasm/brotli_dec_wasm.{_file_sha256(module)[:12]}.js",
        wasm_site_path=f"assets/brotli-dec-wasm/brotli_dec_wasm_bg.{_file_sha256(wasm)[:12]}.wasm",
    )


def copy_decoder_into_site(site: Path, decoder: BrotliDecoder) -> None:
    """Copy the brotli decoder's module and wasm into ``site`` under their hashed names."""
    _copy(decoder.module, site / decoder.module_site_path)
    _copy(decoder.wasm, site / decoder.wasm_site_path)


# --- precompression, cached across builds -------------------------------------------------------


def _compressed_copies(source: Path, cache: Path, brotli_quality: int = 11) -> dict[str, Path]:
    """``{".br": path, ".gz": path}`` for one file, made once per content hash and kept in ``cache``."""
    import brotli  # a test dependency, in the venv; imported here so a missing one names itself

    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    copies = {}
    for suffix, compress in (
        (".br", lambda raw: brotli.compress(raw, quality=brotli_quality, lgwin=24)),
        (".gz", lambda raw: gzip.compress(raw, 9, mtime=0)),
    ):
        target = cache / f"{source.name}.{digest}{suffix}"
        if not target.is_file():
            cache.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            partial.write_bytes(compress(data))
            partial.replace(target)  # atomic: a concurrent build sees the whole file or none
        copies[suffix] = target
    return copies


Compressed = dict[str, dict[str, Path]]  # runtime file name (or "snapshot") -> {".br": path, ".gz": path}


def precompress(runtime: Runtime, snapshot: Snapshot | None = None, root: Path = ROOT) -> Compressed:
    """The .br/.gz copies of the runtime's text and wasm files and of the snapshot, cached under build/site-assets/.

    Slow the first time (brotli at its best setting), then a look-up per file. Raises PluginError naming the cause.
    """
    cache = root / "build" / "site-assets" / f"pyodide-{runtime.version}"
    try:
        copies = {name: _compressed_copies(runtime.source / name, cache) for name in PRECOMPRESSED}
        if snapshot is not None:
            copies["snapshot"] = precompress_snapshot(snapshot, root)
    except Exception as error:
        raise _fail(f"could not precompress the Pyodide runtime: {error!r}") from error
    return copies


def precompress_snapshot(snapshot: Snapshot, root: Path = ROOT) -> dict[str, Path]:
    """The snapshot's .br/.gz copies (brotli -q 11 takes about a minute; `make setup` does it once)."""
    return _compressed_copies(snapshot.path, root / "build" / "site-assets" / "snapshot", SNAPSHOT_BROTLI_QUALITY)


def _copy(source: Path, target: Path) -> None:
    """Copy unless an identical copy is already there (the i18n plugin builds once per language)."""
    if target.is_file():
        stat, mine = target.stat(), source.stat()
        if stat.st_size == mine.st_size and stat.st_mtime_ns == mine.st_mtime_ns:
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def precompress_off() -> bool:
    """PYODIDE_PRECOMPRESS=off: no .br/.gz copies (the live preview, tools/preview.py, serves uncompressed)."""
    return os.environ.get("PYODIDE_PRECOMPRESS", "").lower() == "off"


def copy_into_site(
    site: Path, runtime: Runtime, wheel: Wheel, snapshot: Snapshot | None, compressed: Mapping[str, Mapping[str, Path]]
) -> None:
    """Copy the runtime (with the .br/.gz copies in ``compressed``), the wheel and the snapshot into ``site``."""
    target_dir = site / runtime.site_dir
    for name in RUNTIME_FILES:
        _copy(runtime.source / name, target_dir / name)
        for suffix, path in compressed.get(name, {}).items():
            _copy(path, target_dir / f"{name}{suffix}")
    _copy(wheel.path, site / wheel.site_path)
    if snapshot is not None:
        _copy(snapshot.path, site / snapshot.site_path)
        for suffix, path in compressed.get("snapshot", {}).items():
            _copy(path, site / f"{snapshot.site_path}{suffix}")
        _copy(snapshot.stdlib, site / snapshot.stdlib_site_path)
