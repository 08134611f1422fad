"""End to end on CPU: a tiny random model generates, its diffs are resolved, run and scored.

The model is a 2-layer LlamaConfig with a BPE tokenizer trained here (``<|diff|>`` is a
special token); nothing is downloaded. The score will be ~0: the test checks the pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from lintseq_eval.benchmarks import load_benchmark  # noqa: E402
from lintseq_eval.cli import main  # noqa: E402
from lintseq_eval.programs import canonical_program, model_prompt  # noqa: E402

from lintseq_core.edits import DIFF_TOKEN  # noqa: E402


def test_prompt_tokenizes_with_diff_token(tiny_model: Path, shared_data: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model, local_files_only=True)
    task = load_benchmark("humaneval", shared_data, limit=1).tasks[0]
    ids = tok(model_prompt(task, "editseq"))["input_ids"]
    assert ids[-1] == tok.convert_tokens_to_ids(DIFF_TOKEN)


@pytest.mark.slow
def test_tiny_model_end_to_end(tiny_model: Path, shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    rc = main([
        "--benchmark", "humaneval", "--dataset", str(shared_data), "--limit", "3",
        "--model", str(tiny_model), "--format", "editseq", "--n", "2", "--temperature", "1.0",
        "--top-p", "0.95", "--max-new-tokens", "32", "--batch-size", "4", "--workers", "2",
        "--timeout", "5", "--output-dir", str(out), "-q",
    ])
    assert rc == 0
    gens = [json.loads(x) for x in (out / "generations.jsonl").read_text().splitlines()]
    assert len(gens) == 6 and {g["task_id"] for g in gens} == {"HumanEval/0", "HumanEval/1", "HumanEval/2"}
    assert all(0 < g["generated_tokens"] <= 32 for g in gens)
    rows = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    assert len(rows) == 6
    assert {r["status"] for r in rows} <= {"PASS", "FAIL", "TIMEOUT"}  # never ERROR
    assert all(r["reason"] for r in rows if r["status"] != "PASS")
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["pass_at_k"]) == {"pass@1", "pass@2"}
    assert summary["num_params"] > 0 and summary["flops_per_sample"] > 0
    assert summary["config"]["generation"]["n"] == 2 and summary["config"]["sandbox"] in ("bwrap", "process")
    assert summary["dataset"]["sha256"] and summary["environment"]["packages"]["torch"]
    for png in ("pass_at_k.png", "pass_at_k_vs_flops.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| pass@1 |" in (out / "report.md").read_text()


def test_samples_file_scoring(tmp_path: Path, shared_data: Path) -> None:
    """--samples with edit sequences: a correct edit path passes, a truncated one fails."""
    from lintseq_core.edits import edit_path_from_states

    bench = load_benchmark("humaneval", shared_data, limit=2)
    rows = []
    for task in bench.tasks:
        lines = canonical_program(task).split("\n")
        half = list(range(0, len(lines), 2))
        edits = edit_path_from_states(lines, [[], half, list(range(len(lines)))])
        rows.append({"task_id": task.task_id, "completion": "".join(e + "\n" + DIFF_TOKEN for e in edits)})
        rows.append({"task_id": task.task_id, "completion": edits[0] + "\n" + DIFF_TOKEN})
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "r"
    assert main(["--benchmark", "humaneval", "--dataset", str(shared_data), "--samples", str(path),
                 "--format", "editseq", "--output-dir", str(out), "--no-plots", "-q", "--num-params", "1000"]) == 0
    res = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    assert [r["status"] for r in res] == ["PASS", "FAIL", "PASS", "FAIL"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["pass_at_k"]["pass@1"] == pytest.approx(0.5)
    assert summary["pass_at_k"]["pass@2"] == pytest.approx(1.0)


def test_cli_errors_exit_2(tmp_path: Path, shared_data: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"task_id": "HumanEval/9999", "completion": ""}\n')
    assert main(["--benchmark", "humaneval", "--dataset", str(shared_data), "--samples", str(bad),
                 "--output-dir", str(tmp_path / "o")]) == 2
