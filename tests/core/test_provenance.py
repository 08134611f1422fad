"""Provenance records: versions, the machine, the commit (clean and dirty)."""

from __future__ import annotations

import re
import subprocess

from lintseq_core.provenance import git_commit, machine, package_versions, run_record


def test_package_versions_report_installed_and_missing() -> None:
    found = package_versions(["pluggy", "no-such-package-xyz"])
    assert re.match(r"\d+\.\d+", found["pluggy"] or "")
    assert "no-such-package-xyz" not in found and found["python"].count(".") == 2
    assert package_versions(["no-such-package-xyz"], keep_missing=True)["no-such-package-xyz"] is None


def test_git_commit_marks_a_dirty_tree(tmp_path) -> None:
    assert git_commit(tmp_path) is None  # not a repository
    run = lambda *a: subprocess.run(["git", *a], cwd=tmp_path, check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    (tmp_path / "f.txt").write_text("a\n")
    run("add", "f.txt")
    run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    clean = git_commit(tmp_path)
    assert clean is not None and re.fullmatch(r"[0-9a-f]{40}", clean)
    (tmp_path / "f.txt").write_text("b\n")
    assert git_commit(tmp_path) == clean + "-dirty"


def test_run_record_names_machine_and_command() -> None:
    record = run_record(["pluggy"])
    assert record["machine"]["cpus"] >= 1 and record["machine"]["processor"]
    assert set(record) == {"command", "date", "commit", "versions", "machine"}
    assert machine()["platform"]
