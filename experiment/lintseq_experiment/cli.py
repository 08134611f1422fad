"""``lintseq-experiment``: plan, run, follow and report cross-language ablations.

    lintseq-experiment plan cpu-tiny                       # the grid and its compute; runs nothing
    lintseq-experiment run cpu-tiny --output-dir runs/tiny # local subprocesses; rerun to resume
    lintseq-experiment status runs/tiny
    lintseq-experiment report runs/tiny                    # report.md, .csv, .png, report.html
    lintseq-experiment run paper-python --output-dir runs/paper --launcher slurm --partition gpu

Exit codes: 0 success, 1 a stage failed (the others went on), 2 bad input (one message on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from lintseq_core.errors import LintseqError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    from lintseq_experiment import __version__

    parser = argparse.ArgumentParser(prog="lintseq-experiment", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def plan_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("plan", help="a shipped plan name (see `lintseq-experiment plans`) or a YAML path")
        p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                       help="override a plan key, e.g. --set eval.limit=5 --set seeds=[0,1]")

    p = sub.add_parser("plan", help="print every stage and cell with the compute it implies; runs nothing")
    plan_args(p)
    p.add_argument("--json", action="store_true", help="machine-readable grid on stdout")

    p = sub.add_parser("run", help="run the grid (local subprocesses) or write/submit it to a scheduler")
    plan_args(p)
    p.add_argument("--output-dir", "-o", required=True, type=Path, help="run folder (rerun with the same one to resume)")
    p.add_argument("--launcher", choices=("local", "slurm", "ray"), default="local",
                   help="local subprocesses (default); slurm: one sbatch script per stage with afterok "
                        "dependencies; ray: one Ray job per stage")
    p.add_argument("--distributed", choices=("accelerate", "torchrun", "deepspeed"),
                   help="multi-GPU training launcher for slurm/ray (default: the plan's launcher.distributed)")
    p.add_argument("--submit", action="store_true", help="slurm: also run submit.sh (sbatch); default: write only")
    p.add_argument("--partition", help="slurm partition")
    p.add_argument("--account", help="slurm account")
    p.add_argument("--time", default=None, help="slurm time limit per stage, e.g. 24:00:00")
    p.add_argument("--setup", action="append", default=[],
                   help="shell line run first in every batch script, e.g. 'source .venv/bin/activate'")
    p.add_argument("--ray-address", help="Ray dashboard address for job submission, e.g. http://head:8265")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")

    p = sub.add_parser("status", help="where a run stands: each stage done, failed, interrupted, running or pending")
    p.add_argument("run_dir", type=Path)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("report", help="Markdown + CSV + PNG + HTML comparison of the arms of a run")
    p.add_argument("run_dir", type=Path)
    p.add_argument("--output", type=Path, help="report folder (default RUN_DIR/report)")

    sub.add_parser("plans", help="list the shipped plans")
    return parser


def _plan_command(args: argparse.Namespace) -> int:
    from lintseq_experiment.estimate import estimate
    from lintseq_experiment.plan import load_plan
    from lintseq_experiment.show import grid_table
    from lintseq_experiment.stages import build_stages

    plan = load_plan(args.plan, args.set)
    stages = build_stages(plan)
    estimates = estimate(plan, stages)
    if args.json:
        rows = [{"id": s.id, "kind": s.kind, "key": s.key, "deps": list(s.deps), "cell": dict(s.cell),
                 "estimate": estimates[s.id].__dict__} for s in stages]
        print(json.dumps({"plan": plan.name, "stages": rows}, indent=2, default=str))
    else:
        print(grid_table(plan, stages, estimates))
    return 0


def _run_command(args: argparse.Namespace) -> int:
    from lintseq_experiment.plan import load_plan

    plan = load_plan(args.plan, args.set)
    run_dir = args.output_dir.resolve()
    if args.launcher == "local":
        from lintseq_experiment.runner import run_local

        outcomes = run_local(plan, run_dir, log=(lambda _t: None) if args.quiet else None)
        counts: dict[str, int] = {}
        for o in outcomes:
            counts[o.state] = counts.get(o.state, 0) + 1
        print(json.dumps({"run_dir": str(run_dir), "stages": counts}, sort_keys=True))
        for o in outcomes:
            if o.state in ("failed", "blocked"):
                print(f"{o.state}: {o.id}: {o.detail}", file=sys.stderr)
        return 1 if counts.get("failed") else 0
    distributed = args.distributed or plan.launcher.get("distributed", "accelerate")
    if args.launcher == "slurm":
        from lintseq_experiment.launchers import write_slurm

        script = write_slurm(plan, run_dir, distributed=distributed, partition=args.partition,
                             account=args.account, time_limit=args.time, setup=args.setup, submit=args.submit)
        print(json.dumps({"run_dir": str(run_dir), "submit_script": str(script), "submitted": args.submit}))
        return 0
    from lintseq_experiment.launchers import submit_ray

    job = submit_ray(plan, run_dir, distributed=distributed, address=args.ray_address, setup=args.setup)
    print(json.dumps({"run_dir": str(run_dir), "ray_job": job}))
    return 0


def _status_command(args: argparse.Namespace) -> int:
    from lintseq_experiment.runner import stage_states

    rows = stage_states(args.run_dir)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["id"]) for r in rows)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["state"]] = counts.get(r["state"], 0) + 1
        print(f"{r['id']:<{width}}  {r['state']:<11}  {r['detail']}")
    print(", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    return 1 if counts.get("failed") else 0


def _report_command(args: argparse.Namespace) -> int:
    from lintseq_experiment.report import write_report

    paths = write_report(args.run_dir, args.output)
    print(json.dumps({k: str(v) for k, v in paths.items()}, indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "plans":
            from lintseq_experiment.plan import list_plans

            print("\n".join(list_plans()))
            return 0
        handler = {"plan": _plan_command, "run": _run_command, "status": _status_command,
                   "report": _report_command}[args.command]
        return handler(args)
    except LintseqError as exc:
        print(f"lintseq-experiment: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
