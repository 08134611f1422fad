"""Fixtures of the Python plugin tests: the real host and MBPP programs from ../shared/data."""

from __future__ import annotations

import json
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
