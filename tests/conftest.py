"""Shared fixtures: where the benchmark data lives, and quiet, deterministic defaults.

Benchmark data comes from the folder named by ``LINTSEQ_DATA_DIR`` (``.ci/run`` points it at
``../shared/data``, the whole benchmarks). Without it the tests read ``tests/fixtures/data``:
the same layout with a few rows of each benchmark, so a bare clone runs them too; tests that
need a whole benchmark ask for ``whole_data`` and skip with a reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_ENV = "LINTSEQ_DATA_DIR"
FIXTURE_DATA = REPO_ROOT / "tests" / "fixtures" / "data"
WHOLE_DATA = Path(os.environ[DATA_ENV]).resolve() if os.environ.get(DATA_ENV) else None

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Benchmark data: the whole benchmarks when ``LINTSEQ_DATA_DIR`` is set, else a few rows."""
    if WHOLE_DATA is None:
        return FIXTURE_DATA
    if not WHOLE_DATA.is_dir():
        pytest.fail(f"{DATA_ENV}={WHOLE_DATA} is not a folder: point it at the benchmark data (../shared/data)")
    return WHOLE_DATA


@pytest.fixture(scope="session")
def whole_data(shared_data: Path) -> Path:
    """The whole benchmarks; tests that count every task skip without them."""
    if WHOLE_DATA is None:
        pytest.skip(f"needs the whole benchmarks: set {DATA_ENV} (e.g. to ../shared/data)")
    return shared_data


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT
