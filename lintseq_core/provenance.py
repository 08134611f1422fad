"""What produced a file: package versions, the machine, the commit, the command.

One helper for every record that must trace a number back to its run: conversion manifests,
training checkpoints, evaluation summaries and benchmark results all call it.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["git_commit", "machine", "package_versions", "run_record"]


def package_versions(names: Iterable[str], *, keep_missing: bool = False) -> dict[str, str | None]:
    """Installed versions of ``names`` plus Python's; absent packages are ``None`` or left out."""
    from lintseq_core.distributions import distribution_version

    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in names:
        version = distribution_version(name)  # no importlib.metadata: conversion start-up
        if version is not None or keep_missing:
            out[name] = version
    return out


def machine() -> dict[str, Any]:
    """The machine a figure was measured on: platform, processor, cores, memory."""
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            kib = int(fh.readline().split()[1])
        info["memory_gib"] = round(kib / 2**20, 1)
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["processor"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return info


def git_commit(where: str | Path = ".") -> str | None:
    """The commit checked out at ``where`` (with ``-dirty`` when files changed), if any."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=where,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("-dirty" if dirty else "")


def run_record(packages: Iterable[str] = ("lintseq",), *, where: str | Path = ".") -> dict[str, Any]:
    """Command, date, commit, versions and machine of the current run, for a manifest."""
    return {
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "",
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(where),
        "versions": package_versions(packages),
        "machine": machine(),
    }
