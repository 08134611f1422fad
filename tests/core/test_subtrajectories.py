"""D3 sub-trajectories: byte-exact replay in every language, D3's start-index rule, seeding."""

from __future__ import annotations

import gzip
import json
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lintseq_core.edits import EditSequence, edit_path_from_states, resolve_edit_path, split_lines
from lintseq_core.errors import ConfigError, DiffError, ProgramRejected
from lintseq_core.host import get_host
from lintseq_core.partial_format import (
    DEFAULT_PARTIAL_TEMPLATE,
    check_partial_template,
    format_partial_text,
    partial_prompt,
    render_partial_instruction,
)
from lintseq_core.sampler import make_sampler, rng_for
from lintseq_core.subtrajectories import (
    replay,
    sample_pair,
    sample_subtrajectories,
    start_weights,
    subtrajectory,
    subtrajectory_rng,
    subtrajectory_rows,
)

# -- a hand-written chi-square test (scipy is not a dependency) ---------------------------


def _upper_gamma_q(a: float, x: float) -> float:
    """Regularised upper incomplete gamma Q(a, x) (series / continued fraction)."""
    if x <= 0:
        return 1.0
    lg = math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(10_000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return 1.0 - total * math.exp(-x + a * math.log(x) - lg)
    b = x + 1 - a
    c = 1 / 1e-300
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return math.exp(-x + a * math.log(x) - lg) * h


def chi_square_p(observed: Sequence[int], expected: Sequence[float]) -> float:
    """p-value of Pearson's chi-square statistic with len - 1 degrees of freedom."""
    stat = sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True))
    return _upper_gamma_q((len(observed) - 1) / 2, stat / 2)


def test_chi_square_helper_matches_known_quantiles() -> None:
    # chi2.sf(11.0705, 5) = 0.05 and chi2.sf(3.8415, 1) = 0.05 (statistics tables).
    assert chi_square_p([0, 0], [1, 1]) == pytest.approx(_upper_gamma_q(0.5, 1.0))
    assert _upper_gamma_q(2.5, 11.0705 / 2) == pytest.approx(0.05, abs=1e-4)
    assert _upper_gamma_q(0.5, 3.8415 / 2) == pytest.approx(0.05, abs=1e-4)
    for a, x in [(5, 20.0), (3, 1.5), (12, 30.0)]:  # integer a: Q = e^-x sum_{k<a} x^k / k!
        closed = math.exp(-x) * sum(x**k / math.factorial(k) for k in range(a))
        assert _upper_gamma_q(a, x) == pytest.approx(closed, rel=1e-9)


# -- D3's start rule ----------------------------------------------------------------------


def test_start_weights_follow_d3() -> None:
    assert start_weights(2) == [1]  # one edit: the only pair is (0, 1)
    assert start_weights(3) == [1, 1]
    assert start_weights(7) == [5, 1, 1, 1, 1, 1]
    assert start_weights(7, "uniform") == [1] * 6
    for n in range(3, 40):
        w = start_weights(n)
        assert w[0] / sum(w) == 0.5  # "about half start from the empty file": exactly half
    with pytest.raises(ValueError):
        start_weights(1)
    with pytest.raises(ConfigError, match="d3, uniform"):
        start_weights(4, "geometric")


def _expected_pairs(n: int, scheme: str) -> dict[tuple[int, int], float]:
    w = start_weights(n, scheme)
    total = sum(w)
    m = n - 1
    return {(s, e): w[s] / total / (m - s) for s in range(m) for e in range(s + 1, m + 1)}


def _draw(n: int, scheme: str, draws: int, seed: int = 0) -> Counter[tuple[int, int]]:
    return Counter(sample_pair(n, subtrajectory_rng(seed, i, 0, 0), scheme) for i in range(draws))


@pytest.mark.parametrize("n", [2, 3, 5, 9])
@pytest.mark.parametrize("scheme", ["d3", "uniform"])
def test_pair_distribution_matches_the_rule(n: int, scheme: str) -> None:
    """Chi-square over every (start, end) pair, with the real per-row seeding, fixed seed."""
    draws = 12_000
    got = _draw(n, scheme, draws)
    expected = _expected_pairs(n, scheme)
    assert set(got) <= set(expected)  # never start >= end, never past the last state
    if len(expected) == 1:
        assert got == Counter({(0, 1): draws})
        return
    pairs = sorted(expected)
    p = chi_square_p([got[k] for k in pairs], [expected[k] * draws for k in pairs])
    assert p > 1e-3, (p, got)
    starts = Counter(s for s, _ in got.elements())
    if scheme == "d3" and n >= 3:
        assert abs(starts[0] / draws - 0.5) < 0.02


def test_distribution_test_rejects_the_wrong_rule() -> None:
    """The same test has power: uniform starts are not D3 starts."""
    n, draws = 9, 12_000
    got = _draw(n, "uniform", draws)
    expected = _expected_pairs(n, "d3")
    pairs = sorted(expected)
    assert chi_square_p([got[k] for k in pairs], [expected[k] * draws for k in pairs]) < 1e-6


def test_seeding_depends_on_seed_row_sample_and_k_only() -> None:
    a = [sample_pair(20, subtrajectory_rng(1, 2, 3, k)) for k in range(8)]
    assert a == [sample_pair(20, subtrajectory_rng(1, 2, 3, k)) for k in range(8)]
    for other in ((2, 2, 3), (1, 3, 3), (1, 2, 4)):
        b = [sample_pair(20, subtrajectory_rng(*other, k)) for k in range(8)]
        assert a != b
    assert len(set(a)) > 1  # k changes the pair


# -- byte-exact replay --------------------------------------------------------------------


def _random_sequence(lines: list[str], rng: random.Random) -> EditSequence:
    order = list(range(len(lines)))
    rng.shuffle(order)
    cuts = sorted({*rng.sample(range(1, len(lines) + 1), rng.randint(1, len(lines))), len(lines)})
    return EditSequence(tuple(lines), ((), *(tuple(sorted(order[:c])) for c in cuts)))


line_text = st.text(alphabet=st.sampled_from(list("ab }{\t\r#@+-\\ ")), max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(line_text, min_size=1, max_size=15), st.integers(0, 2**32), st.sampled_from(["d3", "uniform"]))
def test_replay_is_byte_exact_on_any_lines(lines: list[str], seed: int, scheme: str) -> None:
    seq = _random_sequence(lines, random.Random(seed))
    # A state of exactly one empty line prints as "" like the empty file; the sampler never
    # emits one (its first forward edit always holds a code line), so leave those out here.
    if any(len(s) == 1 and lines[s[0]] == "" for s in seq.states):
        return
    path = seq.edit_path
    for sub in sample_subtrajectories(seq, 6, seed=seed, index=1, sample=0, scheme=scheme):
        assert replay(sub.start_state, sub.edit_path) == sub.end_state
        assert sub.start_state == resolve_edit_path(path[: sub.start])
        assert sub.end_state == resolve_edit_path(path[: sub.end])
        assert list(sub.edit_path) == path[sub.start: sub.end]
    assert subtrajectory(seq, 0, len(seq.states) - 1).end_state == "\n".join(lines)


def test_replay_fails_on_the_wrong_start() -> None:
    lines = ["a", "b", "c", "d"]
    seq = EditSequence(tuple(lines), ((), (1,), (1, 3), (0, 1, 2, 3)))
    sub = subtrajectory(seq, 1, 3)
    assert replay(sub.start_state, sub.edit_path) == "a\nb\nc\nd"
    with pytest.raises(DiffError):
        replay("", sub.edit_path)  # hunks of edit 2 point past the end of the empty file
    with pytest.raises(ValueError):
        subtrajectory(seq, 2, 2)


def _read_gz(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _humaneval_x_programs(shared_data: Path, lang: str) -> list[str]:
    rows = _read_gz(shared_data / "humaneval-x" / f"humaneval_{lang}.jsonl.gz")
    out = []
    for r in rows:
        head = r["prompt"] + (r["declaration"] if lang == "rust" else "")
        out.append(head + r["canonical_solution"])
    return out


_CASES = [  # (language, analyzer, corpus)
    ("python", "ast", "sample"),
    ("python", "treesitter", "humaneval-x-python"),
    ("go", "treesitter", "humaneval-x-go"),
    ("javascript", "treesitter", "humaneval-x-js"),
    ("java", "treesitter", "humaneval-x-java"),
    ("rust", "treesitter", "humaneval-x-rust"),
]


@pytest.fixture(scope="module")
def corpora(shared_data: Path) -> Callable[[str, str, str], list[str]]:
    """Programs of a corpus that the analyzer accepts (fences removed, rejects left out)."""
    cache: dict[tuple[str, str, str], list[str]] = {}
    host = get_host()

    def get(language: str, analyzer: str, name: str) -> list[str]:
        key = (language, analyzer, name)
        if key not in cache:
            if name == "sample":
                from lintseq_core.pipeline.readers import bundled_sample

                with open(bundled_sample(), encoding="utf-8") as fh:
                    raw = [json.loads(line)["code"] for line in fh if line.strip()]
                raw = [host.extract_code(language, r) for r in raw]
            else:
                raw = _humaneval_x_programs(shared_data, name.removeprefix("humaneval-x-"))
            sampler = make_sampler(host, language, analyzer)
            cache[key] = []
            for program in raw:
                try:
                    sampler.prepare(program)
                except ProgramRejected:
                    continue
                cache[key].append(program)
            assert len(cache[key]) >= 3, f"too few usable {language} programs in {name}"
        return cache[key]

    return get


@pytest.mark.parametrize(("language", "analyzer", "corpus"), _CASES)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_replay_is_byte_exact_on_real_sequences(
    language: str, analyzer: str, corpus: str, corpora: Callable[[str, str, str], list[str]],
    data: st.DataObject,
) -> None:
    programs = corpora(language, analyzer, corpus)
    program = data.draw(st.sampled_from(programs), label="program")
    seed = data.draw(st.integers(0, 2**31), label="seed")
    scheme = data.draw(st.sampled_from(["d3", "uniform"]), label="scheme")
    sampler = make_sampler(get_host(), language, analyzer)
    seq, _ = sampler.sample(sampler.prepare(program), rng_for(seed, 0, 0))
    record = {"index": 7, "sample": 0, "edit_path": seq.edit_path, "program": program}
    rows = subtrajectory_rows(record, seq, 4, seed=seed, index=7, sample=0, scheme=scheme)
    assert [r["subtrajectory"] for r in rows] == [0, 1, 2, 3]
    for row in rows:
        assert 0 <= row["start_index"] < row["end_index"] <= row["num_states"] - 1
        assert replay(row["start_state"], row["edit_path"]) == row["end_state"]
        assert len(row["edit_path"]) == row["end_index"] - row["start_index"]
        assert (row["start_state"] == "") == (row["start_index"] == 0)
        if row["end_index"] == row["num_states"] - 1:
            assert row["end_state"] == program
        assert row["program"] == program and row["index"] == 7


def test_rows_keep_the_record_and_order_fields() -> None:
    lines = ["x = 1", "y = x", ""]
    seq = EditSequence(tuple(lines), ((), (0, 2), (0, 1, 2)))
    record = {"index": 0, "sample": 1, "edit_path": seq.edit_path, "instruction": "do", "seed": 3}
    rows = subtrajectory_rows(record, seq, 3, seed=3, index=0, sample=1)
    assert list(rows[0]) == ["index", "sample", "subtrajectory", "start_index", "end_index",
                             "num_states", "start_state", "edit_path", "end_state", "instruction", "seed"]
    assert rows == subtrajectory_rows(record, seq, 3, seed=3, index=0, sample=1)
    assert all(r["seed"] == 3 and r["instruction"] == "do" for r in rows)


# -- the partial-program text format ------------------------------------------------------


def test_partial_template_renders_and_validates() -> None:
    assert render_partial_instruction("Add f.", "") == "Add f."
    assert render_partial_instruction("Add f.", "x = {1}") == "Add f.\n[start of file]\nx = {1}\n[end of file]"
    assert check_partial_template(DEFAULT_PARTIAL_TEMPLATE) == DEFAULT_PARTIAL_TEMPLATE
    assert check_partial_template("<f>{state}</f> {{literal}} {instruction}")
    for bad, match in [("{instruction}", "must contain {state}"), ("{state} {task}", "uses {task}"),
                       ("{instruction} {state!r}", "without format specs"), ("{instruction {state}", "malformed")]:
        with pytest.raises(ConfigError, match=match):
            check_partial_template(bad)


def test_partial_texts_start_with_their_prompts() -> None:
    path = ["@@ -1,0 +2 @@\n+    return 1"]
    text = format_partial_text("Finish f.", "def f():", "editseq", edit_path=path)
    prompt = partial_prompt("Finish f.", "def f():", "editseq")
    assert text.startswith(prompt) and prompt.endswith("[end of file]\n\n<|diff|>")
    assert text[len(prompt):] == path[0] + "\n<|diff|>\n<|diff|>"
    base = format_partial_text("Finish f.", "def f():", "baseline", end_state="def f():\n    return 1")
    assert base == partial_prompt("Finish f.", "def f():", "baseline") + "def f():\n    return 1"
    with pytest.raises(ConfigError):
        partial_prompt("x", "y", "diff")
    assert split_lines(resolve_edit_path(path, start="def f():")) == ["def f():", "    return 1"]
    assert edit_path_from_states(["def f():", "    return 1"], [(0,), (0, 1)]) == path
