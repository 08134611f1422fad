"""Real code: whole files of the running interpreter's standard library, converted with the
fast ``ast`` analyzer, every intermediate state judged by pylint under the relative rule (no
message code the original lacks).

The files are read from the installed Python (nothing is copied into the repository): small
modules with classes, methods, module globals and a ``__main__`` script, of the kinds the
real-code corpus (``benchmarks/corpus/sources/python.toml``) measures at scale.
"""

from __future__ import annotations

import pytest
from lintseq_python.pylint_analyzer import analyze_pylint

from lintseq_core.edits import resolve_edit_path
from lintseq_core.sampler import make_sampler, sample_many, state_texts

pytestmark = pytest.mark.slow

FILES = ["sched.py", "graphlib.py", "netrc.py", "tabnanny.py"]


def _codes(text: str) -> set[str]:
    return {d.code for d in analyze_pylint(text)}


@pytest.mark.parametrize("name", FILES)
def test_every_state_of_a_stdlib_file_passes_pylint(host, stdlib_source, name: str) -> None:
    code = stdlib_source(name)
    sampler = make_sampler(host, "python", "ast", "lintseq")
    ((seq, _stats),) = sample_many(sampler, code, seed=0, index=0)
    assert resolve_edit_path(seq.edit_path) == code
    assert len(seq.edit_path) > 1
    base = _codes(code)
    broken = {}
    for k, state in enumerate(state_texts(seq)):
        extra = _codes(state) - base
        if extra:
            broken[k] = sorted(extra)
    assert broken == {}
