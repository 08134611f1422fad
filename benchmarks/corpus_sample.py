"""Size-bucket samples of a real-code corpus, shared by the cost-by-size benchmarks.

Both ``bench_python_realfiles.py`` and ``bench_treesitter_realfiles.py`` pick their files
here, so that a figure of one and a figure of the other over the same corpus and bucket are
about the same files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def pick_files(manifest: Path, low: int, high: int, n: int) -> list[dict[str, Any]]:
    """``n`` files with ``low <= lines < high``, evenly spaced over the manifest's order.

    The manifest lists files source by source, so even spacing spreads the pick over
    packages instead of taking the first package's files.
    """
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    bucket = [r for r in rows if low <= r["lines"] < high]
    if len(bucket) <= n:
        return bucket
    step = len(bucket) / n
    return [bucket[int(k * step)] for k in range(n)]
