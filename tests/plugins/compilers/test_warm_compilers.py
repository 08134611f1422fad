"""Warm compiler servers: same diagnostics as one process per call, and a sound lifecycle.

The agreement tests check states of real programs (whole, with lines deleted at random,
with a garbage line) on both paths. The lifecycle tests drive ``fake_server.py``, a stand-in
speaking the same protocol, so they need no compiler.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import pytest
from lintseq_compilers import warm
from lintseq_compilers.base import Toolchain
from lintseq_compilers.plugin import toolchain
from lintseq_compilers.warm import (
    Launch,
    ServerTimeout,
    ServerUnavailable,
    WarmServer,
    cold_forced,
    diagnostics_from,
)

HERE = Path(__file__).parent
PROGRAMS = HERE / "programs"
TREESITTER_TS = HERE.parent / "treesitter" / "programs" / "typescript"

# (language, analyzer) -> programs whose states are compared, and a line no program accepts
CASES = {
    ("java", "javac"): ([PROGRAMS / "Inventory.java", PROGRAMS / "Shapes.java"], "int x = ;"),
    ("javascript", "node"): ([PROGRAMS / "inventory.js", PROGRAMS / "cache.mjs"], "let = 3 +"),
    ("typescript", "tsc"): ([PROGRAMS / "ledger.ts", TREESITTER_TS / "generics.ts"], "let q: number = 'x' +"),
}


def states_of(path: Path, garbage: str, n: int = 9) -> list[str]:
    """The program, ``n`` copies with 1-4 random lines deleted, and one with a garbage line."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    rng = random.Random(path.name)
    out = [text]
    for _ in range(n):
        gone = set(rng.sample(range(len(lines)), rng.randint(1, 4)))
        out.append("\n".join(line for k, line in enumerate(lines) if k not in gone))
    k = rng.randrange(1, len(lines))
    out.append("\n".join([*lines[:k], garbage, *lines[k:]]))
    return out


def tool_or_skip(language: str, analyzer: str) -> Toolchain:
    tool = toolchain(language, analyzer)
    assert tool is not None and tool.warm is not None
    if tool.available():
        pytest.skip(tool.available())
    return tool


@pytest.mark.slow
@pytest.mark.parametrize("key", list(CASES), ids=lambda k: k[1])
def test_warm_and_cold_give_the_same_diagnostics(key, monkeypatch) -> None:
    monkeypatch.delenv(warm.COLD_ENV, raising=False)
    tool = tool_or_skip(*key)
    paths, garbage = CASES[key]
    states = [s for p in paths for s in states_of(p, garbage)]
    assert len(states) >= 20
    broken = 0
    for text in states:
        cold = tool.analyze_cold(text)
        assert tool.analyze(text) == cold, text
        broken += bool(cold)
    server = tool.warm.server  # type: ignore[union-attr]
    # The warm path really answered: a server is up, none had to be restarted.
    assert server.unavailable is None and server._proc is not None and server._proc.poll() is None
    assert server.starts == 1
    # The states are a mix of accepted and broken ones.
    assert 3 <= broken <= len(states) - 3


@pytest.mark.slow
def test_javac_server_is_compiled_once_into_the_cache(tmp_path, monkeypatch) -> None:
    from lintseq_compilers.javac import JavacServer

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tool = tool_or_skip("java", "javac")
    backend = JavacServer()
    try:
        assert backend.analyze(tool, "class A { int f() { return q; } }\n")[0].line == 1  # type: ignore[index]
        built = list((tmp_path / "lintseq" / "javac-server").glob("*/lintseq/JavacServer.class"))
        assert len(built) == 1
        stamp = built[0].stat().st_mtime_ns
        backend.server.stop()
        assert backend.analyze(tool, "class A {}\n") == []
        assert built[0].stat().st_mtime_ns == stamp and backend.server.starts == 2
    finally:
        backend.server.stop()


def test_cold_switch_forces_one_process_per_call(monkeypatch) -> None:
    tool = tool_or_skip("javascript", "node")
    calls: list[str] = []

    class Spy:
        def analyze(self, tool: Toolchain, source: str):
            calls.append(source)
            return []

    spied = Toolchain(**{**tool.__dict__, "warm": Spy()})
    monkeypatch.setenv(warm.COLD_ENV, "javac,node")
    assert spied.analyze("let = ;\n") != []  # the real node --check, not the spy
    monkeypatch.setenv(warm.COLD_ENV, "javac")
    assert spied.analyze("let = ;\n") == [] and calls == ["let = ;\n"]
    assert cold_forced("tsc") is False
    monkeypatch.setenv(warm.COLD_ENV, "1")
    assert cold_forced("tsc") is True


# ---- lifecycle, with a fake server ------------------------------------------------------
def fake(mode: str) -> WarmServer:
    script = HERE / "fake_server.py"
    return WarmServer(f"fake-{mode}", lambda: Launch([sys.executable, str(script), mode], dict(os.environ), str(HERE)))


def test_requests_are_answered_and_a_dead_server_is_restarted() -> None:
    server = fake("die")
    try:
        assert server.request([b"a", b"b"], 10) == [b"0", b"A B", b""]
        assert server.version == "fake 1.0"
        first = server._proc
        first.kill()  # type: ignore[union-attr]
        first.wait()  # type: ignore[union-attr]
        assert server.request([b"again"], 10) == [b"0", b"AGAIN", b""]
        assert server.starts == 2
        # A server that dies on the request itself is restarted once, then reported.
        with pytest.raises(warm.ServerError, match="failed twice"):
            server.request([b"die"], 10)
        assert server.request([b"ok"], 10) == [b"0", b"OK", b""]
    finally:
        server.stop()


def test_a_server_that_keeps_dying_is_given_up() -> None:
    server = fake("die")
    for _ in range(warm.MAX_FAILURES):
        assert server.unavailable is None
        with pytest.raises(warm.ServerError, match="failed twice"):
            server.request([b"die"], 10)
    assert server.unavailable is not None and "in a row" in server.unavailable
    with pytest.raises(ServerUnavailable):
        server.request([b"fine"], 10)
    assert server.starts == 2 * warm.MAX_FAILURES


def test_a_request_past_its_time_limit_kills_the_server() -> None:
    server = fake("sleep")
    try:
        server.request([b"warm up"], 10)
        pid = server._proc.pid  # type: ignore[union-attr]
        start = time.monotonic()
        with pytest.raises(ServerTimeout):
            server.request([b"sleep"], 0.5)
        assert time.monotonic() - start < 5
        assert server._proc is None
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        assert server.request([b"next"], 10) == [b"0", b"NEXT", b""]
    finally:
        server.stop()


def test_an_unsupported_server_falls_back_for_good() -> None:
    server = fake("unsupported")
    with pytest.raises(ServerUnavailable, match="no compiler in this test"):
        server.request([b"x"], 10)
    assert server.unavailable is not None and server._proc is None
    with pytest.raises(ServerUnavailable):
        server.request([b"x"], 10)
    assert server.starts == 1  # not started again
    node = toolchain("javascript", "node")
    assert diagnostics_from(node, server, [b"x"], "prog.js") is None  # type: ignore[arg-type]


def test_shutdown_stops_every_server() -> None:
    servers = [fake("echo"), fake("echo")]
    for s in servers:
        s.request([b"x"], 10)
    procs = [s._proc for s in servers]
    warm.shutdown_all()
    for proc in procs:
        assert proc.poll() is not None  # type: ignore[union-attr]
    assert all(s._proc is None for s in servers)
