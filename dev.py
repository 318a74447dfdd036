#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.11+ and pip.

    python3 dev.py run     # set up if needed, then build tables and charts for data/raw/
    python3 dev.py test    # set up if needed, then run the whole test suite
    python3 dev.py lab     # set up if needed, then open JupyterLab on notebooks/
    python3 dev.py setup   # only create/refresh the virtual environment in .venv/

Set-up creates ``.venv/`` beside this file and installs the package with its
notebook and development extras. It reruns only when ``pyproject.toml`` changed.
Extra arguments after ``test`` go to pytest; after ``run`` to ``analysis build``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def _stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _stamp():
        return
    print("installing the package and its dependencies (first run only)", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["-U", "pip"], check=True)
    subprocess.run(pip + ["-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(_stamp())


def _run(*args: str) -> int:
    return subprocess.run([str(a) for a in args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    cmd, rest = (argv[0], argv[1:]) if argv else ("run", [])
    if cmd not in {"setup", "run", "test", "lab"}:
        print(__doc__)
        return 2
    setup()
    if cmd == "setup":
        return 0
    if cmd == "run":
        rc = _run(BIN / "analysis", "build", *rest)
        rc2 = _run(BIN / "analysis", "charts")
        return rc or rc2
    if cmd == "test":
        return _run(PY, "-m", "pytest", *rest)
    return _run(BIN / "jupyter", "lab", "--notebook-dir", ROOT / "notebooks")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
