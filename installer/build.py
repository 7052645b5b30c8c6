"""The build steps of the setup program, shared by the Makefile and the Windows workflow.

    python installer/build.py bundle      dist/nianbao/ with PyInstaller (for this system)
    python installer/build.py selftest    run the bundle's ``--selftest``
    python installer/build.py installer   dist/nianbao-setup-VERSION.exe with makensis
    python installer/build.py version     print the version and its four-part form

On Windows ``installer`` builds the real setup program.  Elsewhere it compiles the same script
against the bundle built here (a Linux one, which cannot run on Windows): that proves the script
is valid and gives an indication of the compressed size, nothing more.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "nianbao.spec"
ICON = ROOT / "resources" / "icons" / "nianbao.ico"
SCRIPT = ROOT / "installer" / "nianbao.nsi"
DIST = ROOT / "dist"
BUNDLE = DIST / "nianbao"
EXE = BUNDLE / ("nianbao.exe" if sys.platform == "win32" else "nianbao")


def version() -> tuple[str, str]:
    """``model.__version__`` and the four numbers Windows version resources want (0.1.0.0)."""
    text = (ROOT / "model" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise SystemExit("no __version__ in model/__init__.py")
    numbers = [int(n) for n in re.findall(r"\d+", found.group(1))][:4]
    return found.group(1), ".".join(map(str, numbers + [0] * (4 - len(numbers))))


def bundle() -> int:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean"]
    command += ["--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller")]
    code = subprocess.call([*command, str(SPEC)], cwd=ROOT)
    if code == 0:
        print(f"bundle: {BUNDLE} ({_size_mb(BUNDLE):.0f} MB on disk)")
    return code


def selftest() -> int:
    """Run the bundle's self-test; its result lines are in a file because the program is a
    windowed one (it has no console on Windows)."""
    if not EXE.exists():
        print(f"selftest: {EXE} does not exist; build it with `make bundle`", file=sys.stderr)
        return 2
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as folder:
        result = Path(folder) / "selftest.txt"
        command = [str(EXE), "--selftest", str(result)]
        code = subprocess.call(command, env=env, cwd=folder, stdout=subprocess.DEVNULL)
        print(result.read_text(encoding="utf-8") if result.exists() else "(no result written)")
    print(f"selftest: exit status {code}")
    return code


def installer() -> int:
    makensis = shutil.which("makensis") or _windows_makensis()
    if makensis is None:
        print(
            "installer: makensis not found (Debian: apt-get install nsis; Windows: choco install nsis)"
        )
        return 2
    if not EXE.exists():
        print(f"installer: {EXE} does not exist; build it with `make bundle`", file=sys.stderr)
        return 2
    full, quad = version()
    setup = DIST / f"nianbao-setup-{full}.exe"
    command = [makensis, "-WX", "-V3", "-INPUTCHARSET", "UTF8"]
    command += [f"-DVERSION={full}", f"-DVERSION_QUAD={quad}"]
    command += [f"-DBUNDLE_DIR={BUNDLE}", f"-DOUTFILE={setup}", f"-DICON_FILE={ICON}", str(SCRIPT)]
    completed = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace")
    log = ROOT / "build" / "makensis.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(completed.stdout + completed.stderr, encoding="utf-8")
    summary = [line for line in completed.stdout.splitlines() if _is_summary(line)]
    print("\n".join(summary[-8:]) or completed.stdout[-2000:], completed.stderr, sep="\n")
    if completed.returncode != 0:
        print(f"installer: makensis failed (exit {completed.returncode}); see {log}")
        return completed.returncode
    note = "" if sys.platform == "win32" else " — of the Linux bundle: indicative only"
    print(f"installer: {setup} ({setup.stat().st_size / 2**20:.1f} MB{note})")
    return 0


def _is_summary(line: str) -> bool:
    return line.startswith(("Output:", "Install:", "Uninstall:", "Total size:", "EXE header"))


def _windows_makensis() -> str | None:
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "NSIS" / "makensis.exe").exists():
            return str(Path(base) / "NSIS" / "makensis.exe")
    return None


def _size_mb(folder: Path) -> float:
    files = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["bundle", "selftest", "installer", "version"])
    step = parser.parse_args().step
    if step == "version":
        print(*version())
        return 0
    return {"bundle": bundle, "selftest": selftest, "installer": installer}[step]()


if __name__ == "__main__":
    sys.exit(main())
