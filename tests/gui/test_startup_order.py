"""What start-up does before the report is ready for typing, and what it leaves for after, in a
new process started as the clerk starts it (``main.py --db FILE``; issue 20: ready ≤ 2 × a bare
window on one core).  Counted, not timed: no garbage-collector pass before the database is open
for writing (they cost ~10 ms before the report is ready and ~20 ms while SQLAlchemy loads
behind it, on one core, over everything start-up builds), and the collector back on from then;
the second-copy guard listening only then too, under the database's name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ROOT, run_python

pytestmark = pytest.mark.gui

# Runs main.py with the start-up probe and prints, as JSON lines, each milestone with the
# collector's state and passes so far, and the guard's listen() with what it achieved.
_SCRIPT = """
import builtins, gc, json, os, runpy, sys
os.environ["NIANBAO_STARTUP_PROBE"] = "1"
passes = []
gc.callbacks.append(lambda phase, info: phase == "start" and passes.append(info["generation"]))
real = builtins.print
def say(event, **more):
    state = {"gc_on": gc.isenabled(), "passes": len(passes), "frozen": gc.get_freeze_count()}
    real(json.dumps({"event": event, **state, **more}), flush=True)
def milestone(*args, **kwargs):
    if args and args[0] in ("painted", "ready", "loaded"):
        say(args[0])
    else:
        real(*args, **kwargs)
builtins.print = milestone
target = sys.argv[1]
sys.argv = [target, *sys.argv[2:]]
sys.path.insert(0, os.path.dirname(target))
import gui.single_instance as guard_module
listen = guard_module.InstanceGuard.listen
def listened(guard):
    listen(guard)
    server = guard._server
    say("listen", listening=server is not None and server.isListening(),
        name=server.serverName() if server is not None else None,
        expected=guard_module.server_name(guard.db_path))
guard_module.InstanceGuard.listen = listened
import pkgutil  # what runpy.run_path imports: the harness's, not the program's
passes.clear()  # from here on, as from the program's launch
runpy.run_path(target, run_name="__main__")
"""


def _events(db: Path, config: Path) -> list[dict[str, object]]:
    printed = run_python(_SCRIPT, str(ROOT / "main.py"), "--db", str(db), config=config)
    return [json.loads(line) for line in printed.splitlines() if line.startswith("{")]


def test_no_garbage_collection_while_starting_and_the_collector_on_after(
    existing: Path, tmp_path: Path
) -> None:
    events = {e["event"]: e for e in _events(existing, tmp_path)}
    assert events["painted"]["passes"] == 0
    assert events["ready"]["passes"] == 0, events["ready"]
    assert events["loaded"]["passes"] == 0, events["loaded"]  # SQLAlchemy loaded behind it
    # On again once the database is open for writing, with what start-up built (SQLAlchemy
    # included) frozen out of its full passes.
    settled = events["listen"]
    assert settled["gc_on"] is True
    assert isinstance(settled["frozen"], int) and settled["frozen"] > 50_000


def test_the_window_answers_a_second_copy_once_the_database_is_open_for_writing(
    existing: Path, tmp_path: Path
) -> None:
    events = _events(existing, tmp_path)
    order = [e["event"] for e in events]
    assert order.index("painted") < order.index("ready") < order.index("listen"), order
    (listened,) = [e for e in events if e["event"] == "listen"]
    assert listened["listening"] is True
    assert listened["name"] == listened["expected"]


def test_a_window_on_a_new_database_listens_too(tmp_path: Path) -> None:
    """A new file is created at once (no background load): the guard listens all the same."""
    events = _events(tmp_path / "new.sqlite3", tmp_path)
    (listened,) = [e for e in events if e["event"] == "listen"]
    assert listened["listening"] is True
