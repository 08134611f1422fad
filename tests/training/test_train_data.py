"""Examples and tokenization: formats, merging, masking, the diff token, EOS, truncation."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from lintseq_training.data import build_examples, load_training_data
from lintseq_training.encode import IGNORE_INDEX, encode_example, encode_examples, prepare_tokenizer
from lintseq_training.errors import TrainingDataError
from training_data_helpers import converted_rows, write_jsonl

from lintseq_core.edits import DIFF_TOKEN, resolve_edit_path, training_prompt


@pytest.fixture(scope="module")
def rows(shared_data: Path) -> list[dict]:
    return converted_rows(shared_data, 20)


@pytest.fixture
def tokenizer(tiny_model_dir: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model_dir)


def test_editseq_examples_follow_the_reference_format(rows: list[dict]) -> None:
    examples, programs, merged = build_examples(rows, "editseq")
    assert (len(examples), programs, merged) == (len(rows), 20, 0)
    ex, row = examples[0], rows[0]
    assert ex.prompt == training_prompt(row["instruction"])
    answer = ex.text[len(ex.prompt):]
    # "e1\n<|diff|>e2\n<|diff|>...\n<|diff|>": the diffs resolve back to the program.
    pieces = answer.split(DIFF_TOKEN)
    diffs = [p[:-1] for p in pieces if p.strip()]
    assert resolve_edit_path(diffs) == row["program"]


def test_baseline_merges_the_sequences_of_one_program(rows: list[dict]) -> None:
    examples, programs, merged = build_examples(rows, "baseline")
    assert (len(examples), programs, merged) == (20, 20, 20)
    assert examples[3].text == rows[6]["instruction"] + "\n" + rows[6]["program"]


def test_plain_baseline_rows_with_other_field_names() -> None:
    plain = [{"text": f"task {i}", "code": f"x = {i}"} for i in range(5)]
    examples, programs, _ = build_examples(plain, "baseline", instruction_field="text", code_field="code")
    assert programs == 5 and examples[4].text == "task 4\nx = 4"


def test_missing_fields_and_empty_data_give_one_clear_message(rows: list[dict], tmp_path: Path) -> None:
    plain = [{"text": "t", "code": "x = 1"}]
    with pytest.raises(TrainingDataError, match=r"1 of 1 rows lack field 'instruction' .*--instruction-field"):
        build_examples(plain, "baseline")
    no_path = [{k: v for k, v in r.items() if k != "edit_path"} for r in rows]
    with pytest.raises(TrainingDataError, match=r"lack field 'edit_path'.*--format baseline"):
        build_examples(no_path, "editseq")
    broken = [dict(rows[0], edit_path=[])]
    with pytest.raises(TrainingDataError, match="no non-empty list of diff strings"):
        build_examples(broken, "editseq")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(TrainingDataError, match="is empty"):
        load_training_data(empty, "editseq")
    with pytest.raises(TrainingDataError, match="does not exist"):
        load_training_data(tmp_path / "nope.jsonl", "editseq")


def test_gzipped_jsonl_and_json_arrays_read_the_same(rows: list[dict], tmp_path: Path) -> None:
    plain = load_training_data(write_jsonl(tmp_path / "a.jsonl", rows), "editseq")
    gz = tmp_path / "a.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write("".join(json.dumps(r) + "\n" for r in rows))
    array = tmp_path / "a.json"
    array.write_text(json.dumps(rows))
    assert load_training_data(gz, "editseq").examples == plain.examples
    assert load_training_data(array, "editseq").examples == plain.examples
    assert len(plain.fingerprint) == 64


def test_diff_token_is_one_special_token(tokenizer) -> None:
    before = len(tokenizer)
    assert len(tokenizer.encode(DIFF_TOKEN, add_special_tokens=False)) > 1  # a fresh BPE splits it
    prepare_tokenizer(tokenizer, "editseq")
    assert len(tokenizer) == before + 1
    (diff_id,) = tokenizer.encode(DIFF_TOKEN, add_special_tokens=False)
    ids = tokenizer.encode("a\n" + DIFF_TOKEN + "@@ -0,0 +1 @@", add_special_tokens=False)
    assert ids.count(diff_id) == 1
    assert tokenizer.decode([diff_id]) == DIFF_TOKEN


def test_prompt_is_masked_and_answer_plus_eos_is_learned(rows: list[dict], tokenizer) -> None:
    prepare_tokenizer(tokenizer, "editseq")
    examples, _, _ = build_examples(rows, "editseq")
    for ex in examples[:10]:
        feature, cut = encode_example(tokenizer, ex, 4096)
        assert not cut
        ids, labels = feature["input_ids"], feature["labels"]
        first = next(i for i, t in enumerate(labels) if t != IGNORE_INDEX)
        assert all(t == IGNORE_INDEX for t in labels[:first])
        assert labels[first:] == ids[first:]
        assert ids[-1] == tokenizer.eos_token_id and ids.count(tokenizer.eos_token_id) == 1
        assert tokenizer.decode(ids[:first]) == tokenizer.bos_token + ex.prompt
        assert tokenizer.decode(ids[first:-1]) == ex.text[len(ex.prompt):]


def test_baseline_masking_splits_at_the_instruction(rows: list[dict], tokenizer) -> None:
    prepare_tokenizer(tokenizer, "baseline")
    examples, _, _ = build_examples(rows, "baseline")
    feature, _ = encode_example(tokenizer, examples[0], 4096)
    target = [t for t in feature["labels"] if t != IGNORE_INDEX]
    # The answer may start inside the token that holds the prompt's final newline.
    assert tokenizer.decode(target[:-1]).endswith(rows[0]["program"])
    assert rows[0]["instruction"] not in tokenizer.decode(target)


def test_truncation_is_counted_and_prompt_only_examples_are_dropped(rows: list[dict], tokenizer) -> None:
    prepare_tokenizer(tokenizer, "editseq")
    examples, _, _ = build_examples(rows, "editseq")
    full = encode_examples(tokenizer, examples, 4096)
    assert (full.truncated, full.dropped_prompt_too_long) == (0, 0)
    lengths = sorted(len(f["input_ids"]) for f in full.features)
    limit = lengths[len(lengths) // 2]
    cut = encode_examples(tokenizer, examples, limit)
    assert cut.truncated == sum(1 for n in lengths if n > limit) > 0
    assert all(len(f["input_ids"]) <= limit for f in cut.features)
    tiny = encode_examples(tokenizer, examples, 8)
    assert tiny.dropped_prompt_too_long == len(examples) and not tiny.features
