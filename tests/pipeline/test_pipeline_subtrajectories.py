"""``lintseq-core convert --subtrajectories K``: D3 rows in every language and input format,
exact replay, rejects, determinism across workers, and resume after an interruption."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from pipeline_helpers import HOST, read_jsonl, run_cli, write_jsonl

from lintseq_core.convert import ConvertConfig
from lintseq_core.edits import resolve_edit_path
from lintseq_core.errors import ConfigError
from lintseq_core.pipeline import PipelineOptions, RunResult, run_pipeline
from lintseq_core.subtrajectories import replay

SUB_FIELDS = ("subtrajectory", "start_index", "end_index", "num_states", "start_state", "end_state")


def _convert(tmp_path: Path, name: str, input_path: Path, *, host: str | None = HOST,
             **opts) -> RunResult:
    cfg_keys = {"instruction_field", "language", "language_field", "seed", "samples_per_program",
                "subtrajectories", "start_weights", "timeout"}
    cfg = ConvertConfig(**{k: v for k, v in opts.items() if k in cfg_keys})
    options = PipelineOptions(input=str(input_path), output=str(tmp_path / name), progress=False,
                              plugin_host=host, **{k: v for k, v in opts.items() if k not in cfg_keys})
    return run_pipeline(cfg, options)


def _check_rows(rows: list[dict], k: int, samples: int = 1) -> None:
    """Exact replay, K rows per sequence, indices consistent with the paths."""
    by_seq: dict[tuple[int, int], list[dict]] = {}
    for row in rows:
        assert all(f in row for f in SUB_FIELDS), sorted(row)
        assert replay(row["start_state"], row["edit_path"]) == row["end_state"]
        assert 0 <= row["start_index"] < row["end_index"] <= row["num_edits"] == row["num_states"] - 1
        assert len(row["edit_path"]) == row["end_index"] - row["start_index"]
        if row["end_index"] == row["num_edits"]:
            assert row["end_state"] == row["program"]
        by_seq.setdefault((row["index"], row["sample"]), []).append(row)
    for group in by_seq.values():
        assert [r["subtrajectory"] for r in group] == list(range(k))
    assert len({i for i, _ in by_seq}) * samples == len(by_seq)


@pytest.mark.slow
def test_bundled_sample_with_subtrajectories(tmp_path: Path) -> None:
    """Real plugins, the README's first command plus --subtrajectories 4."""
    res = run_cli(["--subtrajectories", "4", "-o", "sub.jsonl"], cwd=tmp_path, host=None)
    assert res.returncode == 0, res.stderr
    plain = run_cli(["-o", "plain.jsonl"], cwd=tmp_path, host=None)
    assert plain.returncode == 0, plain.stderr
    rows, full = read_jsonl(tmp_path / "sub.jsonl"), read_jsonl(tmp_path / "plain.jsonl")
    _check_rows(rows, 4)
    assert len(rows) == 4 * len(full)
    # Same sequences underneath: each row's path is a slice of the plain run's path.
    by_index = {r["index"]: r for r in full}
    for row in rows:
        path = by_index[row["index"]]["edit_path"]
        assert row["edit_path"] == path[row["start_index"]: row["end_index"]]
        assert row["start_state"] == (resolve_edit_path(path[: row["start_index"]]))
    # Rejects are those of the plain run, row for row.
    assert (tmp_path / "sub.rejects.jsonl").read_bytes() == (tmp_path / "plain.rejects.jsonl").read_bytes()
    manifest = json.loads((tmp_path / "sub.manifest.json").read_text())
    assert manifest["config"]["subtrajectories"] == 4 and manifest["config"]["start_weights"] == "d3"
    starts_from_empty = sum(r["start_index"] == 0 for r in rows if r["num_states"] > 2)
    multi = sum(r["num_states"] > 2 for r in rows)
    assert multi >= 40 and 0.3 < starts_from_empty / multi < 0.7


def _humaneval_x(shared_data: Path, lang: str, n: int) -> list[dict]:
    with gzip.open(shared_data / "humaneval-x" / f"humaneval_{lang}.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()][:n]
    return [{"lang": lang, "text": r["task_id"], "code": r["prompt"] + r["canonical_solution"]} for r in rows]


@pytest.mark.slow
def test_every_language_and_input_format(tmp_path: Path, shared_data: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    rows = [*_humaneval_x(shared_data, "python", 3), *_humaneval_x(shared_data, "go", 3),
            *_humaneval_x(shared_data, "js", 3),
            {"lang": "python", "text": "broken", "code": "def f(:\n"},
            {"lang": "cobol", "text": "unknown", "code": "DISPLAY 'HI'."}]
    inputs = {"jsonl": write_jsonl(tmp_path / "in.jsonl", rows)}
    table = pa.Table.from_pylist(rows)
    pq.write_table(table, tmp_path / "in.parquet")
    inputs["parquet"] = tmp_path / "in.parquet"
    pcsv.write_csv(table, tmp_path / "in.csv")
    inputs["csv"] = tmp_path / "in.csv"
    (tmp_path / "in.json").write_text(json.dumps(rows), encoding="utf-8")
    inputs["json"] = tmp_path / "in.json"
    outputs = {}
    for fmt, path in inputs.items():
        res = _convert(tmp_path, f"{fmt}.jsonl", path, host=None, language_field="lang",
                       instruction_field="text", subtrajectories=3, seed=5)
        assert res.summary.converted == 9, fmt
        outputs[fmt] = (tmp_path / f"{fmt}.jsonl").read_bytes()
        rejects = {r["index"]: r["reason"] for r in read_jsonl(tmp_path / f"{fmt}.rejects.jsonl")}
        assert rejects == {9: "syntax_error", 10: "unknown_language"}, fmt
    assert len(set(outputs.values())) == 1
    out = read_jsonl(tmp_path / "jsonl.jsonl")
    _check_rows(out, 3)
    assert {r["language"] for r in out} == {"python", "go", "javascript"}
    assert all(r["instruction"] == rows[r["index"]]["text"] for r in out)


def test_one_and_two_workers_give_identical_output(tmp_path: Path, mbpp_rows: list[dict]) -> None:
    path = write_jsonl(tmp_path / "mbpp.jsonl", mbpp_rows[:60])
    common = {"instruction_field": "text", "samples_per_program": 2, "subtrajectories": 4}
    a = _convert(tmp_path, "w1.jsonl", path, workers=1, **common)
    _convert(tmp_path, "w2.jsonl", path, workers=2, **common)
    assert (tmp_path / "w1.jsonl").read_bytes() == (tmp_path / "w2.jsonl").read_bytes()
    rows = read_jsonl(tmp_path / "w1.jsonl")
    _check_rows(rows, 4, samples=2)
    assert a.summary.output_rows == len(rows) == 8 * a.summary.converted
    _convert(tmp_path, "s1.jsonl", path, seed=1, **common)
    assert (tmp_path / "s1.jsonl").read_bytes() != (tmp_path / "w1.jsonl").read_bytes()
    _convert(tmp_path, "u.jsonl", path, start_weights="uniform", **common)
    assert (tmp_path / "u.jsonl").read_bytes() != (tmp_path / "w1.jsonl").read_bytes()


class _Interrupt(Exception):
    pass


def test_interrupted_run_resumes_to_the_same_bytes(tmp_path: Path, mbpp_rows: list[dict]) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [{"text": r["text"], "code": r["code"]} for r in mbpp_rows[:40]])
    common = {"instruction_field": "text", "subtrajectories": 4, "checkpoint_seconds": 0.0}

    def stop_at(seq: int) -> None:
        if seq >= 15:
            raise _Interrupt

    cfg = ConvertConfig(instruction_field="text", subtrajectories=4)
    options = PipelineOptions(input=str(path), output=str(tmp_path / "cut.jsonl"), progress=False,
                              plugin_host=HOST, checkpoint_seconds=0.0)
    with pytest.raises(_Interrupt):
        run_pipeline(cfg, options, on_checkpoint=stop_at)
    state = tmp_path / "cut.jsonl.lintseq-state"
    assert state.is_dir() and not (tmp_path / "cut.jsonl").exists()
    with pytest.raises(ConfigError, match="config"):  # other K: refused, not mixed
        _convert(tmp_path, "cut.jsonl", path, resume=True, **{**common, "subtrajectories": 2})
    resumed = _convert(tmp_path, "cut.jsonl", path, resume=True, workers=2, **common)
    assert resumed.manifest["resumed"] == 1
    _convert(tmp_path, "clean.jsonl", path, **common)
    assert (tmp_path / "cut.jsonl").read_bytes() == (tmp_path / "clean.jsonl").read_bytes()
    _check_rows(read_jsonl(tmp_path / "cut.jsonl"), 4)


def test_cli_rejects_impossible_options(tmp_path: Path) -> None:
    res = run_cli(["--start-weights", "uniform"], cwd=tmp_path)
    assert res.returncode == 2 and "--start-weights needs --subtrajectories" in res.stderr
    res = run_cli(["--subtrajectories", "0"], cwd=tmp_path)
    assert res.returncode == 2 and "--subtrajectories must be >= 1" in res.stderr
    with pytest.raises(ConfigError, match="start-weights"):
        ConvertConfig(subtrajectories=2, start_weights="half")


def test_sequence_counters_are_summed_once_per_sequence() -> None:
    """K rows of one sequence carry its --verify counters; the summary counts them once."""
    pytest.importorskip("pylint")
    from lintseq_core.convert import RowConverter
    from lintseq_core.host import get_host
    from lintseq_core.pipeline.outcome import convert_one

    host = get_host()
    row = {"instruction": "x", "code": "import os\n\ndef f(a):\n    b = a + 1\n    return os.path.join(str(b), 'x')\n"}
    plain = convert_one(RowConverter(host, ConvertConfig(verify=True, samples_per_program=2)), 0, row)
    sub = convert_one(RowConverter(host, ConvertConfig(verify=True, samples_per_program=2, subtrajectories=4)),
                      0, row)
    assert len(plain.lines) == 2 and len(sub.lines) == 8
    assert plain.verify[0] == 2 and sub.verify == plain.verify


def test_show_renders_a_row_from_its_start_state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lintseq_core.cli import main as core_main

    lines = ["a = 1", "b = a", "c = b"]
    path = ["@@ -0,0 +1 @@\n+a = 1", "@@ -1,0 +2 @@\n+b = a", "@@ -2,0 +3 @@\n+c = b"]
    row = {"index": 0, "sample": 0, "subtrajectory": 0, "start_index": 1, "end_index": 3, "num_states": 4,
           "start_state": "a = 1", "edit_path": path[1:], "end_state": "\n".join(lines)}
    out = write_jsonl(tmp_path / "sub.jsonl", [row])
    assert core_main(["show", str(out), "--program", "--color", "never"]) == 0
    text = capsys.readouterr().out
    assert "start: state 1 of 0..3" in text and "edit 2/2" in text
    assert text.rstrip().endswith("a = 1\nb = a\nc = b")
