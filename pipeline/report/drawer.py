"""vl-convert in a process of its own, so that drawing overlaps the rest of a report.

vl-convert runs Vega's JavaScript in an embedded engine that takes 0.3 s to start in every
process, and then 0.02-0.04 s per chart's static SVG, all in step with the calling thread
(a thread of this process cannot hide it). A command that draws a few charts (`report`,
`compare`, `charts`, `share`, `demo`) calls `start()` first, from the command line's group
callback: the drawing process (this file, run as a script: `serve`) starts its engine while
the command imports and reads the store, and each chart handed to it with `ask()` is drawn
while the next one is made and the page is put together. A live page's chart is one
"page" drawing: the spec compiled once, as wide as its container, and the static SVG drawn
from that compile made a fixed width.

Without `start()` (report --all's workers, which already run one per core), or when the
drawing process cannot start or stops, every drawing is made in this process, as before: a
drawing is never lost, and an error in one is raised here, by vl-convert itself.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from queue import SimpleQueue
from typing import Any

# A small chart of the marks a report uses: drawn as the process starts, so that its engine
# has started and compiled Vega's code for them (the first real chart is drawn 0.03 s sooner)
_DAYS = [{"d": f"2026-01-0{i}", "v": i, "c": "ab"[i % 2]} for i in range(1, 8)]
_X, _Y = {"field": "d", "type": "temporal"}, {"field": "v", "type": "quantitative"}
WARM = {"data": {"values": _DAYS}, "title": "warm", "width": "container", "layer": [
    {"mark": "bar", "encoding": {"x": _X, "y": _Y, "color": {"field": "c", "type": "nominal"}}},
    {"mark": {"type": "line", "point": True}, "encoding": {"x": _X, "y": _Y}},
    {"mark": "rule", "encoding": {"y": {"datum": 3}}},
    {"mark": "text", "encoding": {"x": _X, "y": _Y, "text": {"field": "c"}}},
    {"mark": "rect", "encoding": {"x": _X, "x2": {"datum": "2026-01-05", "type": "temporal"}}},
]}  # fmt: skip
# how Vega-Lite compiles `"width": "container"`: left out, the spec is the one it compiles
# for a fixed width (tests/test_drawer.py draws every chart of the demo both ways)
CONTAINER = {"type": "fit-x", "contains": "padding"}


def _here(kind: str, spec: dict, scale: float = 2.0, width: int = 0) -> Any:
    """The drawing made in this process: "svg" (text), "vega" (the compiled spec), "png"
    (bytes), or "page": the compiled spec of a chart as wide as its container and its
    static SVG `width` wide, from one compile ({"vega": ..., "svg": ...})."""
    import vl_convert

    if kind == "svg":
        return vl_convert.vegalite_to_svg(spec)
    if kind == "vega":
        return vl_convert.vegalite_to_vega(spec)
    if kind == "png":
        return vl_convert.vegalite_to_png(spec, scale=scale)
    compiled = vl_convert.vegalite_to_vega(spec)
    fixed = fixed_width(compiled, width)
    if fixed is None:  # compiled otherwise than expected: the static chart on its own
        return {"vega": compiled, "svg": vl_convert.vegalite_to_svg({**spec, "width": width})}
    return {"vega": compiled, "svg": vl_convert.vega_to_svg(fixed)}


def fixed_width(compiled: dict, width: int) -> dict | None:
    """The compiled spec of a chart as wide as its container, made `width` wide: the spec
    Vega-Lite compiles for that width (its autosize and width signal out, the width in);
    None for a spec not compiled as expected."""
    signals = compiled.get("signals", [])
    sized = [s for s in signals if s.get("name") == "width"]
    if compiled.get("autosize") != CONTAINER or len(sized) != 1 or "width" in compiled:
        return None
    if not str(sized[0].get("init", "")).startswith("isFinite(containerSize()[0])"):
        return None
    fixed = {k: v for k, v in compiled.items() if k not in ("autosize", "signals")}
    rest = [s for s in signals if s.get("name") != "width"]
    return {**fixed, **({"signals": rest} if rest else {}), "width": width}


def serve() -> None:
    """The drawing process: one JSON request per line in, one JSON answer per line out.
    Python's own stdout goes to stderr first, so nothing a library prints can break an
    answer; Ctrl-C is the command's (this process ends when its input closes)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    try:
        _here("page", WARM, width=200)
    except ImportError:  # no vl-convert here: the command draws its charts itself
        sys.exit(1)
    for line in sys.stdin.buffer:
        ask = json.loads(line)
        try:
            done = _here(ask["kind"], ask["spec"], ask["scale"], ask["width"])
            if ask["kind"] == "png":
                done = base64.b64encode(done).decode()
            answer = {"id": ask["id"], "done": done}
        except Exception as exc:  # noqa: BLE001 - told to the command, which draws it again
            answer = {"id": ask["id"], "error": str(exc)}
        out.write(json.dumps(answer) + "\n")
        out.flush()


class _Drawer:
    """The drawing process, a thread that feeds it and one that reads its answers."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            # this file as a script; -P: not its folder's modules nor the current folder's
            [sys.executable, "-P", __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.waiting: dict[int, tuple[Future, Callable[[], Any]]] = {}
        self.lock = threading.Lock()
        self.open = True
        self.next_id = 0
        self.outbox: SimpleQueue[bytes | None] = SimpleQueue()
        # a request is written by a thread of its own: a full pipe never holds up the caller
        threading.Thread(target=self._send, daemon=True).start()
        threading.Thread(target=self._receive, daemon=True).start()

    def ask(self, kind: str, spec: dict, scale: float, width: int) -> Future:
        future: Future = Future()
        fallback = lambda: _here(kind, spec, scale, width)  # noqa: E731
        with self.lock:
            if not self.open:
                future.set_result(_Redo(fallback))
                return future
            self.next_id += 1
            self.waiting[self.next_id] = (future, fallback)
            ask = {"id": self.next_id, "kind": kind, "spec": spec, "scale": scale, "width": width}
        self.outbox.put(json.dumps(ask, separators=(",", ":")).encode() + b"\n")
        return future

    def _send(self) -> None:
        with contextlib.suppress(OSError, ValueError):  # it stopped: see _receive
            while (line := self.outbox.get()) is not None:
                self.proc.stdin.write(line)
                self.proc.stdin.flush()

    def _receive(self) -> None:
        try:
            for line in self.proc.stdout:
                answer = json.loads(line)
                with self.lock:
                    future, fallback = self.waiting.pop(answer["id"])
                if "done" in answer:
                    future.set_result(answer["done"])
                else:  # drawn again here, so that vl-convert's own error is raised here
                    future.set_result(_Redo(fallback))
        except Exception:  # noqa: BLE001 - an answer that is not one: the process is done with
            self.proc.kill()
        finally:  # the process ended: what it had not drawn is drawn here
            with self.lock:
                self.open = False
                left, self.waiting = list(self.waiting.values()), {}
            for future, fallback in left:
                future.set_result(_Redo(fallback))


class _Redo:
    """An answer the drawing process could not give: make the drawing in this process."""

    def __init__(self, fallback: Callable[[], Any]) -> None:
        self.fallback = fallback


_drawer: _Drawer | None = None


def start() -> None:
    """Start the drawing process (once per process); drawings are then made there. One:
    a second, measured, made reports slower on two cores, its engine's start taking the
    time this process needs to read the store and make the charts."""
    global _drawer
    if _drawer is None:
        with contextlib.suppress(OSError):  # none can start here: drawings are made here
            _drawer = _Drawer()


def ask(kind: str, spec: dict, scale: float = 2.0, width: int = 0) -> Callable[[], Any]:
    """Start a drawing (see `_here`); the function returned waits for it. Without `start()`
    the drawing is made when that function is called."""
    if _drawer is None:
        return lambda: _here(kind, spec, scale, width)
    future = _drawer.ask(kind, spec, scale, width)

    def wait() -> Any:
        done = future.result()
        if isinstance(done, _Redo):
            return done.fallback()
        return base64.b64decode(done) if kind == "png" else done

    return wait


def draw(kind: str, spec: dict, scale: float = 2.0, width: int = 0) -> Any:
    """A drawing, now."""
    return ask(kind, spec, scale, width)()


if __name__ == "__main__":
    serve()
