"""``--engine ray`` on a local single-node cluster gives the local engine's bytes."""

from __future__ import annotations

import pytest
from pipeline_helpers import HOST, read_jsonl, write_jsonl

from lintseq_core.convert import ConvertConfig
from lintseq_core.pipeline import PipelineOptions, run_pipeline

ray = pytest.importorskip("ray")


@pytest.mark.slow
def test_ray_engine_matches_local_engine(tmp_path, mbpp_rows):
    rows: list = [{"text": r["text"], "code": r["code"]} for r in mbpp_rows[:60]]
    rows[5] = {"text": "crash", "code": "x = 1\nCRASH_ME = x\n"}
    rows[9] = "{not json"
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    config = ConvertConfig(instruction_field="text", linter="crashy", samples_per_program=2, timeout=5)
    out = {}
    for engine in ("local", "ray"):
        options = PipelineOptions(input=str(path), output=str(tmp_path / f"{engine}.jsonl"), engine=engine,
                                  workers=2, progress=False, plugin_host=HOST)
        try:
            out[engine] = run_pipeline(config, options)
        finally:
            if engine == "ray" and ray.is_initialized():  # the engine shuts down what it started
                ray.shutdown()
                pytest.fail("the Ray engine left its local cluster running")
    assert not ray.is_initialized()
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert (tmp_path / "ray.rejects.jsonl").read_bytes() == (tmp_path / "local.rejects.jsonl").read_bytes()
    rejects = {r["index"]: r["reason"] for r in read_jsonl(tmp_path / "ray.rejects.jsonl")}
    assert rejects == {5: "worker_crash", 9: "malformed_json"}
    assert out["ray"].manifest["pipeline"]["engine"] == "ray" and "ray" in out["ray"].manifest["versions"]


@pytest.mark.slow
def test_ray_reads_shards_on_the_workers_with_the_local_engines_bytes(tmp_path, mbpp_rows, monkeypatch):
    """A folder of JSONL and Parquet shards: Ray actors read the shards (the driver reads
    only the first rows of the first shard, to check the fields), seed rows by (shard, row),
    and the output and rejects are the local engine's, byte for byte."""
    from test_pipeline_shards import make_shards

    import lintseq_core.pipeline.readers as readers

    rows: list = [{"text": r["text"], "code": r["code"]} for r in (mbpp_rows * 3)[:20]]
    rows[10] = {"text": "crash", "code": "x = 1\nCRASH_ME = x\n"}
    data = make_shards(tmp_path / "data", rows)
    config = ConvertConfig(instruction_field="text", linter="crashy", samples_per_program=2, timeout=5)
    local = PipelineOptions(input=str(data), output=str(tmp_path / "local.jsonl"), workers=2,
                            progress=False, plugin_host=HOST)
    run_pipeline(config, local)

    read_here: list[str] = []
    real = readers.read_shard

    def spy(shard, start=0):
        read_here.append(shard.name)
        return real(shard, start)

    monkeypatch.setattr(readers, "read_shard", spy)
    options = PipelineOptions(input=str(data), output=str(tmp_path / "ray.jsonl"), engine="ray",
                              workers=2, progress=False, plugin_host=HOST)
    try:
        result = run_pipeline(config, options)
    finally:
        if ray.is_initialized():
            ray.shutdown()
            pytest.fail("the Ray engine left its local cluster running")
    assert set(read_here) <= {"a.jsonl"}, f"the driver read shards itself: {read_here}"
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert (tmp_path / "ray.rejects.jsonl").read_bytes() == (tmp_path / "local.rejects.jsonl").read_bytes()
    rejects = {(r["shard"], r["index"]): r["reason"] for r in read_jsonl(tmp_path / "ray.rejects.jsonl")}
    assert rejects == {("a.jsonl", 4): "malformed_json", ("sub/b.jsonl", 2): "worker_crash"}
    assert result.manifest["input"]["shards"] == 3
