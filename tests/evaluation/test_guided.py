"""Lint-guided decoding (lintseq_eval.guided): the baseline rule, the retry loop and its
token accounting with a scripted model, and the transformers backend's cache rollback."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from lintseq_eval.errors import EvalError
from lintseq_eval.guided import (
    MALFORMED,
    Attempt,
    EditGuide,
    GuideConfig,
    error_keys,
    guide_edits,
)

from lintseq_core.edits import DIFF_TOKEN, split_generated_edits
from lintseq_core.types import Diagnostic

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

ADD_A = "@@ -0,0 +1 @@\n+a = 1"
ADD_B = "@@ -1,0 +2 @@\n+b = a + 1"
BREAK_B = "@@ -1,0 +2 @@\n+b = q + 1"  # q is undefined: one new error
BREAK_2 = "@@ -1,0 +2,2 @@\n+b = q + 1\n+c = r"  # two new errors


class Script:
    """A "model" that returns scripted tries: ``tries[edit][attempt]``; records calls."""

    def __init__(self, tries: Sequence[Sequence[Attempt]]) -> None:
        self.tries = tries
        self.calls: list[tuple[int, int, int]] = []
        self.committed: list[Attempt] = []

    def propose(self, edit: int, attempt: int, budget: int) -> Attempt:
        self.calls.append((edit, attempt, budget))
        return self.tries[edit][attempt]

    def commit(self, att: Attempt) -> None:
        self.committed.append(att)


def edit(text: str, tokens: int, end: str = "diff") -> Attempt:
    return Attempt(text, tokens, end)


END = edit("", 2)  # the model's end marker: a blank edit then <|diff|>


def test_error_keys_blank_numbers_and_count_repeats() -> None:
    before = error_keys([Diagnostic(3, "E1", "name 'x' at line 3")])
    moved = error_keys([Diagnostic(9, "E1", "name 'x' at line 9")])
    twice = error_keys([Diagnostic(3, "E1", "name 'x' at line 3"), Diagnostic(5, "E1", "name 'x' at line 5")])
    assert moved - before == {}  # a shifted error is not new
    assert list((twice - before).elements()) == [("E1", "name 'x' at line #")]


def test_guide_counts_only_errors_the_previous_state_lacked() -> None:
    guide = EditGuide("python", "ast", start="print(y)")  # already one undefined name
    calls = guide.calls
    ok = guide.check("@@ -0,0 +1 @@\n+a = 1")
    assert ok.accepted and ok.lines == ("a = 1", "print(y)")
    again = guide.check("@@ -1,0 +2 @@\n+print(y)")  # the same error a second time is new
    assert not again.accepted and len(again.new_errors) == 1 and again.new_errors[0][0] == "E0602"
    other = guide.check("@@ -1,0 +2 @@\n+print(z)")
    assert not other.accepted and "'z'" in other.new_errors[0][1]
    assert guide.calls == calls + 3
    assert guide.lines == ("print(y)",)  # check never changes the state
    guide.commit(ok)
    assert guide.program == "a = 1\nprint(y)"


def test_guide_rejects_malformed_edits_without_analyzing() -> None:
    guide = EditGuide("python", "ast")
    verdict = guide.check("not a diff at all")
    assert not verdict.accepted and verdict.malformed and verdict.new_errors == ((MALFORMED, ""),)
    assert guide.calls == 0


def test_retries_then_keep_least_bad_and_token_accounting() -> None:
    script = Script([
        [edit(ADD_A, 5)],
        [edit(BREAK_2, 7), edit("junk", 3), edit(BREAK_B, 6)],  # all three break: keep BREAK_B
        [edit(ADD_B, 4)],  # b already exists, `b = a + 1` again is fine
        [END],
    ])
    guide = EditGuide("python", "ast")
    res = guide_edits(script.propose, script.commit, guide, GuideConfig(retries=2, on_exhausted="keep"), 100)
    assert [c[:2] for c in script.calls] == [(0, 0), (1, 0), (1, 1), (1, 2), (2, 0), (3, 0)]
    assert [c[2] for c in script.calls] == [100, 95, 95, 95, 89, 85]  # budget = limit - kept tokens
    assert res.stop_reason == "end"
    assert (res.edits_kept, res.edits_rejected, res.states_clean, res.forced_edits) == (3, 2, 2, 1)
    assert res.kept_tokens == 5 + 6 + 4 + 2 and res.rejected_tokens == 7 + 3
    assert res.generated_tokens == res.kept_tokens + res.rejected_tokens
    assert res.max_retries_used == 2
    assert res.new_errors == [["E0602: Undefined variable 'q'"]]
    assert split_generated_edits(res.text) == [ADD_A, BREAK_B, ADD_B]
    assert guide.program == "a = 1\nb = a + 1\nb = q + 1"


def test_stop_mode_keeps_only_clean_states() -> None:
    script = Script([[edit(ADD_A, 5)], [edit(BREAK_B, 6), edit(BREAK_2, 7)]])
    res = guide_edits(script.propose, script.commit, EditGuide("python", "ast"),
                      GuideConfig(retries=1, on_exhausted="stop"), 100)
    assert res.stop_reason == "retries_exhausted"
    assert (res.edits_kept, res.states_clean, res.forced_edits, res.edits_rejected) == (1, 1, 0, 2)
    assert (res.kept_tokens, res.rejected_tokens) == (5, 13)
    assert split_generated_edits(res.text) == [ADD_A]
    assert script.committed == [edit(ADD_A, 5)]


def test_keep_mode_stops_when_no_try_resolves() -> None:
    script = Script([[edit("junk", 3), edit("@@ nonsense", 4)]])
    res = guide_edits(script.propose, script.commit, EditGuide("python", "ast"), GuideConfig(retries=1), 100)
    assert res.stop_reason == "retries_exhausted" and res.edits_kept == 0 and res.rejected_tokens == 7


@pytest.mark.parametrize(("last", "reason"), [(edit(ADD_B, 3, "eos"), "eos"), (edit(ADD_B, 3, "length"),
                                                                                  "max_new_tokens")])
def test_stop_reasons_eos_and_length(last: Attempt, reason: str) -> None:
    script = Script([[edit(ADD_A, 5)], [last]])
    res = guide_edits(script.propose, script.commit, EditGuide("python", "ast"), GuideConfig(), 100)
    assert res.stop_reason == reason and res.edits_kept == 2 and res.kept_tokens == 8
    assert res.text == ADD_A + "\n" + DIFF_TOKEN + ADD_B  # no boundary after the last one


def test_token_limit_is_checked_before_each_edit() -> None:
    script = Script([[edit(ADD_A, 5)], [edit(ADD_B, 5)], [END]])
    res = guide_edits(script.propose, script.commit, EditGuide("python", "ast"), GuideConfig(), 10)
    assert res.stop_reason == "max_new_tokens" and len(script.calls) == 2


def test_observe_mode_keeps_broken_edits_and_counts_them() -> None:
    script = Script([[edit(ADD_A, 5)], [edit(BREAK_B, 6)], [edit("junk", 2)], [END]])
    res = guide_edits(script.propose, script.commit, EditGuide("python", "ast"),
                      GuideConfig(retries=3, enforce=False), 100)
    assert (res.edits_kept, res.states_clean, res.forced_edits, res.edits_rejected) == (3, 1, 2, 0)
    assert res.malformed_edits == 1 and res.kept_tokens == 15
    assert len(script.calls) == 4  # no retry without enforcement


def test_config_rejects_bad_values() -> None:
    with pytest.raises(EvalError, match="retries"):
        GuideConfig(retries=-1)
    with pytest.raises(EvalError, match="on_exhausted"):
        GuideConfig(on_exhausted="maybe")


# ---- the transformers backend ------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(tiny_model: Path) -> tuple[object, object]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(1)
    return AutoModelForCausalLM.from_pretrained(tiny_model).eval(), AutoTokenizer.from_pretrained(tiny_model)


def _state(loaded: tuple[object, object], temperature: float = 1.0):
    from lintseq_eval.guided import TransformersEditModel

    model, tok = loaded
    return TransformersEditModel(model, tok, "def f():\n<|diff|>", temperature=temperature, top_p=0.95, seed=3)


def test_rollback_reproduces_a_fresh_decode(loaded: tuple[object, object]) -> None:
    """A try after a rejected one (cache cropped back to the boundary) decodes exactly what
    the same try decodes from scratch; so does the next edit after keeping an older try."""
    a = _state(loaded)
    first = a.propose(0, 0, 12)
    second = a.propose(0, 1, 12)  # rolls back over `first`
    assert first.token_ids != second.token_ids  # different seeds: the check below can fail
    b = _state(loaded)
    assert b.propose(0, 1, 12) == second
    a.commit(first)  # the least-bad try need not be the last one decoded
    b2 = _state(loaded)
    b2.propose(0, 0, 12)
    b2.commit(first)
    assert a.propose(1, 0, 12) == b2.propose(1, 0, 12)
    assert a.generated_ids[: len(first.token_ids)] == [t for t in first.token_ids if t != a.eos]


def test_tries_stop_at_the_boundary_and_count_it(loaded: tuple[object, object]) -> None:
    state = _state(loaded)
    att = state.propose(0, 0, 60)
    assert att.tokens == len(att.token_ids) <= 60
    if att.end == "diff":
        assert att.token_ids[-1] == state.diff_id and state.diff_id not in att.token_ids[:-1]
    else:
        assert att.end in ("eos", "length") and state.diff_id not in att.token_ids


def test_boundary_criteria_stops_generate(loaded: tuple[object, object]) -> None:
    import torch
    from lintseq_eval.guided import EditBoundaryCriteria
    from transformers import StoppingCriteriaList

    model, tok = loaded
    crit = EditBoundaryCriteria(tok)
    enc = tok("def f():\n" + DIFF_TOKEN, return_tensors="pt")
    torch.manual_seed(0)
    out = model.generate(**enc, max_new_tokens=300, do_sample=True, pad_token_id=tok.pad_token_id,
                         stopping_criteria=StoppingCriteriaList([crit]))
    new = out[0, enc["input_ids"].shape[1]:].tolist()
    assert crit.diff_id not in new[:-1]
    assert new[-1] in (crit.diff_id, tok.eos_token_id) or len(new) == 300


# ---- a tiny model trained here: guided vs unguided on the same prompts and seeds -----------

SCRIPTS = [
    "a = 1\nb = a + 2\nc = b * a\nprint(c)",
    "x = 3\ny = x - 1\nz = y + x\nprint(z)",
    "n = 5\nm = n * n\nprint(m)",
    "s = 2\nt = s + s\nu = t - s\nprint(u)",
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object]:
    """A 2-layer model built by the training stack's tiny builder and fitted for a few
    steps on one-line-per-edit sequences: it writes diff-shaped text whose edits often
    break the program (names used before they exist)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from lintseq_core.edits import edit_path_from_states, format_training_text, split_lines

    tiny = pytest.importorskip("lintseq_training.tiny")
    encode = pytest.importorskip("lintseq_training.encode")
    torch.set_num_threads(1)
    torch.manual_seed(0)
    texts = []
    for i, prog in enumerate(SCRIPTS):
        lines = split_lines(prog)
        states = [list(range(k)) for k in range(len(lines) + 1)]
        texts.append(format_training_text(f"Task {i}", edit_path_from_states(lines, states)))
    out = tiny.build_tiny_model(tmp_path_factory.mktemp("guided"), texts, vocab_size=400, hidden_size=32)
    tok = AutoTokenizer.from_pretrained(out)
    encode.add_diff_token(tok)
    model = AutoModelForCausalLM.from_pretrained(out)
    model.resize_token_embeddings(len(tok))
    enc = tok([t + tok.eos_token for t in texts], return_tensors="pt", padding=True)
    labels = enc["input_ids"].masked_fill(enc["attention_mask"] == 0, -100)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-2)
    model.train()
    for _ in range(60):
        loss = model(**enc, labels=labels).loss
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 1.0  # it learned something (from ~6): diff-shaped text, not byte soup
    return model.eval(), tok


@pytest.mark.slow
def test_trained_model_guided_states_are_clean_unguided_are_not(trained: tuple[object, object]) -> None:
    from lintseq_eval.guided import TransformersEditModel

    model, tok = trained
    runs: dict[bool, list] = {True: [], False: []}
    for enforce in (False, True):
        cfg = GuideConfig(retries=2, on_exhausted="stop", enforce=enforce)
        for i in range(len(SCRIPTS)):
            for k in range(2):
                state = TransformersEditModel(model, tok, f"Task {i}\n\n{DIFF_TOKEN}", temperature=1.0, top_p=0.95,
                                              seed=0, prompt_index=i, sample_index=k)
                guide = EditGuide("python", "ast")
                res = guide_edits(state.propose, state.commit, guide, cfg, 48)
                runs[enforce].append(res)
                assert len(state.generated_ids) == res.kept_tokens - (res.stop_reason == "eos")  # EOS is counted, not kept
                assert res.generated_tokens == res.kept_tokens + res.rejected_tokens
                assert res.max_retries_used <= cfg.retries
                assert res.stop_reason in ("end", "eos", "max_new_tokens", "retries_exhausted")
    unguided = runs[False]
    broken = sum(r.forced_edits for r in unguided)
    assert broken > 0 and sum(r.edits_rejected for r in unguided) == 0
    assert sum(r.edits_kept for r in runs[True]) > 0  # so the replay below checks something
    for res in runs[True]:
        assert res.forced_edits == 0 and res.states_clean == res.edits_kept
        replay = EditGuide("python", "ast")  # every kept state, re-analyzed from scratch
        for diff in split_generated_edits(res.text):
            verdict = replay.check(diff)
            assert verdict.accepted, (res.text, verdict)
            replay.commit(verdict)
    print(f"unguided: {broken} broken of {sum(r.edits_kept for r in unguided)} kept edits; guided: "
          f"{sum(r.edits_kept for r in runs[True])} clean kept, {sum(r.edits_rejected for r in runs[True])} rejected")
