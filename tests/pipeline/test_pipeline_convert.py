"""``lintseq-core convert`` and ``run_pipeline``: every row accounted for, same output for any layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pipeline_helpers import HOST, read_jsonl, run_cli, write_jsonl

from lintseq_core.convert import ConvertConfig
from lintseq_core.edits import resolve_edit_path
from lintseq_core.errors import ConfigError
from lintseq_core.pipeline import PipelineOptions, RunResult, run_pipeline


def _accounted(out_rows: list[dict], rejects: list[dict], n: int) -> None:
    """Every input index is in the output or the rejects, never both, never missing."""
    converted = {r["index"] for r in out_rows}
    rejected = [r["index"] for r in rejects]
    assert len(rejected) == len(set(rejected))
    assert not converted & set(rejected)
    assert converted | set(rejected) == set(range(n))


def test_default_command_converts_the_bundled_sample(tmp_path):
    res = run_cli(["--lang", "python"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    rows = read_jsonl(tmp_path / "sample.lintseq.jsonl")
    rejects = read_jsonl(tmp_path / "sample.lintseq.rejects.jsonl")
    manifest = json.loads((tmp_path / "sample.lintseq.manifest.json").read_text())
    assert manifest["counts"]["rows_read"] == len(rows) + len(rejects) >= 40
    _accounted(rows, rejects, manifest["counts"]["rows_read"])
    for row in rows:
        assert resolve_edit_path(row["edit_path"]) == row["program"]
        assert row["instruction"] and row["language"] == "python" and row["linter"] == "ast-test"
        assert row["num_edits"] == len(row["edit_path"])
    crlf = [r for r in rows if "\r\n" in r["source_code"]]
    assert crlf and all("\r\n" in r["program"] for r in crlf)  # --newlines keep: byte exact
    fenced = [r for r in rows if "```" in r["source_code"]]
    assert fenced and all("```" not in r["program"] for r in fenced)
    assert "rows read" in res.stderr and "programs/s" in res.stderr
    assert manifest["input"]["fingerprint"].startswith("sha256:")
    assert manifest["versions"]["python"] and manifest["config"]["seed"] == 0


def test_bad_rows_are_rejected_with_reasons_and_the_rest_converts(tmp_path):
    good = {"instruction": "add", "code": "def add(a, b):\n    return a + b\n"}
    long_program = "".join(f"v{i} = {i}\n" for i in range(5000))
    lines = [
        json.dumps(good),
        json.dumps({"instruction": "empty", "code": ""}),
        json.dumps({"instruction": "comment", "code": "# nothing here\n\n# at all\n"}),
        json.dumps({"instruction": "syntax", "code": "def f(:\n    return 1\n"}),
        None,  # non-UTF-8 bytes, written below
        json.dumps({"instruction": "long", "code": long_program}),
        json.dumps({"instruction": "no code field"}),
        '{"instruction": "malformed", "code": "x = 1"',
        json.dumps({"instruction": "number", "code": 42}),
        json.dumps({"instruction": "md", "code": "Answer:\n```python\nx = 1\nprint(x)\n```\n"}),
        json.dumps(good),
    ]
    path = tmp_path / "bad.jsonl"
    with open(path, "wb") as f:
        for line in lines:
            f.write(b'{"instruction": "latin", "code": "caf\xe9 = 1"}' if line is None else line.encode())
            f.write(b"\n")
    res = run_cli(["--lang", "python", "-i", str(path), "-o", str(tmp_path / "out.jsonl"),
                   "--timeout", "2", "--workers", "2"], cwd=tmp_path, timeout=90)
    assert res.returncode == 0, res.stderr
    rows = read_jsonl(tmp_path / "out.jsonl")
    rejects = read_jsonl(tmp_path / "out.rejects.jsonl")
    _accounted(rows, rejects, len(lines))
    reasons = {r["index"]: r["reason"] for r in rejects}
    assert reasons == {
        1: "empty_program", 2: "no_code_lines", 3: "syntax_error", 4: "not_utf8",
        5: "timeout", 6: "missing_field", 7: "malformed_json", 8: "not_a_string",
    }
    assert {r["index"] for r in rows} == {0, 9, 10}
    by_index = {r["index"]: r for r in rejects}
    assert "line 5" in by_index[4]["detail"] and by_index[7]["line"] == 8
    assert "'code'" in by_index[6]["detail"] and "--code-field" in by_index[6]["detail"]
    manifest = json.loads((tmp_path / "out.manifest.json").read_text())
    assert manifest["counts"]["rejected_by_reason"]["timeout"] == 1


def _convert(tmp_path: Path, name: str, input_path: Path, **opts) -> RunResult:
    cfg_keys = {"instruction_field", "code_field", "seed", "samples_per_program", "linter",
                "language_field", "instruction_template", "timeout", "sampler"}
    cfg = ConvertConfig(**{k: v for k, v in opts.items() if k in cfg_keys})
    options = PipelineOptions(input=str(input_path), output=str(tmp_path / name), progress=False,
                              plugin_host=HOST, instruction_field_explicit=bool(opts.get("instruction_field")),
                              **{k: v for k, v in opts.items() if k not in cfg_keys})
    return run_pipeline(cfg, options)



def test_one_and_two_workers_give_byte_identical_output(tmp_path, mbpp_rows):
    rows = mbpp_rows[:150]
    path = write_jsonl(tmp_path / "mbpp.jsonl", rows)
    a = _convert(tmp_path, "w1.jsonl", path, instruction_field="text", samples_per_program=2, workers=1)
    b = _convert(tmp_path, "w2.jsonl", path, instruction_field="text", samples_per_program=2, workers=2)
    assert (tmp_path / "w1.jsonl").read_bytes() == (tmp_path / "w2.jsonl").read_bytes()
    assert (tmp_path / "w1.rejects.jsonl").read_bytes() == (tmp_path / "w2.rejects.jsonl").read_bytes()
    assert a.summary.report()["output_rows"] == b.summary.report()["output_rows"] > len(rows)
    c = _convert(tmp_path, "s1.jsonl", path, instruction_field="text", samples_per_program=2, seed=1)
    assert (tmp_path / "s1.jsonl").read_bytes() != (tmp_path / "w1.jsonl").read_bytes()
    assert c.summary.rows_read == len(rows)


def test_crashing_hanging_and_raising_analyzer_lose_no_other_row(tmp_path, mbpp_rows):
    rows = [{"text": r["text"], "code": r["code"]} for r in mbpp_rows[:30]]
    rows[3]["code"] = "x = 1\nCRASH_ME = x\n"  # segfaults the worker
    rows[11]["code"] = "y = 2\nHANG_ME = y\n"  # never returns
    rows[12]["code"] = "z = 3\nRAISE_ME = z\n"  # a plugin bug
    rows[26]["code"] = "w = 4\nCRASH_ME = w\n"  # later, when batches have grown
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    res = _convert(tmp_path, "out.jsonl", path, instruction_field="text", linter="crashy",
                   timeout=1.0, workers=2)
    out, rejects = read_jsonl(tmp_path / "out.jsonl"), read_jsonl(tmp_path / "out.rejects.jsonl")
    _accounted(out, rejects, 30)
    reasons = {r["index"]: r["reason"] for r in rejects}
    assert reasons == {3: "worker_crash", 11: "timeout", 12: "plugin_error", 26: "worker_crash"}
    assert "SIGSEGV" in rejects[0]["detail"]
    assert res.summary.converted == 26
    # The rows converted around the crash are exactly those of an undisturbed run: the same
    # analysis without the sabotage (``ast-test``), all else equal.
    _convert(tmp_path, "calm.jsonl", path, instruction_field="text", linter="ast-test", timeout=1.0)
    calm = [r for r in read_jsonl(tmp_path / "calm.jsonl") if r["index"] not in reasons]
    assert len(calm) == 26
    assert [{**r, "linter": None} for r in out] == [{**r, "linter": None} for r in calm]


def test_output_formats_hold_the_same_rows(tmp_path, mbpp_rows):
    pytest.importorskip("pyarrow")
    datasets = pytest.importorskip("datasets")
    import pyarrow.parquet as pq

    path = write_jsonl(tmp_path / "in.jsonl", mbpp_rows[:40])
    _convert(tmp_path, "o.jsonl", path, instruction_field="text")
    ref = read_jsonl(tmp_path / "o.jsonl")
    _convert(tmp_path, "p.parquet", path, instruction_field="text")
    assert pq.read_table(tmp_path / "p.parquet").to_pylist() == ref
    res = _convert(tmp_path, "shards", path, instruction_field="text", shard_size=15)
    shards = sorted((tmp_path / "shards").glob("part-*.jsonl"))
    assert [p.name for p in shards] == [f"part-0000{k}-of-00003.jsonl" for k in range(3)]
    assert [r for p in shards for r in read_jsonl(p)] == ref
    assert (tmp_path / "shards" / "manifest.json").is_file() and res.plan.rejects.parent.name == "shards"
    _convert(tmp_path, "ds", path, instruction_field="text", output_format="datasets", shard_size=25)
    ds = datasets.load_from_disk(str(tmp_path / "ds"))
    assert ds.to_list() == ref
    assert json.loads((tmp_path / "ds" / "manifest.json").read_text())["counts"]["converted"] == 40


def test_language_field_and_instruction_template(tmp_path):
    rows = [
        {"lang": "python", "text": "add", "tests": "assert add(1, 2) == 3", "code": "def add(a, b):\n    return a + b\n"},
        {"lang": "py", "text": "one", "tests": "", "code": "x = 1\n"},
        {"lang": "cobol", "text": "n/a", "tests": "", "code": "DISPLAY 'HI'."},
        {"text": "no language", "tests": "", "code": "y = 2\n"},
    ]
    path = write_jsonl(tmp_path / "mixed.jsonl", rows)
    _convert(tmp_path, "m.jsonl", path, language_field="lang", instruction_template="{text}\nTests: {tests}",
             instruction_field=None)
    out, rejects = read_jsonl(tmp_path / "m.jsonl"), read_jsonl(tmp_path / "m.rejects.jsonl")
    assert [r["index"] for r in out] == [0, 1]
    assert out[0]["instruction"] == "add\nTests: assert add(1, 2) == 3" and out[1]["language"] == "python"
    assert {r["index"]: r["reason"] for r in rejects} == {2: "unknown_language", 3: "missing_language"}


def test_clear_errors_for_wrong_fields_empty_files_and_missing_columns(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = write_jsonl(tmp_path / "in.jsonl", [{"program": "x = 1\n", "instruction": "i"}] * 3)
    with pytest.raises(ConfigError, match=r"no field 'code'.*program.*--code-field"):
        _convert(tmp_path, "a.jsonl", path)
    (tmp_path / "empty.jsonl").write_text("")
    with pytest.raises(ConfigError, match="empty"):
        _convert(tmp_path, "b.jsonl", tmp_path / "empty.jsonl")
    pq.write_table(pa.table({"text": ["x"], "solution": ["x = 1\n"]}), tmp_path / "t.parquet")
    with pytest.raises(ConfigError, match=r"no column 'code' \(columns: text, solution\)"):
        _convert(tmp_path, "c.jsonl", tmp_path / "t.parquet")
    with pytest.raises(ConfigError, match=r"no column 'prompt'"):
        _convert(tmp_path, "d.jsonl", tmp_path / "t.parquet", code_field="solution", instruction_field="prompt")
    _convert(tmp_path, "e.jsonl", tmp_path / "t.parquet", code_field="solution", instruction_field="text")
    assert read_jsonl(tmp_path / "e.jsonl")[0]["instruction"] == "x"
    # JSON Lines: a named instruction field that no row has is an error; the default one, a warning.
    path = write_jsonl(tmp_path / "noinstr.jsonl", [{"code": "x = 1\n", "text": "t"}] * 2)
    with pytest.raises(ConfigError, match=r"no field 'prompt'.*text.*--no-instruction"):
        _convert(tmp_path, "f.jsonl", path, instruction_field="prompt")
    _convert(tmp_path, "g.jsonl", path)
    assert [r["instruction"] for r in read_jsonl(tmp_path / "g.jsonl")] == [None, None]


def test_cli_errors_say_what_to_change(tmp_path):
    res = run_cli(["--lang", "python", "--sampels-per-program", "2"], cwd=tmp_path)
    assert res.returncode == 2 and "did you mean --samples-per-program" in res.stderr
    res = run_cli(["--lang", "python", "--linter", "nope"], cwd=tmp_path)
    assert res.returncode == 2 and "choose one of" in res.stderr and "ast-test" in res.stderr
    res = run_cli(["--lang", "python", "--limit", "3", "-q"], cwd=tmp_path)
    assert res.returncode == 0 and res.stderr == ""
    res = run_cli(["--lang", "python", "--limit", "3"], cwd=tmp_path)
    assert res.returncode == 2 and "--overwrite" in res.stderr
    res = run_cli(["--lang", "python", "--limit", "3", "--overwrite", "--sampler", "random"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert {r["sampler"] for r in read_jsonl(tmp_path / "sample.lintseq.jsonl")} == {"random"}
