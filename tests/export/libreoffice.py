"""Converting .docx files to PDF with LibreOffice, for tests and for looking at the pages.

LibreOffice on Linux has none of the faces the file names (仿宋_GB2312, 黑体, 楷体_GB2312,
方正小标宋简体, 宋体); left alone it would substitute whatever fontconfig finds, or draw boxes.
For the conversion only, a fontconfig file maps those names to the fonts the program ships in
resources/fonts (the .docx itself is not changed).  Each conversion uses its own throwaway
LibreOffice profile so that runs never share or lock one.

    python tests/export/libreoffice.py OUT_DIR FILE.docx...   convert by hand
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "resources" / "fonts"

#: The names the .docx uses → the shipped font standing in for each.
ALIASES = {
    "仿宋_GB2312": "Noto Serif SC",
    "仿宋": "Noto Serif SC",
    "宋体": "Noto Serif SC",
    "方正小标宋简体": "Noto Serif SC",
    "黑体": "WenQuanYi Micro Hei",
    "楷体_GB2312": "LXGW WenKai",
    "楷体": "LXGW WenKai",
}
BOLD = ("方正小标宋简体",)  # a bold Song face: the bold weight stands in


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def fontconfig(folder: Path) -> Path:
    """A fontconfig file: the system's fonts, the shipped ones, and the aliases."""
    aliases = "".join(
        f"<alias binding='same'><family>{name}</family><prefer><family>{font}</family>"
        "</prefer></alias>"
        for name, font in ALIASES.items()
    )
    bold = "".join(
        f"<match target='pattern'><test name='family'><string>{name}</string></test>"
        "<edit name='weight' mode='assign'><const>bold</const></edit></match>"
        for name in BOLD
    )
    path = folder / "fonts.conf"
    path.write_text(
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        "<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>"
        f"<dir>{FONTS}</dir><cachedir>{folder / 'cache'}</cachedir>{bold}{aliases}</fontconfig>",
        encoding="utf-8",
    )
    return path


def convert(files: list[Path], out_dir: Path, timeout: float = 180) -> list[Path]:
    """Each .docx as a PDF in ``out_dir`` (one LibreOffice start for all of them)."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    work = out_dir / ".libreoffice"
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig(work)), HOME=str(work))
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out_dir),
            *map(str, files),
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    pdfs = [out_dir / (f.stem + ".pdf") for f in files]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}")
    return pdfs


if __name__ == "__main__":
    print(*convert([Path(a) for a in sys.argv[2:]], Path(sys.argv[1])), sep="\n")
