"""Helpers shared by the pipeline tests (a module, not conftest, so tests can import it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST = "pipeline_testplugin:make_host"

__all__ = ["HOST", "cli_env", "read_jsonl", "run_cli", "write_jsonl"]


def cli_env() -> dict[str, str]:
    """Environment for ``lintseq-core`` subprocesses that find the test plugin host."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), env.get("PYTHONPATH", "")) if p)
    return env


def cli_command(args: list[str], host: str | None = HOST) -> list[str]:
    extra = ["--plugin-host", host] if host else []
    return [sys.executable, "-m", "lintseq_core.cli", "convert", *extra, *args]


def run_cli(args: list[str], *, cwd: Path, timeout: float = 120,
            host: str | None = HOST) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli_command(args, host), cwd=cwd, env=cli_env(), capture_output=True,
                          text=True, timeout=timeout)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, rows: list) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write((row if isinstance(row, str) else json.dumps(row)) + "\n")
    return path
