"""Fixtures of the pipeline tests: a real test analyzer importable in worker processes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


@pytest.fixture(scope="session")
def mbpp_rows(shared_data: Path) -> list[dict]:
    """The 974 MBPP rows (fields text, code, ...); code uses CRLF line endings."""
    path = shared_data / "mbpp" / "mbpp.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
