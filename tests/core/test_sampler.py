"""The language-agnostic samplers, driven through a hand-built plugin manager."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

from lintseq_core.edits import parse_diff, resolve_edit_path
from lintseq_core.errors import ConfigError, ProgramRejected
from lintseq_core.hookspecs import hookimpl
from lintseq_core.host import PluginHost, make_plugin_manager
from lintseq_core.sampler import make_sampler, rng_for, sample_many, state_texts
from lintseq_core.types import AnalyzerInfo, Diagnostic, Language

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import lintseq_toml_plugin

PROGRAM = textwrap.dedent(
    """\
    # a config
    title = "demo"
    version = 3

    [server]
    host = "localhost"
    ports = [
      8000,
      8001,
    ]
    # trailing comment

    [client]
    retries = 2
    """
)


class Adversary:
    """An analyzer whose diagnostics point nowhere or at lines already gone."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.calls = 0

    @hookimpl
    def lintseq_languages(self) -> list[Language]:
        return [Language("adv", default_analyzer="adv")]

    @hookimpl
    def lintseq_analyzers(self) -> list[AnalyzerInfo]:
        return [AnalyzerInfo("adv", "adv")]

    @hookimpl
    def lintseq_analyze(self, language: str, analyzer: str, source: str) -> list[Diagnostic] | None:
        if language != "adv":
            return None
        self.calls += 1
        n = source.count("\n") + 1
        if self.mode == "nowhere":
            return [Diagnostic(0, "X"), Diagnostic(n + 3, "Y")]
        if self.mode == "original":  # an error the original has on line "c", wherever it is
            lines = source.split("\n")
            return [Diagnostic(lines.index("c") + 1, "ORIG")] if "c" in lines else []
        if self.mode == "syntax":
            return [Diagnostic(1, "E0001", "bad", syntax=True)]
        return []

    @hookimpl
    def lintseq_structure(self, language: str, lines: Sequence[str]) -> None:
        return None  # flat structure from the host


def toml_host() -> PluginHost:
    return PluginHost(make_plugin_manager(extra=[lintseq_toml_plugin]))


def test_every_state_is_clean_and_round_trip_exact() -> None:
    host = toml_host()
    sampler = make_sampler(host, "toml")
    for index in range(30):
        for seq, stats in sample_many(sampler, PROGRAM, seed=1, index=index, samples=2):
            assert resolve_edit_path(seq.edit_path) == PROGRAM
            assert stats.lint_calls >= len(seq.states) - 2
            for state in state_texts(seq):
                assert host.analyze("toml", "tomllib", state) == []
            for diff in seq.edit_path:
                assert all(h.old_len == 0 for h in parse_diff(diff))


def test_blocks_and_continuations_go_together() -> None:
    host = toml_host()
    seq, _ = sample_many(make_sampler(host, "toml"), PROGRAM, seed=0, index=0)[0]
    lines = PROGRAM.split("\n")
    ports = lines.index("ports = [")
    for state in seq.states:
        present = set(state)
        # the array's lines appear together, and never without their table header
        assert {ports, ports + 1, ports + 2, ports + 3} <= present or not present & {ports + 1, ports + 2, ports + 3}
        if ports in present:
            assert lines.index("[server]") in present


def test_comments_and_blank_lines_come_first_forward() -> None:
    host = toml_host()
    seq, _ = sample_many(make_sampler(host, "toml"), PROGRAM, seed=3, index=0)[0]
    first = seq.state_text(1)
    # the top-level comment arrives first, alone; the one inside [server] comes with its table
    assert [line for line in first.split("\n") if line.strip()] == ["# a config"]
    assert all("# trailing comment" not in seq.state_text(k) or "[server]" in seq.state_text(k) for k in range(1, len(seq.states)))


def test_same_seed_same_output_other_rows_differ() -> None:
    host = toml_host()
    sampler = make_sampler(host, "toml")
    a = [s.edit_path for s, _ in sample_many(sampler, PROGRAM, seed=7, index=4, samples=3)]
    b = [s.edit_path for s, _ in sample_many(sampler, PROGRAM, seed=7, index=4, samples=3)]
    assert a == b
    others = {tuple(s.edit_path) for i in range(10) for s, _ in sample_many(sampler, PROGRAM, seed=7, index=i)}
    assert len(others) > 3
    assert rng_for(1, 2, 3).random() == rng_for(1, 2, 3).random() != rng_for(1, 2, 4).random()


def test_diagnostics_that_map_nowhere_terminate() -> None:
    adv = Adversary("nowhere")
    host = PluginHost(make_plugin_manager(extra=[adv]))
    prog = "a\nb\nc\nd"
    seq, stats = sample_many(make_sampler(host, "adv", reference_rules=True), prog, seed=0, index=0)[0]
    assert resolve_edit_path(seq.edit_path) == prog
    assert stats.unresolved > 0
    assert adv.calls < 20


def test_errors_of_the_original_do_not_count_unless_reference_rules() -> None:
    adv = Adversary("original")
    host = PluginHost(make_plugin_manager(extra=[adv]))
    prog = "a\nb\nc\nd\ne\nf"
    def c_in_last_forward_edit(sampler) -> list[bool]:
        out = []
        for i in range(20):
            seq, _ = sample_many(sampler, prog, seed=0, index=i)[0]
            out.append(2 in set(seq.states[-1]) - set(seq.states[-2]))
        return out

    default = c_in_last_forward_edit(make_sampler(host, "adv"))
    reference = c_in_last_forward_edit(make_sampler(host, "adv", reference_rules=True))
    assert all(reference)  # the reference deletes the erroneous line at the first lint
    assert sum(default) < 10  # by default it is an ordinary line


def test_rejections_are_reasoned() -> None:
    host = toml_host()
    sampler = make_sampler(host, "toml")
    for code, reason in [("", "empty_program"), ("  \n\n", "empty_program"), ("# only\n# comments", "no_code_lines"), (3, "not_a_string")]:
        with pytest.raises(ProgramRejected) as info:
            sampler.prepare(code)  # type: ignore[arg-type]
        assert info.value.reason == reason
    syntax = PluginHost(make_plugin_manager(extra=[Adversary("syntax")]))
    with pytest.raises(ProgramRejected, match="syntax_error"):
        make_sampler(syntax, "adv").prepare("x\ny")


def test_deadline_and_lint_budget() -> None:
    host = toml_host()
    program = make_sampler(host, "toml").prepare(PROGRAM)
    with pytest.raises(ProgramRejected, match="timeout"):
        make_sampler(host, "toml").sample(program, rng_for(0, 0, 0), deadline=0.0)
    with pytest.raises(ProgramRejected, match="too_many_lint_calls"):
        make_sampler(host, "toml", max_lint_calls=2).sample(program, rng_for(0, 0, 0))


def test_random_sampler_ablation() -> None:
    host = toml_host()
    sampler = make_sampler(host, "toml", sampler="random")
    for i in range(20):
        seq, _ = sample_many(sampler, PROGRAM, seed=0, index=i)[0]
        assert resolve_edit_path(seq.edit_path) == PROGRAM
    with pytest.raises(ConfigError, match="choose one of: lintseq, random"):
        make_sampler(host, "toml", sampler="greedy")


def test_depth_bias_prefers_deeper_lines() -> None:
    host = toml_host()
    lines = PROGRAM.split("\n")
    deep_first = 0
    for i in range(200):
        seq, _ = sample_many(make_sampler(host, "toml", indent_bias=5.0), PROGRAM, seed=0, index=i)[0]
        last = set(seq.states[-1]) - set(seq.states[-2])
        deep_first += any(lines[j].startswith(("host", "retries", "ports")) for j in last)
    assert deep_first > 100


def test_no_edit_inserts_only_blank_lines() -> None:
    host = toml_host()
    program = "a = 1\n\n[t]\nb = 2\n\n"
    for i in range(20):
        seq, _ = sample_many(make_sampler(host, "toml"), program, seed=0, index=i)[0]
        assert resolve_edit_path(seq.edit_path) == program
        for diff in seq.edit_path:
            added = [line[1:] for line in diff.split("\n") if line.startswith("+")]
            assert any(line.strip() for line in added), diff
