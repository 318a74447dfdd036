"""What each stage of a build depends on, hashed: its own code and its own resources.

``STAGE_CODE`` names the modules of each stage by module name; a name covers the
module file *and* a package of that name with everything below it
(``analysis.parse`` is ``parse.py`` today and may become ``parse/``), so moving
code into sub-folders never silently drops it from the fingerprint. The
resources of a stage come from ``language.STAGES`` through
``Resources.fingerprint``. Charts, the command line and the notebooks are in no
stage: editing a chart title redoes nothing.

A changed ``parse`` or ``tokens`` fingerprint redoes every file; a changed
``mentions``, ``topics`` or ``exchanges`` fingerprint redoes only that stage,
from the cached turns and tokens.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import analysis
from analysis import language

# The folder of the package whose sources are hashed (a test may point it at a copy).
PACKAGE = Path(analysis.__file__).resolve().parent
# Bumped when the layout of the cache itself changes.
FORMAT = 4

STAGE_CODE: dict[str, tuple[str, ...]] = {
    "parse": ("analysis", "analysis.load", "analysis.metadata", "analysis.charset", "analysis.yaml_limits",
              "analysis.readers", "analysis.text", "analysis.parse", "analysis.schema", "analysis.dates",
              "analysis.corpus.pipeline", "analysis.corpus.files"),
    "tokens": ("analysis.segment", "analysis.engines", "analysis.language"),
    "mentions": ("analysis.entities", "analysis.names"),
    "topics": ("analysis.topics",),
    "exchanges": ("analysis.exchanges",),
}


def module_files(name: str, package: Path | None = None) -> list[Path]:
    """The source files of module ``name`` (``analysis.x.y``): ``x/y.py`` and every
    ``*.py`` under a package ``x/y/``; for ``analysis`` itself only its ``__init__.py``."""
    root = PACKAGE if package is None else Path(package)
    parts = name.split(".")[1:]
    if not parts:
        return [root / "__init__.py"]
    base = root.joinpath(*parts)
    found = [base.with_suffix(".py")] if base.with_suffix(".py").is_file() else []
    if base.is_dir():
        found += sorted(p for p in base.rglob("*.py") if "__pycache__" not in p.parts)
    return found


def code_fingerprint(names, package: Path | None = None) -> str:
    """A hash of the paths (relative to the package) and bytes of the modules ``names``."""
    root = PACKAGE if package is None else Path(package)
    h = hashlib.sha256()
    for name in names:
        for p in module_files(name, root):
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def fingerprints(resources: language.Resources, engine: str, encoding: str | None,
                 package: Path | None = None) -> dict[str, str]:
    """Stage -> its fingerprint: the code of ``STAGE_CODE``, the resources the
    stage reads, and (parse) the cache format, package version and forced encoding,
    (tokens) the engine."""
    out = {stage: code_fingerprint(names, package) for stage, names in STAGE_CODE.items()}
    out["parse"] = f"{FORMAT}:{analysis.__version__}:{encoding}:{out['parse']}"
    out["tokens"] = f"{engine}:{out['tokens']}"
    for stage in language.STAGES:
        out[stage] += ":" + resources.fingerprint(stage)
    return out
