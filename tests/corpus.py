"""Real programs nobody on this project wrote, for comparing deet with gdb.

- Lua 5.4's interpreter, from the sources that lupa's PyPI source distribution vendors
  (``third-party/lua54``), built the way each kind of user builds: the course's flags, a
  default ``gcc -g`` (PIE), and ``-O2 -g``. Built from its own directory with relative
  file names, as ``make`` would, so frame lines name files as compiled (``lvm.c``).
- Debian's ``python3.11-dbg``: a whole CPython with full DWARF (``/usr/bin/python3.11d``).

The sdist is fetched from PyPI (the package registry) into a cache directory and checked
against its digest; ``.ci/run`` fetches it and installs python3.11-dbg, so CI always has
both. Elsewhere a test that needs one skips with the reason. ``python tests/corpus.py``
fetches the sdist by hand.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

LUPA = "lupa-2.8.tar.gz"
LUPA_URL = ("https://files.pythonhosted.org/packages/c3/a6/"
            "0f869fbb07c393f15473b1eefefb7b5bec162fb7481803d040ed4dc46002/" + LUPA)
LUPA_SHA256 = "d8022641b9ec8ecf2c5ecbe9f47e5a70e0b87c4b5ae921b92cb02a638e0acd08"
PYTHON_DBG = Path("/usr/bin/python3.11d")

CACHE = Path(os.environ.get("DEET_CORPUS", Path(tempfile.gettempdir()) / "deet-corpus"))

# How each kind of user builds: the course, a default gcc -g (a PIE), and optimised.
BUILDS = {
    "course": ("-O0", "-g", "-no-pie", "-fno-omit-frame-pointer"),
    "pie": ("-g",),
    "O2": ("-O2", "-g"),
}


class UnavailableError(Exception):
    """A program of the corpus cannot be had here; ``str()`` says why."""


def fetch_lupa() -> Path:
    """The lupa sdist, downloaded once and checked against its digest."""
    CACHE.mkdir(parents=True, exist_ok=True)
    archive = CACHE / LUPA
    if not archive.exists():
        partial = archive.with_suffix(".partial")
        try:
            with urllib.request.urlopen(LUPA_URL, timeout=60) as response:
                partial.write_bytes(response.read())
        except OSError as exc:
            raise UnavailableError(f"cannot download {LUPA} from PyPI: {exc}") from exc
        partial.replace(archive)
    if hashlib.sha256(archive.read_bytes()).hexdigest() != LUPA_SHA256:
        archive.unlink()
        raise UnavailableError(f"{LUPA}: wrong digest")
    return archive


def lua(build: str) -> Path:
    """Lua 5.4's interpreter built with ``BUILDS[build]``."""
    out = CACHE / f"lua54-{build}" / "lua"
    if out.exists():
        return out
    sources = CACHE / "lua54"
    if not sources.exists():
        with tarfile.open(fetch_lupa()) as archive:
            members = [m for m in archive.getmembers()
                       if "/third-party/lua54/" in m.name and m.isfile()]
            staging = CACHE / "lua54.partial"
            shutil.rmtree(staging, ignore_errors=True)
            for member in members:
                member.name = member.name.split("/third-party/lua54/", 1)[1]
                archive.extract(member, staging, filter="data")
            staging.replace(sources)
    directory = out.parent
    shutil.rmtree(directory, ignore_errors=True)
    shutil.copytree(sources, directory)
    files = sorted(p.name for p in directory.glob("*.c") if p.name not in ("onelua.c", "ltests.c"))
    # The string hash seed is made from the time: fixed, so that every run is the same.
    subprocess.run(["gcc", *BUILDS[build], "-std=c99", "-DLUA_USE_LINUX", "-Dluai_makeseed(L)=0",
                    "-w", "-o", "lua", *files, "-lm"], cwd=directory, check=True)
    return out


def python_dbg() -> Path:
    if not PYTHON_DBG.exists():
        raise UnavailableError("python3.11-dbg is not installed (apt-get install python3.11-dbg)")
    return PYTHON_DBG


if __name__ == "__main__":
    try:
        print(fetch_lupa())
    except UnavailableError as exc:
        sys.exit(str(exc))
