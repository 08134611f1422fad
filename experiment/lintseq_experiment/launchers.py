"""Cluster launchers: Slurm batch scripts chained by ``afterok``, or one Ray job of dependent tasks.

Both leave scheduling to the scheduler. Slurm: one ``sbatch`` script per unfinished stage and a
``submit.sh`` that submits them in order, each with ``--dependency=afterok:`` on the jobs of the
stages it reads (a failed stage cancels only what depends on it: Slurm keeps those pending
with reason DependencyNeverSatisfied). Ray: a driver (:mod:`lintseq_experiment.ray_driver`)
submitted with the Ray Jobs API turns every stage into a Ray task whose arguments are the
tasks it depends on, so Ray runs each when its inputs are done, with the GPUs it asks for.
Every stage runs through :mod:`lintseq_experiment.stage_exec`, so markers, resume rules and
``lintseq-experiment status`` are the same as for local runs; the run folder must be on a
file system every node sees.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

from lintseq_experiment.errors import ExperimentError
from lintseq_experiment.plan import Plan
from lintseq_experiment.runner import materialize, run_lock
from lintseq_experiment.stage_exec import DONE

__all__ = ["submit_ray", "write_slurm"]


def _resources(plan: Plan, kind: str, gpus: int) -> tuple[int, int]:
    """(GPUs, CPUs) of a stage: training the model's GPUs, evaluation one, the rest none."""
    if kind == "train":
        return gpus, max(4, 4 * gpus)
    if kind == "eval":
        return 1, 8
    if kind == "convert":
        return 0, plan.convert_workers
    return 0, 2


def write_slurm(plan: Plan, run_dir: Path, *, distributed: str, partition: str | None = None,
                account: str | None = None, time_limit: str | None = None, setup: list[str] | None = None,
                submit: bool = False) -> Path:
    """Write ``RUN_DIR/slurm/*.sbatch`` and ``submit.sh``; run it with ``submit``. Returns submit.sh."""
    with run_lock(run_dir):
        staged = materialize(plan, run_dir, distributed=distributed, portable=True)
    out = run_dir / "slurm"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.sbatch"):
        old.unlink()
    gpus_of = {m.name: m.gpus for m in plan.models}
    submit_lines = ["#!/bin/bash", "# Submits the unfinished stages of this run; written by lintseq-experiment run --launcher slurm.",
                    "set -euo pipefail", 'cd "$(dirname "$0")"']
    job_var: dict[str, str] = {}
    for i, (stage, folder) in enumerate(staged):
        if (folder / DONE).is_file():
            continue
        gpus, cpus = _resources(plan, stage.kind, gpus_of.get(stage.cell.get("model", ""), 1))
        name = f"{i:03d}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', stage.id)}"
        lines = ["#!/bin/bash", f"#SBATCH --job-name={plan.name}:{stage.id}"[:128],
                 f"#SBATCH --output={folder}/slurm-%j.log", "#SBATCH --nodes=1", "#SBATCH --ntasks=1",
                 f"#SBATCH --cpus-per-task={cpus}"]
        if gpus:
            lines.append(f"#SBATCH --gpus-per-node={gpus}")
        for flag, value in (("partition", partition), ("account", account), ("time", time_limit)):
            if value:
                lines.append(f"#SBATCH --{flag}={value}")
        lines += ["set -euo pipefail", *(setup or [])]
        spec = json.loads((folder / "stage.json").read_text(encoding="utf-8"))
        lines.append("# stage_exec runs (resume flags added when a checkpoint is found):")
        lines.append("#   " + shlex.join(spec["argv"]))
        lines.append(f"python -m lintseq_experiment.stage_exec {shlex.quote(str(folder))}")
        script = out / f"{name}.sbatch"
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        var = f"j{i}"
        deps = [job_var[d] for d in stage.deps if d in job_var]
        dep_flag = f" --dependency=afterok:{':'.join('$' + v for v in deps)}" if deps else ""
        submit_lines.append(f"{var}=$(sbatch --parsable{dep_flag} {shlex.quote(script.name)})")
        submit_lines.append(f'echo "{stage.id} -> ${var}"')
        job_var[stage.id] = var
    submit_path = out / "submit.sh"
    submit_path.write_text("\n".join(submit_lines) + "\n", encoding="utf-8")
    submit_path.chmod(0o755)
    if submit:
        try:
            subprocess.run(["bash", str(submit_path)], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise ExperimentError(f"submitting {submit_path} failed ({exc}); is sbatch on PATH?") from exc
    return submit_path


def submit_ray(plan: Plan, run_dir: Path, *, distributed: str, address: str | None,
               setup: list[str] | None = None) -> str:
    """Submit the run as one Ray job (the driver builds the task graph); returns the job id."""
    if not address:
        raise ExperimentError("--launcher ray needs --ray-address, the Ray dashboard, e.g. http://head:8265")
    try:
        from ray.job_submission import JobSubmissionClient
    except ImportError as exc:
        raise ExperimentError("--launcher ray needs Ray: pip install 'lintseq[ray]'") from exc
    with run_lock(run_dir):
        materialize(plan, run_dir, distributed=distributed, portable=True)
    entrypoint = f"python -m lintseq_experiment.ray_driver {shlex.quote(str(run_dir))}"
    if setup:
        entrypoint = " && ".join([*setup, entrypoint])
    client = JobSubmissionClient(address)
    return client.submit_job(entrypoint=entrypoint, metadata={"lintseq_plan": plan.name, "run_dir": str(run_dir)})
