"""A folder or a glob of JSONL / Parquet shards: rows identified by (shard, row), the same
bytes whatever else is in the folder, bad rows rejected naming their shard, resume by shard."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pipeline_helpers import HOST, read_jsonl, write_jsonl

import lintseq_core.pipeline.readers as readers
from lintseq_core.convert import ConvertConfig
from lintseq_core.errors import ConfigError
from lintseq_core.pipeline import PipelineOptions, run_pipeline

CONFIG = ConvertConfig(instruction_field="text", samples_per_program=2)


def make_shards(root: Path, rows: list[dict]) -> Path:
    """Three shards: JSONL with a malformed line, JSONL in a sub-folder, Parquet; and a
    file that is not a shard."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    (root / "sub").mkdir(parents=True)
    write_jsonl(root / "a.jsonl", [*rows[:4], "{broken", *rows[4:8]])
    write_jsonl(root / "sub" / "b.jsonl", rows[8:14])
    pq.write_table(pa.Table.from_pylist(rows[14:20]), root / "c.parquet")
    (root / "README.txt").write_text("not data")
    return root


def convert(tmp_path: Path, name: str, source: str | Path, **options) -> tuple[list[dict], list[dict]]:
    run_pipeline(CONFIG, PipelineOptions(input=str(source), output=str(tmp_path / name), progress=False,
                                         plugin_host=HOST, **options))
    return read_jsonl(tmp_path / name), read_jsonl(tmp_path / name.replace(".jsonl", ".rejects.jsonl"))


@pytest.fixture
def rows(mbpp_rows) -> list[dict]:
    return [{"text": r["text"], "code": r["code"]} for r in (mbpp_rows * 3)[:20]]


def test_rows_are_identified_by_shard_and_row(tmp_path, rows):
    data = make_shards(tmp_path / "data", rows)
    out, rejects = convert(tmp_path, "out.jsonl", data)
    assert [(r["shard"], r["index"]) for r in out][::2] == (
        [("a.jsonl", i) for i in (0, 1, 2, 3, 5, 6, 7, 8)]
        + [("c.parquet", i) for i in range(6)] + [("sub/b.jsonl", i) for i in range(6)])
    assert rejects == [{"index": 4, "shard": "a.jsonl", "reason": "malformed_json",
                        "detail": rejects[0]["detail"], "line": 5}]
    manifest = json.loads((tmp_path / "out.manifest.json").read_text())
    assert manifest["input"]["shards"] == 3 and manifest["input"]["format"] == "jsonl+parquet-shards"

    # A shard's rows do not depend on the other shards: alone, in a glob, under another
    # root, the same shard gives the same bytes.
    alone = tmp_path / "alone"
    (alone / "sub").mkdir(parents=True)
    shutil.copy(data / "sub" / "b.jsonl", alone / "sub" / "b.jsonl")
    out_alone, _ = convert(tmp_path, "alone.jsonl", alone)
    assert out_alone == [r for r in out if r["shard"] == "sub/b.jsonl"]
    out_glob, _ = convert(tmp_path, "glob.jsonl", f"{data}/*.jsonl")
    assert out_glob == [r for r in out if r["shard"] == "a.jsonl"]


def test_the_shard_name_seeds_the_sampler(tmp_path, rows):
    """Two shards with the same rows under different names sample differently."""
    (tmp_path / "twins").mkdir()
    for name in ("x.jsonl", "y.jsonl"):
        write_jsonl(tmp_path / "twins" / name, rows)
    out, _ = convert(tmp_path, "twins.jsonl", tmp_path / "twins")
    x = [r["edit_path"] for r in out if r["shard"] == "x.jsonl"]
    y = [r["edit_path"] for r in out if r["shard"] == "y.jsonl"]
    assert len(x) == len(y) > 0 and x != y


def test_workers_and_in_process_agree_on_shards(tmp_path, rows):
    data = make_shards(tmp_path / "data", rows)
    convert(tmp_path, "w1.jsonl", data)
    convert(tmp_path, "w2.jsonl", data, workers=2)
    assert (tmp_path / "w1.jsonl").read_bytes() == (tmp_path / "w2.jsonl").read_bytes()
    assert (tmp_path / "w1.rejects.jsonl").read_bytes() == (tmp_path / "w2.rejects.jsonl").read_bytes()


def test_no_shards_is_a_clear_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("x")
    with pytest.raises(ConfigError, match="no JSONL or Parquet shards"):
        convert(tmp_path, "out.jsonl", tmp_path / "empty")


class Interrupt(Exception):
    """Stops a run at a checkpoint, as a kill would."""


def test_resume_skips_finished_shards(tmp_path, rows, monkeypatch):
    data = make_shards(tmp_path / "data", rows)
    clean, clean_rejects = convert(tmp_path, "clean.jsonl", data)

    def stop(seq: int) -> None:
        if seq >= 11:  # past the first shard (9 rows), inside the second
            raise Interrupt

    options = PipelineOptions(input=str(data), output=str(tmp_path / "cut.jsonl"), progress=False,
                              plugin_host=HOST, checkpoint_seconds=0.0)
    with pytest.raises(Interrupt):
        run_pipeline(CONFIG, options, on_checkpoint=stop)
    checkpoint = json.loads((tmp_path / "cut.jsonl.lintseq-state" / "checkpoint.json").read_text())
    assert checkpoint["shard_position"] == [1, 2] and checkpoint["next_seq"] == 11

    opened: list[tuple[str, int]] = []
    real = readers.read_shard

    def spy(shard, start=0):
        opened.append((shard.name, start))
        return real(shard, start)

    monkeypatch.setattr(readers, "read_shard", spy)
    resumed = PipelineOptions(input=str(data), output=str(tmp_path / "cut.jsonl"), progress=False,
                              plugin_host=HOST, resume=True)
    result = run_pipeline(CONFIG, resumed)
    # The first shard was read only for the field check (its first rows), never converted
    # again; the second was read from its third row.
    assert ("c.parquet", 2) in opened and ("a.jsonl", 0) not in opened[1:]
    assert result.manifest["resumed"] == 1
    assert (tmp_path / "cut.jsonl").read_bytes() == (tmp_path / "clean.jsonl").read_bytes()
    assert read_jsonl(tmp_path / "cut.rejects.jsonl") == clean_rejects and len(clean) > 11
