"""The unbiased pass@k estimator of Chen et al. 2021 (Codex paper, eq. 1).

pass@k = E_tasks[1 - C(n - c, k) / C(n, k)], with n samples per task of which c pass.
Computed as a running product so large n does not overflow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lintseq_core.errors import ConfigError

__all__ = ["estimate_pass_at_k", "pass_at_k", "pass_at_k_table"]


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased estimate of pass@k for one task with ``n`` samples, ``c`` correct."""
    if not 0 <= c <= n:
        raise ConfigError(f"need 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise ConfigError(f"pass@{k} needs at least {k} samples per task, got n={n}")
    if n - c < k:
        return 1.0
    prod = 1.0
    for i in range(n - c + 1, n + 1):
        prod *= 1.0 - k / i
    return 1.0 - prod


def estimate_pass_at_k(counts: Iterable[tuple[int, int]], k: int) -> float:
    """Mean of :func:`pass_at_k` over tasks given as ``(n, c)`` pairs."""
    values = [pass_at_k(n, c, k) for n, c in counts]
    if not values:
        raise ConfigError("no tasks to score")
    return sum(values) / len(values)


def pass_at_k_table(counts: Mapping[str, tuple[int, int]], ks: Iterable[int]) -> dict[int, float]:
    """pass@k for every k that every task has enough samples for (others are skipped)."""
    n_min = min(n for n, _ in counts.values())
    return {k: estimate_pass_at_k(counts.values(), k) for k in sorted(set(ks)) if 1 <= k <= n_min}
