"""``--verify``: a slow analyzer checks every state and repairs what the fast one missed.

The language here is built by hand: ``def x`` defines a name, ``use x`` and ``call x`` use
it. The fast analyzer is deliberately weakened (it ignores ``call`` lines), so only the
verifier sees those errors and must repair the edits that leave them behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from lintseq_core.convert import ConvertConfig, RowConverter
from lintseq_core.edits import resolve_edit_path
from lintseq_core.errors import ConfigError
from lintseq_core.hookspecs import hookimpl
from lintseq_core.host import PluginHost, make_plugin_manager
from lintseq_core.pipeline.outcome import convert_one
from lintseq_core.pipeline.summary import Summary
from lintseq_core.sampler import make_sampler, resolve_verifier, sample_many, state_texts
from lintseq_core.types import AnalyzerInfo, Diagnostic, Language

PROGRAM = "\n".join([
    "def a", "def b", "use a", "call b", "def c", "call a", "use c", "call c", "use b",
])


def _undefined(source: str, kinds: tuple[str, ...]) -> list[Diagnostic]:
    defined = {line.split()[1] for line in source.split("\n") if line.startswith("def ")}
    out = []
    for k, line in enumerate(source.split("\n"), 1):
        words = line.split()
        if len(words) == 2 and words[0] in kinds and words[1] not in defined:
            out.append(Diagnostic(k, "undefined", f"{words[1]} is not defined"))
    return out


class MiniLanguage:
    """A fast analyzer that misses ``call`` errors, and a strict "compiler" that does not.

    The strict one also reports ``orphan`` (an ``end`` without a ``begin``) on line 0, an
    error it cannot charge to any line. ``missing`` makes the compiler uninstalled.
    """

    def __init__(self, *, missing: bool = False) -> None:
        self.missing = missing
        self.calls = {"weak": 0, "strict": 0}

    @hookimpl
    def lintseq_languages(self) -> list[Language]:
        return [Language("mini", default_analyzer="weak"), Language("bare", default_analyzer="plain")]

    @hookimpl
    def lintseq_analyzers(self) -> list[AnalyzerInfo]:
        def available() -> str | None:
            return "strictc was not found on PATH; install it: apt-get install strictc" if self.missing else None

        return [AnalyzerInfo("weak", "mini"), AnalyzerInfo("strict", "mini", kind="compiler", available=available),
                AnalyzerInfo("plain", "bare")]

    @hookimpl
    def lintseq_analyze(self, language: str, analyzer: str, source: str) -> list[Diagnostic] | None:
        if language == "bare":
            return []
        if language != "mini":
            return None
        self.calls[analyzer] += 1
        if analyzer == "weak":
            return _undefined(source, ("use",))
        out = _undefined(source, ("use", "call"))
        lines = source.split("\n")
        if "end" in lines and "begin" not in lines:
            out.append(Diagnostic(0, "orphan", "end without begin"))
        return out

    @hookimpl
    def lintseq_structure(self, language: str, lines: Sequence[str]) -> None:
        return None  # flat: every non-blank line is a candidate


def strict_rejects(host: PluginHost, text: str) -> list[Diagnostic]:
    return host.analyze("mini", "strict", text)


def test_verify_repairs_what_a_weakened_analyzer_misses() -> None:
    mini = MiniLanguage()
    host = PluginHost(make_plugin_manager(extra=[mini]))
    plain = make_sampler(host, "mini")
    verified = make_sampler(host, "mini", verify=True)
    assert verified.verifier == "strict"
    broken_plain = repairs = states = 0
    for index in range(40):
        seq, _ = sample_many(plain, PROGRAM, seed=0, index=index)[0]
        broken_plain += sum(bool(strict_rejects(host, t)) for t in state_texts(seq))
        seq, stats = sample_many(verified, PROGRAM, seed=0, index=index)[0]
        assert resolve_edit_path(seq.edit_path) == PROGRAM
        for text in state_texts(seq):
            assert strict_rejects(host, text) == [], text
            states += 1
        repairs += stats.repairs
        assert stats.verify_calls >= len(seq.states) - 2
        assert stats.repairs <= stats.edits
    # The weakened analyzer alone lets broken states through; the verifier repaired them.
    assert broken_plain > 0
    assert repairs > 0
    assert states > 40


def verified_samples(host: PluginHost, program: str, *, seed: int, count: int) -> Iterator[tuple[Any, Any]]:
    """``count`` verified (sequence, stats) samples of ``program``; each must resolve back to it."""
    sampler = make_sampler(host, "mini", verify=True)
    for index in range(count):
        seq, stats = sample_many(sampler, program, seed=seed, index=index)[0]
        assert resolve_edit_path(seq.edit_path) == program
        yield seq, stats


def test_an_error_on_no_line_deletes_the_rest() -> None:
    host = PluginHost(make_plugin_manager(extra=[MiniLanguage()]))
    unresolved = 0
    for seq, stats in verified_samples(host, "begin\ndef a\nuse a\nend\ndef b", seed=1, count=30):
        for text in state_texts(seq):
            assert strict_rejects(host, text) == [], text
        unresolved += stats.verify_unresolved
        assert stats.verify_unresolved <= stats.repairs
    assert unresolved > 0  # "begin" is sometimes picked while "end" remains


def test_errors_the_original_already_has_are_not_repaired() -> None:
    host = PluginHost(make_plugin_manager(extra=[MiniLanguage()]))
    # "call z" is broken in the original too: the verifier's baseline keeps it.
    samples = list(verified_samples(host, "def a\ncall z\nuse a\ndef b\nuse b", seed=0, count=20))
    assert all(stats.repairs == 0 for _, stats in samples)
    assert sum("call z" in t for seq, _ in samples for t in state_texts(seq)) > 0


def test_a_verifier_that_rejects_everything_still_terminates() -> None:
    class Hostile(MiniLanguage):
        @hookimpl
        def lintseq_analyze(self, language: str, analyzer: str, source: str) -> list[Diagnostic] | None:
            if language != "mini":
                return None
            self.calls[analyzer] += 1
            # The original is clean; any state with fewer lines has an error on each line.
            n = source.count("\n") + 1
            return [] if analyzer == "weak" or n == 6 else [Diagnostic(k, "E") for k in range(1, n + 1)]

    hostile = Hostile()
    host = PluginHost(make_plugin_manager(extra=[hostile]))
    program = "a\nb\nc\nd\ne\nf"
    seq, stats = sample_many(make_sampler(host, "mini", verify=True), program, seed=0, index=0)[0]
    assert resolve_edit_path(seq.edit_path) == program
    assert len(seq.edit_path) == 1  # every state but the whole program was rejected
    assert stats.repairs == 1
    assert stats.verify_calls == 1


def test_verifier_choice_and_errors() -> None:
    host = PluginHost(make_plugin_manager(extra=[MiniLanguage()]))
    assert resolve_verifier(host, "mini").name == "strict"
    assert resolve_verifier(host, "mini", "weak").name == "weak"
    with pytest.raises(ConfigError, match="choose one of: strict, weak"):
        resolve_verifier(host, "mini", "nope")
    missing = PluginHost(make_plugin_manager(extra=[MiniLanguage(missing=True)]))
    with pytest.raises(ConfigError, match="apt-get install strictc"):
        make_sampler(missing, "mini", verify=True)
    with pytest.raises(ConfigError, match="random sampler"):
        make_sampler(host, "mini", sampler="random", verify=True)
    with pytest.raises(ConfigError, match="needs --verify"):
        make_sampler(host, "mini", verify_analyzer="strict")
    with pytest.raises(ConfigError, match="needs --sampler lintseq"):
        ConvertConfig(language="mini", sampler="random", verify=True)
    with pytest.raises(ConfigError, match="'bare' has no compiler-backed analyzer"):
        make_sampler(host, "bare", verify=True)


def test_the_fast_analyzer_as_its_own_verifier_costs_no_extra_call() -> None:
    mini = MiniLanguage()
    host = PluginHost(make_plugin_manager(extra=[mini]))
    seq, stats = sample_many(make_sampler(host, "mini", verify=True, verify_analyzer="weak"),
                             PROGRAM, seed=0, index=0)[0]
    assert stats.verify_calls == 0 and stats.repairs == 0
    assert mini.calls["strict"] == 0
    assert resolve_edit_path(seq.edit_path) == PROGRAM


def test_rows_and_summary_record_verification() -> None:
    host = PluginHost(make_plugin_manager(extra=[MiniLanguage()]))
    converter = RowConverter(host, ConvertConfig(language="mini", verify=True, samples_per_program=2))
    summary = Summary()
    for index in range(10):
        outcome = convert_one(converter, index, {"code": PROGRAM})
        assert outcome.reject is None
        summary.add(outcome)
    rows = [r for i in range(10) for r in converter.convert({"code": PROGRAM}, i)]
    assert all(r["verified"] is True and r["verifier"] == "strict" for r in rows)
    assert sum(r["repairs"] for r in rows) == summary.repairs > 0
    report = summary.report()["verify"]
    assert report["verified_sequences"] == 20
    assert report["verifier_calls"] == sum(r["verify_calls"] for r in rows)
    assert Summary.from_state(summary.to_state()).report() == summary.report()
    plain = RowConverter(host, ConvertConfig(language="mini")).convert({"code": PROGRAM}, 0)
    assert plain[0]["verified"] is False and "repairs" not in plain[0]
    # Mixed languages: a row whose language has no compiler is rejected, with the reason.
    mixed = RowConverter(host, ConvertConfig(language="mini", language_field="lang", verify=True))
    outcome = convert_one(mixed, 0, {"code": "a\nb", "lang": "bare"})
    assert outcome.reject is not None and outcome.reject["reason"] == "analyzer_unavailable"
    assert "compiler-backed" in outcome.reject["detail"]
    assert convert_one(mixed, 1, {"code": PROGRAM, "lang": "mini"}).reject is None
