"""Every intermediate state of the tree-sitter analyzer's sequences compiles (a handful per language).

The full figures (all of HumanEval-X) come from ``benchmarks/bench_languages.py``; this test
keeps a few programs per language so a regression in the data files shows up in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lintseq_core.ablate import load_programs, oracle_for
from lintseq_core.edits import resolve_edit_path
from lintseq_core.host import get_host
from lintseq_core.sampler import make_sampler, sample_many, state_texts

pytest.importorskip("tree_sitter")

REPO = Path(__file__).resolve().parents[3]
OWN = Path(__file__).resolve().parent / "programs"
HUMANEVAL_X = {"cpp": [12], "go": [2, 12], "java": [12], "javascript": [12, 26], "python": [0, 12],
               "rust": [0, 26]}
OWN_PROGRAMS = {"c": ["stack.c", "is_prime.c"], "ruby": ["bank.rb", "primes.rb"],
                "typescript": ["binary_search.ts"]}


@pytest.fixture(scope="module")
def rust_externs() -> str:
    """HumanEval-X Rust imports rand/regex/md5: link the evaluation's bundled stand-ins."""
    from lintseq_eval.languages.rust import extern_flags

    return " ".join(extern_flags())


def _programs(shared_data, language):
    host = get_host()
    if language in HUMANEVAL_X:
        progs = load_programs(host, shared_data / "humaneval-x", [language])[language]
        return [p for p in progs if int(p.id.rpartition("/")[2]) in HUMANEVAL_X[language]]
    progs = load_programs(host, OWN, [language])[language]
    return [p for p in progs if Path(p.id).name in OWN_PROGRAMS[language]]


@pytest.mark.slow
@pytest.mark.parametrize("language", [*HUMANEVAL_X, *OWN_PROGRAMS])
def test_states_are_accepted_by_the_compiler(language, shared_data, request, monkeypatch):
    host = get_host()
    oracle = oracle_for(host, language)
    if oracle is None:
        pytest.skip(f"no compiler or reference analyzer for {language} is installed")
    if language == "rust":
        monkeypatch.setenv("LINTSEQ_RUSTC_ARGS", request.getfixturevalue("rust_externs"))
    sampler = make_sampler(host, language, "treesitter")
    programs = _programs(shared_data, language)
    assert len(programs) == len(HUMANEVAL_X.get(language, OWN_PROGRAMS.get(language, ())))
    for index, prog in enumerate(programs):
        assert host.analyze(language, oracle, prog.code) == [], f"{prog.id} does not compile whole"
        ((seq, _),) = sample_many(sampler, prog.code, seed=1, index=index)
        assert resolve_edit_path(seq.edit_path) == prog.code
        for state in state_texts(seq):
            errors = host.analyze(language, oracle, state)
            assert errors == [], f"{prog.id}: {oracle} rejects an intermediate state:\n{state}\n{errors}"
