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
