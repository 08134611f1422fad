"""Statistics against values computed by hand (enumeration of bootstrap and sign patterns)."""

from __future__ import annotations

import pytest
from lintseq_experiment.stats import bootstrap_mean, paired_compare, per_task_pass_at_k, sign_flip_p


def test_sign_flip_exact_p_values_by_enumeration():
    # d = (1, 1, 1): of the 8 sign patterns only +++ and --- reach |sum| >= 3  ->  2/8
    assert sign_flip_p([1, 1, 1]) == (0.25, True)
    # five equal differences: 2/32
    assert sign_flip_p([0.5] * 5)[0] == pytest.approx(2 / 32)
    # d = (1, 2, -0.5), observed |sum| = 2.5; sums of the 8 patterns: +-3.5, +-2.5, +-1.5, +-0.5
    # -> 4 of 8 reach 2.5
    assert sign_flip_p([1, 2, -0.5])[0] == pytest.approx(0.5)
    # zero differences carry no sign information and are dropped: same as (1, 1, 1)
    assert sign_flip_p([1, 0, 1, 0, 1])[0] == pytest.approx(0.25)
    assert sign_flip_p([0, 0]) == (1.0, True)


def test_sign_flip_monte_carlo_is_seeded_and_close_to_exact():
    diffs = [1.0] * 12 + [-1.0] * 2 + [0.5] * 6  # 20 non-zero: beyond the exact limit
    p1, exact = sign_flip_p(diffs, exact_limit=16, resamples=20000, seed=3)
    p2, _ = sign_flip_p(diffs, exact_limit=16, resamples=20000, seed=3)
    p_exact, was_exact = sign_flip_p(diffs, exact_limit=20)
    assert not exact and was_exact and p1 == p2
    assert p1 == pytest.approx(p_exact, abs=0.01)


def test_bootstrap_two_tasks_matches_the_enumerated_distribution():
    # values (0, 1): a resample's mean is 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4.
    # The 30% and 70% quantiles are therefore both 0.5; the 1% and 99% quantiles 0 and 1.
    ci = bootstrap_mean([0.0, 1.0], resamples=20000, confidence=0.4, seed=0)
    assert (ci.mean, ci.low, ci.high, ci.tasks) == (0.5, 0.5, 0.5, 2)
    wide = bootstrap_mean([0.0, 1.0], resamples=20000, confidence=0.98, seed=0)
    assert (wide.low, wide.high) == (0.0, 1.0)


def test_bootstrap_is_fixed_by_its_seed():
    values = [0.0, 0.2, 0.9, 1.0, 0.4, 0.0, 0.7]
    a = bootstrap_mean(values, resamples=500, seed=7)
    assert a == bootstrap_mean(values, resamples=500, seed=7)
    assert a.mean == pytest.approx(sum(values) / 7)
    assert a.low < a.mean < a.high
    assert bootstrap_mean(values, resamples=500, seed=8) != a
    constant = bootstrap_mean([0.3] * 5, seed=1)
    assert (constant.low, constant.high) == pytest.approx((0.3, 0.3))


def test_per_task_pass_at_k_and_paired_differences():
    # n=4, c=2: pass@1 = 0.5, pass@2 = 1 - C(2,2)/C(4,2) = 5/6
    per_task = per_task_pass_at_k({"t0": {"n": 4, "passed": 2}, "t1": {"n": 4, "passed": 0}}, 2)
    assert per_task == pytest.approx({"t0": 5 / 6, "t1": 0.0})
    a = {"t0": 1.0, "t1": 0.5, "t2": 0.0, "t3": 1.0}
    b = {"t0": 0.0, "t1": 0.5, "t2": 0.0, "t9": 1.0}  # t3 / t9 are not shared: left out
    r = paired_compare(a, b, resamples=2000, seed=0)
    # shared tasks t0, t1, t2: differences (1, 0, 0); mean 1/3; one non-zero difference -> p = 2/2 = 1
    assert r.diff.mean == pytest.approx(1 / 3) and r.diff.tasks == 3
    assert (r.wins, r.losses, r.ties) == (1, 0, 2)
    assert r.p_value == 1.0 and r.exact
    # the resampled mean is k/3 for k = number of draws of t0; 0 and 1 are possible (P = 8/27 and 1/27)
    assert r.diff.low == 0.0 and r.diff.high in (pytest.approx(2 / 3), 1.0)
    with pytest.raises(ValueError, match="share no task"):
        paired_compare({"a": 1.0}, {"b": 1.0})
