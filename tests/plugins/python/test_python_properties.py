"""Properties over MBPP programs and perturbations of them (hypothesis).

* every sequence rebuilds its program byte for byte and is made of insertions only;
* with ``pylint`` every intermediate state has no error the original did not have;
* with the fast ``ast`` analyzer, at least 99.5% of the intermediate states are clean under
  the reference rules (pylint), beyond the original's errors.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintseq_core.edits import parse_diff, resolve_edit_path
from lintseq_core.errors import ProgramRejected
from lintseq_core.sampler import make_sampler, sample_many

_LEADING = re.compile(r"^((?:    )+)", re.MULTILINE)


def _reindent(code: str, unit: str) -> str:
    """Replace each leading four-space level by ``unit`` (tabs, two spaces...)."""
    return _LEADING.sub(lambda m: unit * (len(m.group(1)) // 4), code)


@st.composite
def perturbed_programs(draw, programs: list[str]) -> str:
    code = draw(st.sampled_from(programs))
    if draw(st.booleans()):
        code = code.replace("\r\n", "\n")
    unit = draw(st.sampled_from(["    ", "\t", "  "]))
    if unit != "    ":
        code = _reindent(code.replace("\r\n", "\n"), unit)
    lines = code.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines)))
        indent = draw(st.sampled_from(["", "    ", "\t"]))
        lines.insert(at, draw(st.sampled_from(["", indent + "# note", "   "])))
    code = "\n".join(lines)
    if draw(st.booleans()):
        code = code.rstrip("\n") + "\n"
    return code


def new_errors(host, seq, baseline: set[tuple[str, int]], owner: tuple[int, ...]) -> list[str]:
    """pylint errors of each intermediate state that the original does not have."""
    out = []
    for k in range(1, len(seq.states) - 1):
        kept = seq.states[k]
        for d in host.analyze("python", "pylint", seq.state_text(k)):
            key = (d.code, owner[kept[d.line - 1]] if 1 <= d.line <= len(kept) else -1)
            if key not in baseline:
                out.append(f"state {k}: line {d.line} {d.code} {d.message}")
    return out


def _baseline(host, code: str, owner: tuple[int, ...]) -> set[tuple[str, int]]:
    lines = code.split("\n")
    return {
        (d.code, owner[d.line - 1] if 1 <= d.line <= len(lines) else -1)
        for d in host.analyze("python", "pylint", code)
    }


@pytest.fixture(scope="module")
def programs(mbpp_programs: list[str]) -> list[str]:
    return mbpp_programs[:300]


def test_round_trip_and_insertions_only(host, programs) -> None:
    sampler = make_sampler(host, "python", "ast")

    converted: list[int] = []

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(code=perturbed_programs(programs), seed=st.integers(0, 2**16))
    def check(code: str, seed: int) -> None:
        try:
            sequences = sample_many(sampler, code, seed=seed, index=0, samples=2)
        except ProgramRejected as exc:
            assert exc.reason == "syntax_error"  # only a re-indentation that broke the code
            return
        converted.append(1)
        for seq, _ in sequences:
            diffs = seq.edit_path
            assert resolve_edit_path(diffs) == code
            for diff in diffs:
                assert all(h.old_len == 0 and not h.removed for h in parse_diff(diff))

    check()
    assert len(converted) >= 50, f"only {len(converted)} of the examples converted: the property was barely tested"


@pytest.mark.slow
def test_pylint_sequences_have_no_new_errors(host, programs) -> None:
    sampler = make_sampler(host, "python", "pylint")

    converted: list[int] = []

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(code=perturbed_programs(programs[:100]), seed=st.integers(0, 2**16))
    def check(code: str, seed: int) -> None:
        try:
            prepared = sampler.prepare(code)
        except ProgramRejected as exc:
            assert exc.reason == "syntax_error"  # only a re-indentation that broke the code
            return
        converted.append(1)
        owner = prepared.structure.owner
        baseline = _baseline(host, code, owner)
        for seq, _ in sample_many(sampler, code, seed=seed, index=0):
            assert resolve_edit_path(seq.edit_path) == code
            assert new_errors(host, seq, baseline, owner) == []

    check()
    assert len(converted) >= 5, f"only {len(converted)} of the examples converted: the property was barely tested"


@pytest.mark.slow
def test_fast_analyzer_fidelity_on_mbpp(host, programs) -> None:
    """>= 99.5% of the ``ast`` analyzer's intermediate states are clean under pylint."""
    sampler = make_sampler(host, "python", "ast")
    states = bad = 0
    failures = []
    for index, code in enumerate(programs[:60]):
        code = code.replace("\r\n", "\n")  # CRLF states are checked by the property tests
        try:
            prepared = sampler.prepare(code)
        except ProgramRejected:
            continue
        owner = prepared.structure.owner
        baseline = _baseline(host, code, owner)
        for seq, _ in sample_many(sampler, code, seed=7, index=index):
            states += len(seq.states) - 2
            errors = new_errors(host, seq, baseline, owner)
            bad += len({e.split(":")[0] for e in errors})
            failures.extend(errors)
    assert states >= 60
    assert 1 - bad / states >= 0.995, failures
