"""Statistics for comparing arms: bootstrap intervals over tasks and a paired sign-flip test.

Tasks are the unit of resampling (a benchmark is a sample of tasks; the samples of one task
are not independent draws of the benchmark). Per-task pass@k uses the unbiased estimator of
:mod:`lintseq_eval.passk`. Two arms are compared on the tasks both were scored on, by the
per-task differences: their mean, a bootstrap interval of the mean, and the two-sided
paired sign-flip (permutation) test of "no difference", exact by enumeration up to
``exact_limit`` non-zero differences and Monte Carlo (seeded, with the +1 correction) beyond.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Interval", "PairedResult", "bootstrap_mean", "paired_compare", "per_task_pass_at_k", "sign_flip_p"]


@dataclass(frozen=True)
class Interval:
    """A mean with a percentile-bootstrap interval over tasks."""

    mean: float
    low: float
    high: float
    tasks: int


@dataclass(frozen=True)
class PairedResult:
    """Per-task difference a - b: its mean and interval, the test's p-value, and the tally."""

    diff: Interval
    p_value: float
    exact: bool
    wins: int
    losses: int
    ties: int


def per_task_pass_at_k(per_task: Mapping[str, Mapping[str, int]], k: int) -> dict[str, float]:
    """pass@k of every task from ``{task: {"n": n, "passed": c}}`` (lintseq-eval's summary.json)."""
    from lintseq_eval.passk import pass_at_k

    return {task: pass_at_k(int(v["n"]), int(v["passed"]), k) for task, v in per_task.items()}


def bootstrap_mean(values: Sequence[float], *, resamples: int = 1000, confidence: float = 0.95,
                   seed: int = 0) -> Interval:
    """Mean of ``values`` and the percentile interval of the means of ``resamples`` resamples.

    Resamples draw len(values) indices with replacement from ``numpy.random.default_rng(seed)``;
    the interval is the (1-confidence)/2 and (1+confidence)/2 quantiles (linear interpolation).
    """
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        raise ValueError("bootstrap_mean needs at least one value")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, x.size, size=(resamples, x.size))].mean(axis=1)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return Interval(float(x.mean()), float(low), float(high), int(x.size))


def sign_flip_p(diffs: Sequence[float], *, exact_limit: int = 16, resamples: int = 100_000,
                seed: int = 0) -> tuple[float, bool]:
    """Two-sided p-value of the paired sign-flip test for mean(diffs) = 0; and whether it is exact.

    Under the null each difference is as likely to have either sign: p is the share of the 2^m
    sign patterns (m = non-zero differences) whose |sum| is at least the observed |sum|.
    """
    d = np.asarray([v for v in diffs if v != 0], dtype=float)
    if d.size == 0:
        return 1.0, True
    observed = abs(d.sum()) - 1e-12 * max(1.0, abs(d).sum())
    if d.size <= exact_limit:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=d.size)))
        sums = np.abs(signs @ d)
        return float((sums >= observed).mean()), True
    rng = np.random.default_rng(seed)
    signs = rng.choice((1.0, -1.0), size=(resamples, d.size))
    hits = int((np.abs(signs @ d) >= observed).sum())
    return (hits + 1) / (resamples + 1), False


def paired_compare(a: Mapping[str, float], b: Mapping[str, float], *, resamples: int = 1000,
                   confidence: float = 0.95, seed: int = 0) -> PairedResult:
    """Compare two arms on the tasks both have: differences a - b, interval, test, tally."""
    tasks = sorted(set(a) & set(b))
    if not tasks:
        raise ValueError("the two arms share no task")
    diffs = [a[t] - b[t] for t in tasks]
    interval = bootstrap_mean(diffs, resamples=resamples, confidence=confidence, seed=seed)
    p, exact = sign_flip_p(diffs, seed=seed)
    return PairedResult(interval, p, exact, sum(d > 0 for d in diffs), sum(d < 0 for d in diffs),
                        sum(d == 0 for d in diffs))
