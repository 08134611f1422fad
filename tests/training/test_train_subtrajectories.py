"""Sub-trajectory rows (``convert --subtrajectories``) in ``lintseq-train``: both formats,
the configurable template, masking of the file state, and one clear error per bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lintseq_training.cli import main
from lintseq_training.config import load_config
from lintseq_training.data import build_examples, load_training_data
from lintseq_training.encode import IGNORE_INDEX, encode_example, prepare_tokenizer
from lintseq_training.errors import ConfigError, TrainingDataError
from training_data_helpers import write_jsonl

from lintseq_core.edits import DIFF_TOKEN, split_generated_edits, training_prompt
from lintseq_core.partial_format import partial_prompt, render_partial_instruction
from lintseq_core.subtrajectories import replay


@pytest.fixture(scope="module")
def sub_rows(shared_data: Path) -> list[dict]:
    """MBPP programs converted with ``--subtrajectories 3`` by the real converter."""
    from lintseq_core.convert import ConvertConfig, RowConverter
    from lintseq_core.errors import ProgramRejected
    from lintseq_core.host import get_host

    with (shared_data / "mbpp" / "mbpp.jsonl").open(encoding="utf-8") as fh:
        mbpp = [json.loads(line) for line in fh][:40]
    converter = RowConverter(get_host(), ConvertConfig(instruction_field="text", newlines="lf",
                                                       subtrajectories=3))
    rows = []
    for index, source in enumerate(mbpp):
        try:
            rows.extend(converter.convert(source, index))
        except ProgramRejected:
            continue
    assert len(rows) >= 90
    assert any(r["start_state"] for r in rows) and any(not r["start_state"] for r in rows)
    return rows


def test_editseq_examples_put_the_state_in_the_prompt(sub_rows: list[dict]) -> None:
    examples, programs, merged = build_examples(sub_rows, "editseq")
    assert len(examples) == len(sub_rows) and merged == 0
    assert programs == len({r["index"] for r in sub_rows})
    for ex, row in zip(examples, sub_rows, strict=True):
        assert ex.prompt == partial_prompt(row["instruction"], row["start_state"], "editseq")
        assert ex.text.startswith(ex.prompt) and ex.text.endswith(f"\n{DIFF_TOKEN}\n{DIFF_TOKEN}")
        diffs = split_generated_edits(ex.text[len(ex.prompt):])
        assert diffs == row["edit_path"]
        assert replay(row["start_state"], diffs) == row["end_state"]
        if row["start_state"]:
            assert f"[start of file]\n{row['start_state']}\n[end of file]" in ex.prompt
        else:  # from the empty file: an ordinary LintSeq example
            assert ex.prompt == training_prompt(row["instruction"])


def test_baseline_examples_answer_with_the_end_state(sub_rows: list[dict]) -> None:
    examples, _, merged = build_examples(sub_rows, "baseline")
    assert len(examples) == len(sub_rows) and merged == 0  # no merging: each row differs
    for ex, row in zip(examples, sub_rows, strict=True):
        assert ex.prompt == render_partial_instruction(row["instruction"], row["start_state"]) + "\n"
        assert ex.text == ex.prompt + row["end_state"]


def test_the_template_is_configurable_and_validated(sub_rows: list[dict], tmp_path: Path) -> None:
    template = "<file>\n{state}\n</file>\n{instruction}"
    examples, _, _ = build_examples(sub_rows, "editseq", partial_template=template)
    row, ex = next((r, e) for r, e in zip(sub_rows, examples, strict=True) if r["start_state"])
    assert ex.prompt.startswith(f"<file>\n{row['start_state']}\n</file>\n{row['instruction']}")
    cfg = load_config("cpu-tiny", {"partial_template": template})
    assert cfg.partial_template == template
    with pytest.raises(ConfigError, match=r"must contain \{state\}"):
        load_config("cpu-tiny", {"partial_template": "{instruction} only"})
    path = write_jsonl(tmp_path / "sub.jsonl", sub_rows)
    data = load_training_data(path, "editseq", partial_template=template)
    n = next(i for i, r in enumerate(sub_rows) if r["start_state"])
    assert data.examples[n].prompt.startswith("<file>")


def test_mixed_and_broken_rows_stop_with_one_message(sub_rows: list[dict], converted_file: Path) -> None:
    plain = [json.loads(x) for x in converted_file.read_text().splitlines()[:3]]
    with pytest.raises(TrainingDataError, match=r"row 0 is not: train on one kind"):
        build_examples([*plain, *sub_rows[:5]], "editseq")
    partial = next(r for r in sub_rows if r["start_state"])
    wrong = {**partial, "start_state": ""}  # the path no longer applies
    with pytest.raises(TrainingDataError, match=r"1 of 2 .*does not take 'start_state' to 'end_state'"):
        build_examples([partial, wrong], "editseq")
    with pytest.raises(TrainingDataError, match=r"have no text in 'end_state'"):
        build_examples([{k: v for k, v in partial.items() if k != "end_state"}], "baseline")
    with pytest.raises(TrainingDataError, match=r"have no text in 'start_state'"):
        build_examples([{**partial, "start_state": None}], "editseq")


def test_the_file_state_is_masked_out_of_the_loss(sub_rows: list[dict], tiny_model_dir: Path) -> None:
    from transformers import AutoTokenizer

    tok = prepare_tokenizer(AutoTokenizer.from_pretrained(tiny_model_dir), "editseq")
    examples, _, _ = build_examples(sub_rows, "editseq")
    ex = next(e for e, r in zip(examples, sub_rows, strict=True) if len(r["start_state"]) > 40)
    feature, cut = encode_example(tok, ex, 4096)
    assert not cut
    n_prompt = sum(1 for t in feature["labels"] if t == IGNORE_INDEX)
    assert tok.decode(feature["input_ids"][:n_prompt], skip_special_tokens=True).strip() == \
        ex.prompt.replace(DIFF_TOKEN, "").strip()
    answer = tok.decode([t for t in feature["labels"] if t != IGNORE_INDEX], skip_special_tokens=False)
    assert answer.startswith("@@") and answer.endswith(tok.eos_token)


def test_dry_run_on_subtrajectory_data(sub_rows: list[dict], tiny_model_dir: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = write_jsonl(tmp_path / "sub.jsonl", sub_rows)
    for fmt in ("editseq", "baseline"):
        code = main(["--config", "cpu-tiny", "--model", str(tiny_model_dir), "--data", str(data),
                     "--output-dir", str(tmp_path / fmt), "--format", fmt, "--dry-run", "-q"])
        plan = json.loads(capsys.readouterr().out)
        assert code == 0
        assert plan["data"]["rows"] == plan["data"]["examples"] == len(sub_rows)
        assert plan["data"]["programs"] == len({r["index"] for r in sub_rows})


@pytest.mark.slow
def test_training_on_subtrajectories_lowers_the_loss(sub_rows: list[dict], tiny_model_dir: Path,
                                                     tmp_path: Path) -> None:
    import torch
    from lintseq_training.modeling import load_model
    from lintseq_training.run import make_collator, plan_run, summed_token_loss, train

    data = write_jsonl(tmp_path / "sub.jsonl", sub_rows)
    cfg = load_config("cpu-tiny", {"model": str(tiny_model_dir), "data": str(data), "output_dir": str(tmp_path / "o"),
                                   "report_to": "none", "save_strategy": "no", "max_steps": 30})
    plan, tok = plan_run(cfg)
    probe = [dict(f) for f in plan.encoded.features[:16]]

    def loss(model) -> float:
        batch = make_collator(False, tok)(probe)
        with torch.no_grad():
            logits = model.eval()(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
        return float(summed_token_loss(logits, batch["labels"]))

    before = loss(load_model(cfg, tok))
    assert train(cfg)["global_step"] == 30
    from transformers import AutoModelForCausalLM

    after = loss(AutoModelForCausalLM.from_pretrained(tmp_path / "o"))
    assert after < 0.9 * before, (before, after)
