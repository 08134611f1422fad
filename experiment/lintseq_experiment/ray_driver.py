"""The Ray job of ``--launcher ray``: every stage a Ray task that takes its dependencies' results.

``python -m lintseq_experiment.ray_driver RUN_DIR [--address ADDR]`` (submitted by
``lintseq-experiment run --launcher ray``, or run by hand on a cluster node) reads
``RUN_DIR/grid.json`` and builds the graph; Ray's scheduler starts a task once the tasks it
takes as arguments have finished and the GPUs/CPUs it asks for are free. A failed stage makes
its dependents return ``blocked`` without running; the others go on.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

__all__ = ["main", "run_graph"]


def _run_stage(stage_dir: str, *dep_states: str) -> str:
    from lintseq_experiment.stage_exec import execute, is_done

    folder = Path(stage_dir)
    if is_done(folder):
        return "skipped"
    if any(s not in ("done", "skipped") for s in dep_states):
        return "blocked"
    return "done" if execute(folder) == 0 else "failed"


def run_graph(run_dir: Path, address: str | None = None) -> dict[str, str]:
    """Run every stage of ``run_dir`` as Ray tasks; returns each stage's outcome."""
    import ray

    ray.init(address=address, ignore_reinit_error=True)
    remote = ray.remote(_run_stage)
    refs: dict[str, Any] = {}
    for entry in json.loads((run_dir / "grid.json").read_text(encoding="utf-8")):
        folder = run_dir / entry["folder"]
        spec = json.loads((folder / "stage.json").read_text(encoding="utf-8"))
        gpus = spec.get("gpus", 1) if entry["kind"] == "train" else (1 if entry["kind"] == "eval" else 0)
        opts: dict[str, Any] = {"num_cpus": 1, "max_retries": 0}
        if gpus and ray.cluster_resources().get("GPU", 0) >= gpus:
            opts["num_gpus"] = gpus
        refs[entry["id"]] = remote.options(**opts).remote(str(folder), *(refs[d] for d in entry["deps"]))
    return dict(zip(refs, ray.get(list(refs.values())), strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lintseq_experiment.ray_driver", description=__doc__)
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--address", help="Ray cluster to join (default: the one this job runs in, or a local one)")
    args = parser.parse_args(argv)
    outcomes = run_graph(args.run_dir.resolve(), args.address)
    print(json.dumps(outcomes, indent=2, sort_keys=True))
    return 1 if "failed" in outcomes.values() else 0


if __name__ == "__main__":
    raise SystemExit(main())
