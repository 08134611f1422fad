"""The sub-trajectory instruction writer: prompt, answer parsing, and the generation mechanics
with a tiny random model built offline (its instructions are noise; the plumbing is not)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lintseq_training.cli import main as train_main
from lintseq_training.errors import ConfigError, TrainingDataError
from lintseq_training.instructions import (
    DEFAULT_TEMPLATE,
    WriterConfig,
    check_template,
    first_line,
    render_prompt,
    write_instructions,
)
from training_data_helpers import write_jsonl

from lintseq_core.edits import EditSequence
from lintseq_core.subtrajectories import subtrajectory_rows

PROGRAM = ["def area(w, h):", "    return w * h", "", "def square(s):", "    return area(s, s)", ""]


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    seq = EditSequence(tuple(PROGRAM), ((), (0, 1, 2), (0, 1, 2, 3, 4, 5)))
    record = {"index": 0, "sample": 0, "edit_path": seq.edit_path, "instruction": "Geometry helpers.",
              "language": "python"}
    out = subtrajectory_rows(record, seq, 6, seed=0, index=0, sample=0)
    assert {r["start_index"] for r in out} == {0, 1}
    return out


def test_prompt_shows_states_and_edits(rows: list[dict]) -> None:
    row = next(r for r in rows if r["start_index"] == 1)
    prompt = render_prompt(row)
    assert "### File before\ndef area(w, h):\n    return w * h\n" in prompt
    assert row["end_state"] in prompt and row["edit_path"][0] in prompt
    assert prompt.startswith("Below is a python file") and prompt.endswith("### Instruction\n")
    empty = next(r for r in rows if r["start_index"] == 0)
    assert "### File before\n(empty file)\n" in render_prompt(empty)
    assert render_prompt(row, "{instruction} / {edits}") == f"Geometry helpers. / {row['edit_path'][0]}"
    with pytest.raises(TrainingDataError, match="--subtrajectories"):
        render_prompt({"instruction": "x", "edit_path": []})


def test_templates_are_checked() -> None:
    assert check_template(DEFAULT_TEMPLATE) == DEFAULT_TEMPLATE
    for bad, match in [("{start_state}", "must show the change"), ("{diff}", "unknown field"),
                       ("{edits", "malformed")]:
        with pytest.raises(ConfigError, match=match):
            check_template(bad)
    with pytest.raises(ConfigError, match="chat must be"):
        WriterConfig("m", chat="maybe")


@pytest.mark.parametrize(("answer", "expected"), [
    ("Add a square helper.\nMore text", "Add a square helper."),
    ("\n\n  Instruction: Add `square`.  \n", "Add `square`."),
    ('"Add a square function."', "Add a square function."),
    ("```\nAdd it\n```", "Add it"),
    ("   \n\n", ""),
])
def test_first_line_extracts_the_instruction(answer: str, expected: str) -> None:
    assert first_line(answer) == expected


@pytest.fixture(scope="module")
def tiny_writer(tmp_path_factory: pytest.TempPathFactory, rows: list[dict]) -> Path:
    from lintseq_training.tiny import build_tiny_model

    texts = [render_prompt(r) for r in rows] + ["Add a function that squares a number.\n"] * 5
    return build_tiny_model(tmp_path_factory.mktemp("writer") / "tiny", texts, vocab_size=300)


def test_answers_become_instructions(rows: list[dict], monkeypatch: pytest.MonkeyPatch) -> None:
    from lintseq_training import instructions

    answers = iter(["Add area.\nAnd more", "  \n", '"Add square."', "", "Instruction: Add both.", "x"])
    monkeypatch.setattr(instructions, "generate_answers", lambda cfg, prompts: [next(answers) for _ in prompts])
    out, counts = write_instructions(rows, WriterConfig("some/model"))
    assert counts == {"rows": 6, "written": 4, "empty_answers": 2}
    assert [r["instruction"] for r in out] == ["Add area.", "Geometry helpers.", "Add square.",
                                               "Geometry helpers.", "Add both.", "x"]
    for before, after in zip(rows, out, strict=True):
        added = ("instruction", "previous_instruction", "instruction_writer")
        assert {k: v for k, v in after.items() if k not in added} == {
            k: v for k, v in before.items() if k != "instruction"}
        written = after["instruction"] != "Geometry helpers."
        assert ("instruction_writer" in after) == written == ("previous_instruction" in after)
        if written:
            assert after["instruction_writer"] == "some/model"
            assert after["previous_instruction"] == "Geometry helpers."


def test_tiny_model_generates_batched_and_deterministically(tiny_writer: Path, rows: list[dict]) -> None:
    from lintseq_training.instructions import generate_answers

    cfg = WriterConfig(str(tiny_writer), max_new_tokens=6, batch_size=4)
    prompts = [render_prompt(r) for r in rows] + ["Add a function", "def area(w, h):"]
    answers = generate_answers(cfg, prompts)
    assert len(answers) == len(prompts) and all(isinstance(a, str) for a in answers)
    assert any(a.strip() for a in answers)
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_writer)
    assert all(len(tok(a, add_special_tokens=False)["input_ids"]) <= 6 + 2 for a in answers)
    assert generate_answers(cfg, prompts) == answers  # greedy: the same every time
    one = generate_answers(WriterConfig(str(tiny_writer), max_new_tokens=6, batch_size=1), prompts[-2:])
    assert one == answers[-2:]  # left padding does not change what is written
    out, counts = write_instructions(rows, WriterConfig(str(tiny_writer), max_new_tokens=6))
    assert counts["written"] + counts["empty_answers"] == counts["rows"] == len(out) == len(rows)


def test_chat_template_wraps_the_prompt(tiny_writer: Path, rows: list[dict], tmp_path: Path) -> None:
    import shutil

    from lintseq_training.instructions import _as_chat
    from transformers import AutoTokenizer

    chat_dir = tmp_path / "chat"
    shutil.copytree(tiny_writer, chat_dir)
    tok = AutoTokenizer.from_pretrained(chat_dir)
    tok.chat_template = "{% for m in messages %}<s>USER: {{ m['content'] }}\n{% endfor %}ASSISTANT:"
    tok.save_pretrained(chat_dir)
    tok = AutoTokenizer.from_pretrained(chat_dir)
    texts, used = _as_chat(tok, ["hello"], "auto")
    assert used and texts == ["<s>USER: hello\nASSISTANT:"]
    assert _as_chat(tok, ["hello"], "no") == (["hello"], False)
    out, counts = write_instructions(rows[:2], WriterConfig(str(chat_dir), max_new_tokens=6))
    assert counts["rows"] == 2 and len(out) == 2


def test_cli_writes_rows_and_a_manifest(tiny_writer: Path, rows: list[dict], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = write_jsonl(tmp_path / "sub.jsonl", rows)
    out = tmp_path / "out.jsonl"
    code = train_main(["write-instructions", "--model", str(tiny_writer), "--data", str(data), "--output",
                       str(out), "--max-new-tokens", "8", "--limit", "3"])
    assert code == 0
    written = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(written) == 3
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    assert manifest["config"]["max_new_tokens"] == 8 and manifest["counts"]["rows"] == 3
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["rows"] == 3
    plain = write_jsonl(tmp_path / "plain.jsonl", [{"instruction": "x", "code": "y"}])
    assert train_main(["write-instructions", "--model", str(tiny_writer), "--data", str(plain),
                       "--output", str(tmp_path / "o2.jsonl")]) == 2
    assert "--subtrajectories" in capsys.readouterr().err
