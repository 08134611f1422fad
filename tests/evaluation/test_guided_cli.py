"""``lintseq-eval --guided``: flag checks, the equal-token comparison, and a run end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lintseq_eval.cli import main
from lintseq_eval.guided import GuideConfig, GuidedResult
from lintseq_eval.guided_eval import guided_markdown, interpolated_pass_at, summarize_guided


@pytest.mark.parametrize("extra", [
    ["--samples", "x.jsonl", "--guided"],  # nothing to generate
    ["--model", "m", "--guided", "--format", "baseline"],  # no edits to check
    ["--model", "m", "--guide-retries", "2"],  # a guide flag without --guided
])
def test_guided_usage_errors_exit_2(extra: list[str], tmp_path: Path, shared_data: Path) -> None:
    assert main(["--benchmark", "humaneval", "--dataset", str(shared_data), "--limit", "1",
                 "--output-dir", str(tmp_path / "o"), "-q", *extra]) == 2


def test_interpolated_pass_at() -> None:
    curve = {"1": 0.2, "2": 0.3, "3": 0.5}
    assert interpolated_pass_at(curve, 2) == pytest.approx(0.3)
    assert interpolated_pass_at(curve, 2.5) == pytest.approx(0.4)
    assert interpolated_pass_at(curve, 0.5) == pytest.approx(0.1)  # pass@0 = 0
    assert interpolated_pass_at(curve, 3.5) is None


def test_summary_at_equal_tokens() -> None:
    """Guided samples cost 1.5x the tokens: guided pass@2 is set against unguided pass@3."""
    g = [GuidedResult(edits_kept=2, states_clean=2, kept_tokens=10, rejected_tokens=5, edits_rejected=1,
                      analyzer_calls=3, stop_reason="end")] * 2
    u = [GuidedResult(edits_kept=2, states_clean=1, forced_edits=1, kept_tokens=10, analyzer_calls=2,
                      stop_reason="eos")] * 2
    guided = {"pass_at_k": {"pass@1": 0.25, "pass@2": 0.4}}
    unguided = {"pass_at_k": {"pass@1": 0.2}, "pass_at_k_all": {"1": 0.2, "2": 0.3, "3": 0.35, "4": 0.4}}
    out = summarize_guided(guided, unguided, g, u, 3.0, 2.0, GuideConfig())
    assert out["token_ratio"] == pytest.approx(1.5)
    assert out["pass_at_equal_tokens"]["pass@2"] == {"guided": 0.4, "unguided_k": 3.0, "unguided": 0.35}
    assert out["pass_at_equal_tokens"]["pass@1"]["unguided"] == pytest.approx(0.25)  # k' = 1.5
    run = out["guided_run"]
    assert (run["generated_tokens"], run["extra_tokens"], run["edits_generated"]) == (30, 10, 6)
    assert run["tokens_per_s"] == pytest.approx(10.0) and run["analyzer_calls_per_sample"] == 3
    assert out["unguided_run"]["clean_state_rate"] == pytest.approx(0.5)
    assert out["unguided_run"]["stop_reasons"] == {"eos": 2}
    md = guided_markdown(out)
    assert "| pass@2, equal tokens (unguided k = 3.00) | 40.00% | 35.00% |" in md
    assert "| rejected edits (extra tokens) | 2 (10) | 0 (0) |" in md


@pytest.mark.slow
def test_guided_eval_end_to_end(tiny_model: Path, shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "g"
    rc = main([
        "--benchmark", "humaneval", "--dataset", str(shared_data), "--limit", "2", "--model", str(tiny_model),
        "--n", "2", "--temperature", "1.0", "--max-new-tokens", "24", "--workers", "2", "--timeout", "5",
        "--no-calibrate", "--no-plots", "--output-dir", str(out), "-q",
        "--guided", "--guide-retries", "1", "--guide-on-exhausted", "stop",
    ])
    assert rc == 0
    rows = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    unguided = [json.loads(x) for x in (out / "samples.unguided.jsonl").read_text().splitlines()]
    assert len(rows) == len(unguided) == 4
    for r in rows:
        g = r["guide"]
        assert g["generated_tokens"] == g["kept_tokens"] + g["rejected_tokens"] == r["generated_tokens"]
        assert g["forced_edits"] == 0 and g["max_retries_used"] <= 1 and g["stop_reason"]
        assert g["kept_tokens"] <= 24
    assert all(u["guide"]["edits_rejected"] == 0 for u in unguided)
    summary = json.loads((out / "summary.json").read_text())
    block = summary["guided"]
    assert set(block["pass_at_k"]) == {"guided", "unguided"} and "pass@2" in block["pass_at_k"]["unguided"]
    assert block["guided_run"]["samples"] == 4 and block["config"]["retries"] == 1
    assert block["guided_run"]["generated_tokens"] == sum(r["generated_tokens"] for r in rows)
    assert set(block["pass_at_equal_tokens"]) == {"pass@1", "pass@2"}
    report = (out / "report.md").read_text()
    assert "## Lint-guided decoding" in report and "| pass@2, equal samples |" in report
