"""``lintseq-core convert --verify`` end to end: every emitted state is accepted by the compiler."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lintseq_core.edits import resolve_edit_path
from lintseq_core.host import get_host

PROGRAMS = Path(__file__).parent / "programs"
PYTHON = [
    "import math\n\n\ndef area(r):\n    total = 0\n    for k in range(3):\n        total += k\n"
    "    return math.pi * r * r + total\n\n\nclass Box:\n    def __init__(self, w):\n"
    "        self.w = w\n\n    def grow(self, k):\n        self.w += k\n        return self.w\n",
    "def pairs(xs):\n    out = []\n    for i, x in enumerate(xs):\n        for y in xs[i + 1:]:\n"
    "            if x < y:\n                out.append((x, y))\n    return out\n\n\n"
    "print(pairs([3, 1, 2]))\n",
]
CASES = {
    "go": ("go", [(PROGRAMS / "stack.go").read_text(encoding="utf-8")]),
    "java": ("javac", [(PROGRAMS / name).read_text(encoding="utf-8") for name in ("Inventory.java", "Shapes.java")]),
    "python": ("pylint", PYTHON),
}


def intermediate_states(path: list[str]) -> list[str]:
    return [resolve_edit_path(path[:k]) for k in range(1, len(path))]


@pytest.mark.slow
@pytest.mark.parametrize("language", list(CASES))
def test_every_state_of_a_verified_conversion_compiles(language: str, tmp_path: Path) -> None:
    verifier, programs = CASES[language]
    host = get_host()
    info = host.analyzers(language)[verifier]
    if info.available is not None and info.available():
        pytest.skip(info.available())
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps({"code": p}) + "\n" for p in programs), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "lintseq_core.cli", "convert", "--verify", "--lang", language,
           "-i", str(data), "-o", str(out), "--no-instruction", "--samples-per-program", "2", "-q"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2 * len(programs)
    states = 0
    for row in rows:
        assert row["verified"] is True and row["verifier"] == verifier
        assert row["verify_calls"] >= row["num_edits"] - 1 and row["repairs"] <= row["num_edits"]
        assert resolve_edit_path(row["edit_path"]) == row["program"]
        assert host.analyze(language, verifier, row["program"]) == []  # the originals compile
        for state in intermediate_states(row["edit_path"]):
            assert host.analyze(language, verifier, state) == [], state
            states += 1
    assert states >= len(rows)
    manifest = json.loads(out.with_name("out.manifest.json").read_text(encoding="utf-8"))
    assert manifest["resolved"]["verifier"] == verifier
    assert manifest["counts"]["verify"]["verified_sequences"] == len(rows)
    assert manifest["counts"]["verify"]["repairs"] == sum(r["repairs"] for r in rows)


def test_verify_with_a_missing_compiler_is_one_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"code": "package main\n"}) + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "lintseq_core.cli", "convert", "--verify", "--lang", "go",
           "-i", str(data), "-o", str(tmp_path / "out.jsonl"), "--no-instruction", "-q"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False,
                         env={"PATH": "/nonexistent", "HOME": str(tmp_path)})
    assert res.returncode == 2
    assert "'go' was not found on PATH; install it" in res.stderr
    assert res.stderr.count("error:") == 1
    assert not (tmp_path / "out.jsonl").exists()
