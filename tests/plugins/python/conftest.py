"""Fixtures of the Python plugin tests: the real host and MBPP programs from ../shared/data."""

from __future__ import annotations

import json
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest

from lintseq_core.host import PluginHost


@pytest.fixture(scope="session")
def host() -> PluginHost:
    """The host built from the installed entry points, as the CLI builds it."""
    return PluginHost.from_entry_points()


@pytest.fixture(scope="session")
def mbpp_programs(shared_data: Path) -> list[str]:
    """MBPP's reference solutions (``code`` field), as stored: CRLF line endings."""
    path = shared_data / "mbpp" / "mbpp.jsonl"
    with path.open(encoding="utf-8") as f:
        return [json.loads(line)["code"] for line in f]


@pytest.fixture(scope="session")
def stdlib_source() -> Callable[[str], str]:
    """Reads a file of the running interpreter's standard library (skips when it has none)."""

    def read(name: str) -> str:
        path = Path(sysconfig.get_paths()["stdlib"]) / name
        if not path.is_file():
            pytest.skip(f"{path} is not in this Python's standard library")
        return path.read_text(encoding="utf-8")

    return read
