"""`make windows-check`: the real Windows program, built and run under Wine, step by step.

    python installer/windows_check.py

Each step is one counted check, named with its conditions in the log; a step whose input is
missing (an earlier step failed) counts as failed too.  The last line is
``windows-check: N passed, M failed``; the exit status is 1 if any failed.  The Wine prefix,
the downloads, the bundle, the setup, the exported files and the screenshot stay under
build/windows/ (see installer/wine.py for the prefix and its quirks).

What it proves and what it does not: docs/INSTALL.md, "给技术人员".
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import readback
import wine
from wine import DRIVE_C, ROOT, WORK, log, windows_path

RESULTS = WORK / "results"
SETUP_DIR = WORK / "dist"
INSTALL_DIR = DRIVE_C / "Program Files" / "nianbao"
INSTALLED_EXE = INSTALL_DIR / "nianbao.exe"
APP_NAME = "政务公开年报"
UNINSTALL_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\nianbao"
CLASS_KEY = r"HKLM\Software\Classes\nianbao.datafile\shell\open\command"
SHORTCUTS = (
    DRIVE_C / "ProgramData" / "Microsoft" / "Windows" / "Start Menu" / "Programs",
    DRIVE_C / "users" / "Public" / "Desktop",
)
#: A data file where a clerk keeps one: Chinese characters and spaces in every part of the path.
DATA_DIR = DRIVE_C / "用户 数据" / "年报"
DATA_FILE = DATA_DIR / "某某县 2022年 年报.nianbao.json"
SAMPLE = ROOT / "resources" / "examples" / "sample-2021-county-bureau.nianbao.json"
FONTS_DIR = DRIVE_C / "windows" / "Fonts"
#: Windows font file → the shipped font standing in for it, under a PostScript name of its own
#: ("WinFont-<file>") so that the PDF shows which file the program took.
STAND_IN_FONTS = {
    "simfang.ttf": "NotoSerifSC-Regular.ttf",
    "simsun.ttc": "NotoSerifSC-Regular.ttf",
    "simhei.ttf": "wqy-microhei.ttc",
    "simkai.ttf": "LXGWWenKai-Regular.ttf",
    "FZXBSJW.TTF": "NotoSerifSC-Bold.ttf",
}
PS_NAMES = {
    "NotoSerifSC-Regular.ttf": "NotoSerifSC-Regular",
    "NotoSerifSC-Bold.ttf": "NotoSerifSC-Bold",
    "wqy-microhei.ttc": "WenQuanYiMicroHei",
    "LXGWWenKai-Regular.ttf": "LXGWWenKai-Regular",
}
SCREEN = "1366x768x24"


class CheckFailed(Exception):
    """A check that failed; the message says what was found."""


@dataclass
class Step:
    name: str  # with its conditions, e.g. "frozen self-test, output to a pipe, code page 1252"
    run: Callable[[], str]  # returns a detail for the log; raises CheckFailed
    needs: tuple[str, ...] = ()  # keys of earlier steps whose output this one uses
    key: str = ""


@dataclass
class Run:
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    times: list[tuple[str, float]] = field(default_factory=list)


# ------------------------------------------------------------------------- the steps


def prepare() -> str:
    wine.prepare()
    return f"Windows CPython {wine.PYTHON_SDIST[1]} (sha256-pinned), wheels, prefix {wine.PREFIX}"


def code_pages() -> str:
    found = {}
    for page in (936, 1252):
        code, out = wine.python(
            ["-c", "import ctypes; print(ctypes.windll.kernel32.GetACP())"], code_page=page
        )
        found[page] = out.strip().splitlines()[-1] if out.strip() else f"exit {code}"
    if found != {936: "936", 1252: "1252"}:
        raise CheckFailed(f"GetACP gave {found} for LC_ALL {wine.LOCALES}")
    return "GetACP() is 936 with LC_ALL=zh_CN.UTF-8, 1252 with en_US.UTF-8"


def source_selftest() -> str:
    return _selftest([wine.PYTHON, "main.py"], "source-1252", code_page=1252, utf8=False)


def build_bundle() -> str:
    if wine.bundle() != 0:
        raise CheckFailed("PyInstaller under Wine failed (its output is above)")
    size = sum(p.stat().st_size for p in wine.BUNDLE.rglob("*") if p.is_file()) / 2**20
    return f"{wine.BUNDLE / 'nianbao.exe'} ({size:.0f} MB)"


def frozen_selftest(page: int) -> Callable[[], str]:
    def check() -> str:
        exe = windows_path(wine.BUNDLE / "nianbao.exe")
        return _selftest([exe], f"frozen-{page}", code_page=page, utf8=True)

    return check


def compile_setup() -> str:
    if wine.installer(SETUP_DIR, fast=True) != 0:
        raise CheckFailed("makensis failed (its output is above)")
    setup = _setup_file()
    machine = _pe_machine(setup)
    if machine != 0x8664:
        raise CheckFailed(f"{setup.name} is not a 64-bit program (PE machine {machine:#x})")
    return f"{setup.name}, x64 (PE machine 0x8664), {setup.stat().st_size / 2**20:.0f} MB"


def silent_install() -> str:
    _forget_earlier_runs()
    code, _ = wine.run([windows_path(_setup_file()), "/S"], timeout=600)
    wine.wait_for_wine()
    problems = []
    for part in ("nianbao.exe", "uninstall.exe", "nianbao.ico", "_internal"):
        if not (INSTALL_DIR / part).exists():
            problems.append(f"{INSTALL_DIR / part} missing")
    values = _registry(UNINSTALL_KEY)
    expected = {
        "DisplayName": APP_NAME,
        "InstallLocation": r"C:\Program Files\nianbao",
        "UninstallString": r'"C:\Program Files\nianbao\uninstall.exe"',
    }
    for name, value in expected.items():
        if values.get(name) != value:
            problems.append(f"{UNINSTALL_KEY}\\{name} = {values.get(name)!r}, not {value!r}")
    # The default value's name is localised ("(Default)", "(默认)").
    command = next((v for k, v in _registry(CLASS_KEY).items() if k.startswith("(")), "")
    if "nianbao.exe" not in command or "--open" not in command:
        problems.append(f"{CLASS_KEY} = {command!r}")
    for folder in SHORTCUTS:
        link = folder / f"{APP_NAME}.lnk"
        if not link.is_file() or "nianbao.exe" not in _link_text(link):
            problems.append(f"shortcut {link} missing or not to nianbao.exe")
    if problems:
        raise CheckFailed(f"setup exit {code}; " + "; ".join(problems))
    return "files in C:\\Program Files\\nianbao, uninstall entry, file type, 2 shortcuts"


def installed_selftest() -> str:
    return _selftest([windows_path(INSTALLED_EXE)], "installed-936", code_page=936, utf8=True)


def export_with_windows_fonts() -> str:
    _put_stand_in_fonts()
    pdf, docx = _export("windows-fonts")
    return f"{_numbers_read_back(pdf, docx)}; {windows_path(pdf)}"


def windows_fonts_embedded() -> str:
    fonts = readback.pdf_fonts(DATA_DIR / "windows-fonts.pdf")
    not_embedded = [f.name for f in fonts if not f.embedded]
    used = {
        f.name.split("-")[1].rstrip("_").lower() for f in fonts if f.name.startswith("WinFont-")
    }
    others = sorted({f.name for f in fonts if not f.name.startswith("WinFont-")})
    wanted = {Path(name).stem.lower() for name in STAND_IN_FONTS}
    if not_embedded or others or used != wanted:
        raise CheckFailed(
            f"not embedded {not_embedded}; not Windows fonts {others}; used {sorted(used)}"
        )
    return f"embedded: {', '.join(sorted({f.name for f in fonts}))}"


def export_with_shipped_fonts() -> str:
    for name in STAND_IN_FONTS:
        (FONTS_DIR / name).unlink(missing_ok=True)
    pdf, docx = _export("shipped-fonts")
    detail = _numbers_read_back(pdf, docx)
    fonts = readback.pdf_fonts(pdf)
    shipped = set(PS_NAMES.values())
    strangers = sorted({f.name for f in fonts if f.name.removesuffix("-0") not in shipped})
    if strangers or not all(f.embedded for f in fonts):
        raise CheckFailed(f"fonts not shipped or not embedded: {strangers or fonts}")
    return f"{detail}; embedded: {', '.join(sorted({f.name for f in fonts}))}"


def window_under_xvfb() -> str:
    screenshot = WORK / "window.png"
    screenshot.unlink(missing_ok=True)
    with _Xvfb() as display:
        args = [windows_path(INSTALLED_EXE), "--open", windows_path(DATA_FILE)]
        env = wine.environment(936, display) | {"QT_QPA_PLATFORM": "windows"}
        command = ["timeout", "-k", "5", "180", "wine", *args]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)  # fmt: skip
        try:
            title = _wait_for_window(display, "2022年", process)
            time.sleep(4)  # the findings and the first tab paint after the import
            _screenshot(display, screenshot)
        finally:
            wine.run(["taskkill", "/IM", "nianbao.exe"], timeout=30)  # WM_CLOSE, as the X
            try:
                closed = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                closed = None
    if closed != 0:
        raise CheckFailed(f"the window did not close cleanly when asked (exit {closed})")
    report = _stored_report()
    if report is None:
        raise CheckFailed(f"the window did not store the opened report in {_user_database()}")
    return f"title {title!r}; report {report} stored; closed cleanly; screenshot {screenshot}"


def silent_uninstall() -> str:
    code, _ = wine.run([windows_path(INSTALL_DIR / "uninstall.exe"), "/S"], timeout=300)
    wine.wait_for_wine()
    problems = []
    if INSTALL_DIR.exists():
        problems.append(
            f"{INSTALL_DIR} still there: {sorted(p.name for p in INSTALL_DIR.iterdir())}"
        )
    for key in (UNINSTALL_KEY, CLASS_KEY):
        if _registry(key):
            problems.append(f"{key} still in the registry")
    for folder in SHORTCUTS:
        if (folder / f"{APP_NAME}.lnk").exists():
            problems.append(f"shortcut in {folder} still there")
    if _stored_report() is None:
        problems.append(f"the user's database {_user_database()} lost its report")
    if problems:
        raise CheckFailed(f"uninstaller exit {code}; " + "; ".join(problems))
    return f"program, registry and shortcuts gone; {windows_path(_user_database())} kept"


STEPS = [
    Step("prepare: Debian packages, pinned Windows CPython, win_amd64 wheels, Wine prefix",
         prepare, key="prefix"),
    Step("Wine ANSI code pages follow LC_ALL", code_pages, ("prefix",)),
    Step("source self-test (main.py --selftest), output to a pipe, code page 1252",
         source_selftest, ("prefix",)),
    Step("PyInstaller bundle from installer/nianbao.spec", build_bundle, ("prefix",), "bundle"),
    Step("frozen self-test, output to a pipe, code page 936", frozen_selftest(936), ("bundle",)),
    Step("frozen self-test, output to a pipe, code page 1252", frozen_selftest(1252), ("bundle",)),
    Step("setup compiled (makensis, x64, zlib for speed)", compile_setup, ("bundle",), "setup"),
    Step("silent install (/S, as administrator: per machine), checked by files, registry "
         "and shortcuts", silent_install, ("setup",), "installed"),
    Step("installed self-test, code page 936", installed_selftest, ("installed",)),
    Step("installed export --pdf --docx of C:\\用户 数据\\年报\\…, every table number read back, "
         "Windows fonts present", export_with_windows_fonts, ("installed",), "exported"),
    Step("Windows fonts found by file name in C:\\Windows\\Fonts and embedded",
         windows_fonts_embedded, ("exported",)),
    Step("installed export without Windows fonts: shipped fonts embedded, numbers read back",
         export_with_shipped_fonts, ("installed",)),
    Step("window with the real windows platform plugin under Xvfb, --open the data file, "
         "code page 936, screenshot", window_under_xvfb, ("installed",), "window"),
    Step("silent uninstall (/S): files, registry, shortcuts gone; the user's database kept",
         silent_uninstall, ("installed",)),
]  # fmt: skip


# ------------------------------------------------------------------------- helpers


def _selftest(program: list[str], name: str, *, code_page: int, utf8: bool) -> str:
    """Run ``--selftest`` with its output to a pipe and its result in a file; both checked."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = RESULTS / f"selftest-{name}.txt"
    result.unlink(missing_ok=True)
    code, out = wine.run([*program, "--selftest", windows_path(result)], code_page=code_page)
    written = result.read_text(encoding="utf-8") if result.is_file() else ""
    last = written.strip().splitlines()[-1] if written.strip() else "(no result file)"
    print("\n".join("    " + line for line in out.splitlines() if line.strip()))
    if code != 0 or not last.startswith("自检通过"):
        raise CheckFailed(f"exit {code}; result file: {last}")
    # UTF-8 mode: the piped output is UTF-8 whatever the code page; without it, what the code
    # page lacks is "?" (and the program carries on).
    if utf8 and last not in out:
        raise CheckFailed(f"the piped output is not the result in UTF-8: {out[-300:]!r}")
    return last


def _setup_file() -> Path:
    sys.path.insert(0, str(ROOT / "installer"))
    import build

    return SETUP_DIR / build.setup_name()


def _pe_machine(exe: Path) -> int:
    data = exe.read_bytes()[:4096]
    offset = int.from_bytes(data[0x3C:0x40], "little")
    if data[offset : offset + 4] != b"PE\0\0":
        raise CheckFailed(f"{exe.name} is not a Windows program")
    return int.from_bytes(data[offset + 4 : offset + 6], "little")


def _registry(key: str) -> dict[str, str]:
    """The values of a registry key ({} if it does not exist), read with Wine's reg.exe."""
    code, out = wine.run(["reg", "query", key], timeout=60, code_page=936, encoding="gbk")
    if code != 0:
        return {}
    values = {}
    for line in out.splitlines():
        parts = line.strip().split(None, 2)
        if len(parts) == 3 and parts[1].startswith("REG_"):
            values[parts[0]] = parts[2]
        elif len(parts) == 2 and parts[1].startswith("REG_"):
            values[parts[0]] = ""
    return values


def _link_text(link: Path) -> str:
    data = link.read_bytes()
    return data.decode("utf-16-le", "ignore") + data.decode("latin-1")


def _user_dir() -> Path:
    users = [p for p in (DRIVE_C / "users").iterdir() if p.name != "Public" and p.is_dir()]
    return users[0]


def _user_database() -> Path:
    return _user_dir() / "AppData" / "Local" / "nianbao" / "nianbao.sqlite3"


def _stored_report() -> str | None:
    path = _user_database()
    if not path.is_file():
        return None
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        row = db.execute("SELECT agency, year FROM report ORDER BY id LIMIT 1").fetchone()
    return f"{row[0]} {row[1]}年" if row else None


def _forget_earlier_runs() -> None:
    """A fresh start in the kept prefix: no program, no user data, no font of an earlier run."""
    if (INSTALL_DIR / "uninstall.exe").is_file():
        wine.run([windows_path(INSTALL_DIR / "uninstall.exe"), "/S"], timeout=300)
        wine.wait_for_wine()
    shutil.rmtree(INSTALL_DIR, ignore_errors=True)
    for key in (UNINSTALL_KEY, r"HKLM\Software\Classes\nianbao.datafile"):
        wine.run(["reg", "delete", key, "/f"], timeout=60)
    shutil.rmtree(_user_dir() / "AppData" / "Local" / "nianbao", ignore_errors=True)
    for name in STAND_IN_FONTS:
        (FONTS_DIR / name).unlink(missing_ok=True)
    shutil.rmtree(DATA_DIR.parent, ignore_errors=True)
    DATA_DIR.mkdir(parents=True)
    shutil.copyfile(SAMPLE, DATA_FILE)


def _put_stand_in_fonts() -> None:
    shipped = ROOT / "resources" / "fonts"
    for windows_name, source in STAND_IN_FONTS.items():
        data = (shipped / source).read_bytes()
        old = PS_NAMES[source]
        new = f"WinFont-{Path(windows_name).stem}".ljust(len(old), "_")[: len(old)]
        renamed = data.replace(old.encode("ascii"), new.encode("ascii"))
        renamed = renamed.replace(old.encode("utf-16-be"), new.encode("utf-16-be"))
        if renamed == data:
            raise CheckFailed(f"{source}: PostScript name {old} not found")
        (FONTS_DIR / windows_name).write_bytes(renamed)


def _export(name: str) -> tuple[Path, Path]:
    pdf, docx = DATA_DIR / f"{name}.pdf", DATA_DIR / f"{name}.docx"
    for path in (pdf, docx):
        path.unlink(missing_ok=True)
    args = [windows_path(INSTALLED_EXE), "export", "--file", windows_path(DATA_FILE)]
    args += ["--pdf", windows_path(pdf), "--docx", windows_path(docx)]
    code, out = wine.run(args, code_page=936, timeout=300)
    print("\n".join("    " + line for line in out.splitlines() if line.strip()))
    if code != 0 or not pdf.is_file() or not docx.is_file():
        raise CheckFailed(f"export exit {code}: {out[-500:]}")
    return pdf, docx


def _numbers_read_back(pdf: Path, docx: Path) -> str:
    rows = readback.table_rows(DATA_FILE)
    missing_pdf = readback.missing_rows(readback.pdf_text(pdf), rows)
    missing_docx = readback.missing_rows(readback.docx_table_text(docx), rows)
    if missing_pdf or missing_docx:
        raise CheckFailed(f"rows not read back: PDF {missing_pdf}, Word {missing_docx}")
    return f"{len(rows)} table rows of numbers, in order, in the PDF and the Word file"


class _Xvfb:
    """An X server of our own on a free display number, ended by its process id."""

    def __enter__(self) -> str:
        number = next(n for n in range(91, 200) if not _display_taken(n))
        self.display = f":{number}"
        command = ["Xvfb", self.display, "-screen", "0", SCREEN, "-nolisten", "tcp"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 20
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise CheckFailed("Xvfb did not start")
            time.sleep(0.2)
        return self.display

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def _display_taken(number: int) -> bool:
    return Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists()


def _wait_for_window(display: str, in_title: str, process: subprocess.Popen[bytes]) -> str:
    """The title of the program's top-level window once it holds ``in_title``."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
            raise CheckFailed(f"the program ended (exit {process.returncode}): {out[-500:]}")
        for title in _window_titles(display):
            if in_title in title and APP_NAME in title:
                return title
        time.sleep(1)
    titles = _window_titles(display)
    raise CheckFailed(f"no window titled …{in_title}… — {APP_NAME} within 120 s: {titles}")


def _window_titles(display: str) -> list[str]:
    """The UTF-8 titles (_NET_WM_NAME) of nianbao.exe's windows on ``display``."""
    env = {"DISPLAY": display, "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True,
                          check=False).stdout.decode("utf-8", "replace")  # fmt: skip
    titles = []
    for line in tree.splitlines():
        if '"nianbao.exe"' in line:
            window = line.split()[0]
            prop = subprocess.run(["xprop", "-id", window, "_NET_WM_NAME"], env=env,
                                  capture_output=True, check=False).stdout.decode("utf-8", "replace")  # fmt: skip
            if "=" in prop:
                titles.append(prop.split("=", 1)[1].strip().strip('"'))
    return titles


def _screenshot(display: str, png: Path) -> None:
    """The whole screen, from xwd's dump, as PNG."""
    from PIL import Image

    dump = subprocess.run(["xwd", "-root", "-silent", "-display", display],
                          capture_output=True, check=True).stdout  # fmt: skip
    header = [int.from_bytes(dump[i : i + 4], "big") for i in range(0, 100, 4)]
    header_size, width, height = header[0], header[4], header[5]
    bits_per_pixel, bytes_per_line, ncolors = header[11], header[12], header[19]
    raw_mode = {32: "BGRX", 24: "BGR"}.get(bits_per_pixel)  # xwd's LSB-first TrueColor
    if raw_mode is None:
        raise CheckFailed(f"xwd gave {bits_per_pixel} bits per pixel")
    start = header_size + 12 * ncolors
    pixels = dump[start : start + bytes_per_line * height]
    image = Image.frombuffer("RGB", (width, height), pixels, "raw", raw_mode, bytes_per_line, 1)
    image.save(png)
    colours = image.getcolors(maxcolors=256)  # None: more than 256, a drawn window
    if colours is not None and len(colours) < 16:
        raise CheckFailed(f"the screenshot {png} is (nearly) blank: {len(colours)} colours")


# ------------------------------------------------------------------------- running


def run_steps(steps: list[Step]) -> Run:
    done = Run()
    good: set[str] = set()
    for number, step in enumerate(steps, start=1):
        log(f"step {number}/{len(steps)}: {step.name}")
        started = time.monotonic()
        lacking = [need for need in step.needs if need not in good]
        try:
            if lacking:
                raise CheckFailed(f"skipped: needs {', '.join(lacking)} from an earlier step")
            detail = step.run()
        except CheckFailed as failure:
            outcome, detail = "FAILED", str(failure)
        except (Exception, SystemExit) as error:  # an unexpected error is a failure too
            traceback.print_exc()
            outcome, detail = "FAILED", f"{type(error).__name__}: {error}"
        else:
            outcome = "passed"
            if step.key:
                good.add(step.key)
        seconds = time.monotonic() - started
        done.times.append((step.name, seconds))
        (done.passed if outcome == "passed" else done.failed).append(step.name)
        log(f"  {outcome} ({seconds:.0f} s): {step.name} — {detail}")
    return done


def main() -> int:
    started = time.monotonic()
    try:
        done = run_steps(STEPS)
    finally:
        wine.stop_wine()
    log(f"total {time.monotonic() - started:.0f} s")
    for name in done.failed:
        print(f"FAILED: {name}")
    print(f"windows-check: {len(done.passed)} passed, {len(done.failed)} failed")
    return 1 if done.failed else 0


if __name__ == "__main__":
    sys.exit(main())
