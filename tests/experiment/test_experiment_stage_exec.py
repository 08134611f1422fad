"""One stage's execution: resume flags when a checkpoint is left, fresh output otherwise, markers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lintseq_experiment.stage_exec import execute, is_done, read_marker


def _stage(folder: Path, code: int = 0, **extra) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = ("import sys, pathlib; pathlib.Path(sys.argv[1]).write_text(' '.join(sys.argv[2:])); "
              f"raise SystemExit({code})")
    spec = {"id": "train:x", "key": "k" * 64,
            "argv": [sys.executable, "-c", script, str(folder / "argv.txt"), "--data", "d"], **extra}
    (folder / "stage.json").write_text(json.dumps(spec))
    return folder


def test_resume_flags_follow_a_checkpoint_left_by_an_interrupted_attempt(tmp_path):
    folder = _stage(tmp_path / "s", resume={"if_exists": str(tmp_path / "s" / "out" / "checkpoint-*"),
                                            "add": ["--resume-from-checkpoint", "latest"], "else": ["--fresh"]})
    assert execute(folder) == 0
    assert (folder / "argv.txt").read_text() == "--data d --fresh"
    assert read_marker(folder, "done.json")["how"] == "started"

    (folder / "done.json").unlink()  # as if the first attempt had been killed after a checkpoint
    (folder / "out" / "checkpoint-2").mkdir()
    assert execute(folder) == 0
    assert (folder / "argv.txt").read_text() == "--data d --resume-from-checkpoint latest"
    done = read_marker(folder, "done.json")
    assert (done["how"], done["attempts"]) == ("resumed", 2)


def test_fresh_stage_empties_its_output_and_a_failure_is_recorded(tmp_path):
    folder = _stage(tmp_path / "s", code=4, fresh=True)
    (folder / "out").mkdir()
    (folder / "out" / "stale.json").write_text("{}")
    assert execute(folder) == 4
    assert not (folder / "out" / "stale.json").exists()
    failed = read_marker(folder, "failed.json")
    assert failed["rc"] == 4 and failed["log_tail"][-1].startswith("### ")
    assert not is_done(folder)
    _stage(folder, code=0, fresh=True)
    assert execute(folder) == 0 and is_done(folder) and read_marker(folder, "failed.json") is None
