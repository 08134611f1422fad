"""pass@k against values computed by hand from the definition 1 - C(n-c, k) / C(n, k)."""

from __future__ import annotations

import math

import pytest
from lintseq_eval.passk import estimate_pass_at_k, pass_at_k, pass_at_k_table

from lintseq_core.errors import ConfigError


@pytest.mark.parametrize(
    ("n", "c", "k", "expected"),
    [
        (10, 0, 1, 0.0),
        (10, 10, 1, 1.0),
        (10, 3, 1, 0.3),  # pass@1 is the fraction correct
        (5, 2, 2, 1 - 3 / 10),  # C(3,2)=3, C(5,2)=10
        (10, 1, 5, 0.5),  # 1 - C(9,5)/C(10,5) = 1 - 126/252
        (10, 2, 5, 1 - 56 / 252),  # C(8,5)=56
        (4, 3, 2, 1.0),  # n - c < k: every k-subset holds a correct sample
        (200, 13, 100, 1 - math.comb(187, 100) / math.comb(200, 100)),
    ],
)
def test_pass_at_k_matches_hand_values(n: int, c: int, k: int, expected: float) -> None:
    assert pass_at_k(n, c, k) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_mean_over_tasks_and_table() -> None:
    counts = {"a": (4, 0), "b": (4, 1), "c": (4, 4)}
    assert estimate_pass_at_k(counts.values(), 1) == pytest.approx((0 + 0.25 + 1) / 3)
    table = pass_at_k_table(counts, [1, 2, 4, 8])
    assert set(table) == {1, 2, 4}  # k=8 needs 8 samples per task
    assert table[2] == pytest.approx((0 + 0.5 + 1) / 3)  # 1 - C(3,2)/C(4,2) = 1/2
    assert table[4] == pytest.approx(2 / 3)


@pytest.mark.parametrize(("n", "c", "k"), [(3, 4, 1), (3, 1, 4), (3, 1, 0), (3, -1, 1)])
def test_invalid_counts_raise(n: int, c: int, k: int) -> None:
    with pytest.raises(ConfigError):
        pass_at_k(n, c, k)
