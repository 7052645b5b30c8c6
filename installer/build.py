"""The build steps of the setup program, shared by the Makefile and the Windows workflow.

    python installer/build.py bundle      dist/nianbao/ with PyInstaller (for this system)
    python installer/build.py selftest    run the bundle's ``--selftest``
    python installer/build.py installer   dist/nianbao-setup-VERSION-x64.exe with makensis
    python installer/build.py version     print the version and its four-part form

The setup program is a 64-bit one (Windows 10 or later, x64).  It is built from a Windows bundle:
on Windows, or on Linux from the one built under Wine (``make installer``, installer/wine.py,
which passes ``--bundle``).  Compiled against a Linux bundle it only proves the script is valid.
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


def bundle(dist: Path = DIST, work: Path = ROOT / "build" / "pyinstaller") -> int:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean"]
    command += ["--distpath", str(dist), "--workpath", str(work)]
    code = subprocess.call([*command, str(SPEC)], cwd=ROOT)
    if code == 0:
        print(f"bundle: {dist / BUNDLE.name} ({_size_mb(dist / BUNDLE.name):.0f} MB on disk)")
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


def setup_name() -> str:
    return f"nianbao-setup-{version()[0]}-x64.exe"


def installer(
    bundle_dir: Path = BUNDLE, out: Path = DIST, x64: bool = True, fast: bool = False
) -> int:
    """The setup program: 64-bit stubs (``Target amd64-unicode``) unless ``x64`` is False (a
    Windows NSIS that lacks them: the script's own check still refuses a 32-bit Windows)."""
    makensis = shutil.which("makensis") or _windows_makensis()
    if makensis is None:
        print(
            "installer: makensis not found (Debian: apt-get install nsis; Windows: choco install nsis)"
        )
        return 2
    bundle_dir, out = bundle_dir.resolve(), out.resolve()  # makensis reads from the script's folder
    exe = bundle_dir / "nianbao.exe"
    if not exe.exists() and not (bundle_dir / "nianbao").exists():
        print(
            f"installer: no program in {bundle_dir}; build it with `make bundle`", file=sys.stderr
        )
        return 2
    full, quad = version()
    setup = out / setup_name()
    out.mkdir(parents=True, exist_ok=True)
    command = [makensis, "-WX", "-V3", "-INPUTCHARSET", "UTF8"]
    if x64:
        command += ["-XTarget amd64-unicode"]
    if fast:  # test builds: zlib packs in a fifth of lzma's time
        command += ["-DFAST_COMPRESSION"]
    command += [f"-DVERSION={full}", f"-DVERSION_QUAD={quad}"]
    command += [f"-DBUNDLE_DIR={bundle_dir}", f"-DOUTFILE={setup}", f"-DICON_FILE={ICON}"]
    command += [str(SCRIPT)]
    completed = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace")
    log = ROOT / "build" / "makensis.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(completed.stdout + completed.stderr, encoding="utf-8")
    summary = [line for line in completed.stdout.splitlines() if _is_summary(line)]
    print("\n".join(summary[-8:]) or completed.stdout[-2000:], completed.stderr, sep="\n")
    if completed.returncode != 0:
        print(f"installer: makensis failed (exit {completed.returncode}); see {log}")
        return completed.returncode
    note = "" if exe.exists() else " — of a Linux bundle: proves the script compiles, no more"
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
    parser.add_argument("--dist", type=Path, default=DIST, help="bundle: where it goes")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="installer: the bundle")
    parser.add_argument("--out", type=Path, default=DIST, help="installer: where the setup goes")
    parser.add_argument("--x86-stubs", action="store_true", help="installer: NSIS without amd64")
    parser.add_argument("--fast", action="store_true", help="installer: zlib (test builds)")
    args = parser.parse_args()
    if args.step == "version":
        print(*version())
        return 0
    if args.step == "bundle":
        return bundle(args.dist, args.work)
    if args.step == "installer":
        return installer(args.bundle, args.out, not args.x86_stubs, args.fast)
    return selftest()


if __name__ == "__main__":
    sys.exit(main())
