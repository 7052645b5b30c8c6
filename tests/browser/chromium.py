"""A real browser for the tests of the web page export: Debian's chromium, headless, and axe-core.

Chromium runs with a throwaway profile, no network chatter (the machine's network is closed,
and a test must not depend on it), and a fontconfig file that adds the fonts the program ships
(resources/fonts), so the screenshots show Chinese even on a bare CI machine.

axe-core comes from npm: ``package.json`` pins it to an exact version, ``package-lock.json``
names no registry host (``.npmrc``), and ``make test`` runs ``npm ci`` here first.

When chromium or axe-core is missing the tests that need them skip and say why, except under
CI (``CI`` set), where .ci/run has installed both and their absence is a failure.

    python tests/browser/chromium.py PAGE.html OUT_DIR   screenshots at 375 and 1280 px wide
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if chromium() is None:
        return "chromium is not installed (apt-get install chromium)"
    if not AXE.exists():
        return "axe-core is not installed (make test runs npm ci in tests/browser)"
    return None


def require() -> None:
    """Skip the calling test when the browser is missing; under CI, fail instead."""
    import pytest

    reason = missing()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} — on CI, .ci/run and make test should have installed it")
    pytest.skip(reason)


def _run(page: Path, *args: str, timeout: float = 120) -> str:
    program = chromium()
    if program is None:
        raise RuntimeError("chromium is not installed")
    sys.path.insert(0, str(ROOT / "tests" / "export"))
    from libreoffice import fontconfig  # the same shipped fonts the Word tests map names to

    with tempfile.TemporaryDirectory(prefix="nianbao-chromium-") as work:
        folder = Path(work)
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig(folder)), HOME=work)
        result = subprocess.run(
            [program, *FLAGS, f"--user-data-dir={folder / 'profile'}", *args, page.as_uri()],
            env=env,
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"chromium failed ({result.returncode}): {result.stderr[-2000:]!r}")
    return result.stdout.decode("utf-8")


def dump_dom(page: Path, budget_ms: int = 20000) -> str:
    """The DOM of ``page`` after its scripts ran (up to ``budget_ms`` of virtual time)."""
    return _run(page, f"--virtual-time-budget={budget_ms}", "--dump-dom")


def screenshot(page: Path, out: Path, width: int, height: int) -> Path:
    """``page`` drawn in a window ``width`` × ``height`` CSS pixels, as a PNG."""
    _run(page, f"--screenshot={out}", f"--window-size={width},{height}")
    if not out.exists():
        raise RuntimeError(f"chromium wrote no screenshot {out}")
    return out


_RESULT_ID = "nianbao-test-result"


def with_script(html: str, script: str, *, files: tuple[Path, ...] = ()) -> str:
    """A copy of the page ``html`` that runs ``script`` (and the script files ``files``) at
    the end of its body; the script calls ``report(value)`` to leave a JSON result in the DOM
    for :func:`result`."""
    report = (
        "function report(value){var pre=document.createElement('pre');"
        f"pre.id='{_RESULT_ID}';pre.textContent=JSON.stringify(value);"
        "document.body.appendChild(pre);}"
    )
    tags = "".join(f'<script src="{f.as_uri()}"></script>' for f in files)
    code = f"<script>{report}\n{script}</script>"
    if "</body>" in html:
        return html.replace("</body>", tags + code + "</body>", 1)
    return html + tags + code


def result(dom: str) -> object:
    """The value the page's script reported (see :func:`with_script`)."""
    match = re.search(f'<pre id="{_RESULT_ID}">(.*?)</pre>', dom, re.S)
    if match is None:
        raise AssertionError("the page's script reported nothing (did it fail?)")
    from html import unescape

    return json.loads(unescape(match.group(1)))


def axe(page_html: str, folder: Path) -> dict[str, object]:
    """axe-core's results for ``page_html``: ``{"violations": [...], "passes": n, ...}``."""
    script = (
        "axe.run(document,{resultTypes:['violations']}).then(function(r){"
        "report({version:axe.version,passes:r.passes.length,incomplete:r.incomplete.map("
        "function(v){return v.id}),violations:r.violations.map(function(v){return {id:v.id,"
        "impact:v.impact,help:v.help,nodes:v.nodes.map(function(n){return n.html.slice(0,200)"
        "})}})});},function(e){report({error:String(e)});});"
    )
    page = folder / "axe.html"
    page.write_text(with_script(page_html, script, files=(AXE,)), encoding="utf-8")
    value = result(dump_dom(page))
    assert isinstance(value, dict)
    if "error" in value:
        raise AssertionError(f"axe-core failed: {value['error']}")
    return value


def paste(fragment: str, folder: Path) -> str:
    """The DOM of an editable page after ``fragment`` was inserted the way Chromium pastes
    HTML (``execCommand('insertHTML')``), as a website's rich-text editor receives it."""
    literal = json.dumps(fragment).replace("</", "<\\/")
    page = folder / "editor.html"
    page.write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>编辑器</title>'
        '</head><body><div id="editor" contenteditable="true"></div>'
        "<script>var e=document.getElementById('editor');e.focus();"
        f"var ok=document.execCommand('insertHTML',false,{literal});"
        "document.title=ok?'pasted':'refused';</script></body></html>",
        encoding="utf-8",
    )
    return dump_dom(page)


if __name__ == "__main__":
    source, out_dir = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    for w in (375, 1280):
        print(screenshot(source, out_dir.resolve() / f"{source.stem}-{w}.png", w, 3000))
