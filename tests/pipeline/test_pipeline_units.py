"""Small parts of the pipeline: summary counts, output layout, limits, host factories."""

from __future__ import annotations

from pathlib import Path

import pytest

from lintseq_core.errors import ConfigError
from lintseq_core.pipeline.outcome import Outcome, reject_outcome
from lintseq_core.pipeline.pool import hard_limit, load_host_factory
from lintseq_core.pipeline.summary import Summary
from lintseq_core.pipeline.writers import plan_output


def test_summary_counts_survive_a_checkpoint_round_trip():
    s = Summary()
    s.add(Outcome(0, ("{}", "{}"), None, ((1, 2, 3), (6,)), 0.5))
    s.add(Outcome(1, ("{}",), None, ((2, 2),), 0.25))
    s.add(reject_outcome(2, "syntax_error", "line 1"))
    s.elapsed = 2.0
    r = s.report()
    assert (r["rows_read"], r["converted"], r["rejected"], r["output_rows"]) == (3, 2, 1, 3)
    assert r["rejected_by_reason"] == {"syntax_error": 1}
    assert r["edits_per_program"] == {"count": 3, "mean": 2.0, "median": 2, "p90": 3, "min": 1, "max": 3}
    assert r["lines_per_edit"]["median"] == 2 and r["lines_per_edit"]["max"] == 6
    assert r["programs_per_second"] == 1.5
    assert Summary.from_state(s.to_state()).report() == r
    assert "rejected: syntax_error 1" in s.format()


def test_output_layout(tmp_path: Path):
    p = plan_output(str(tmp_path / "out.jsonl"), None, None, None)
    assert (p.format, p.directory) == ("jsonl", False)
    assert p.rejects.name == "out.rejects.jsonl" and p.manifest.name == "out.manifest.json"
    assert p.state_dir.name == "out.jsonl.lintseq-state"
    assert plan_output(str(tmp_path / "o.parquet"), None, None, None).format == "parquet"
    d = plan_output(str(tmp_path / "shards"), "parquet", 10, str(tmp_path / "r.jsonl"))
    assert d.directory and d.manifest == tmp_path / "shards" / "manifest.json"
    assert d.rejects == tmp_path / "r.jsonl"
    assert [f.name for f in d.data_files(2)] == ["part-00000-of-00002.parquet", "part-00001-of-00002.parquet"]
    with pytest.raises(ConfigError, match="--shard-size"):
        plan_output(str(tmp_path / "x"), None, 0, None)
    with pytest.raises(ConfigError, match="choose one of"):
        plan_output(str(tmp_path / "x"), "csv", None, None)


def test_hard_limit_and_host_factory_errors():
    assert hard_limit(None) is None and hard_limit(2.0) == 3.0 and hard_limit(60.0) == 75.0
    with pytest.raises(ConfigError, match="module:function"):
        load_host_factory("no_colon")
    with pytest.raises(ConfigError, match="cannot import"):
        load_host_factory("no_such_module_xyz:make")
    assert callable(load_host_factory("pipeline_testplugin:make_host"))
