"""``lintseq-core ablate``: the table, its files and its errors, on a few programs."""

from __future__ import annotations

import argparse
import csv
import shutil
from pathlib import Path

import pytest

from lintseq_core.ablate import (
    Program,
    SamplerSpec,
    load_programs,
    oracle_for,
    parse_sampler,
    run_ablation,
)
from lintseq_core.cli import main
from lintseq_core.datasets import READERS_GROUP, dataset_readers
from lintseq_core.errors import ConfigError, PluginLoadError
from lintseq_core.host import get_host

pytest.importorskip("tree_sitter")
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def test_parse_sampler():
    assert parse_sampler("random") == SamplerSpec("random")
    assert parse_sampler("lintseq:g++").label == "lintseq:g++"
    with pytest.raises(ConfigError, match="unknown sampler"):
        parse_sampler("greedy")


def test_load_humaneval_x_programs_with_go_package_and_imports(shared_data):
    programs = load_programs(get_host(), shared_data / "humaneval-x", ["go", "js"], limit=3)
    assert [len(v) for v in programs.values()] == [3, 3]
    go = programs["go"][2].code
    assert go.startswith("package main\n") and '"math"' in go  # the import field is part of it
    stems = argparse.Namespace(humaneval_x_file=["typescript=js"])
    ts = load_programs(get_host(), shared_data / "humaneval-x", ["typescript"], 2, options=stems)
    assert ts["typescript"][0].code == programs["javascript"][0].code


class _OneLanguageReader:
    """A hand-built reader: a folder holding ``corpus.txt`` is its format."""

    name = "toy"
    description = "a folder with corpus.txt"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--toy-prefix", default="")

    def read(self, host, dataset: Path, languages, options):
        if not (dataset / "corpus.txt").is_file():
            return None
        prefix = getattr(options, "toy_prefix", "")
        lines = (dataset / "corpus.txt").read_text().splitlines()
        return {"python": [Program(f"toy/{i}", "python", prefix + line + "\n") for i, line in enumerate(lines)]}

    def environment(self, dataset, languages, options):
        return {}


def test_the_core_reads_datasets_through_readers(tmp_path):
    (tmp_path / "corpus.txt").write_text("x = 1\ny = 2\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "a.go").write_text("package a\n")
    (tmp_path / "lib" / "b.py").write_text("z = 3\n")  # python comes from the reader, not files
    opts = argparse.Namespace(toy_prefix="# toy\n")
    got = load_programs(get_host(), tmp_path, ["py", "go"], readers=[_OneLanguageReader()], options=opts)
    assert [p.code for p in got["python"]] == ["# toy\nx = 1\n", "# toy\ny = 2\n"]
    assert [(p.id, p.code) for p in got["go"]] == [("lib/a.go", "package a\n")]
    without = load_programs(get_host(), tmp_path, ["python"], readers=[])
    assert [p.id for p in without["python"]] == ["lib/b.py"]


def test_the_humaneval_x_reader_is_an_installed_entry_point():
    readers = {r.name: r for r in dataset_readers()}
    assert "humaneval-x" in readers
    parser = argparse.ArgumentParser()
    readers["humaneval-x"].add_arguments(parser)
    assert parser.parse_args(["--humaneval-x-file", "typescript=js"]).humaneval_x_file == ["typescript=js"]


def test_a_broken_reader_is_one_clear_error(tmp_path, monkeypatch, capsys):
    dist = tmp_path / "brokenreader-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: brokenreader\nVersion: 1.0\n\n")
    (dist / "entry_points.txt").write_text(f"[{READERS_GROUP}]\naaa-broken = brokenreader_mod:READER\n")
    (tmp_path / "brokenreader_mod.py").write_text("raise ImportError('no such toolkit')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginLoadError, match=r"'aaa-broken'.*brokenreader 1.0.*no such toolkit"):
        dataset_readers()
    assert main(["languages"]) == 0  # other commands are not affected
    capsys.readouterr()
    assert main(["ablate", str(tmp_path), "--lang", "python", "--out", str(tmp_path / "o")]) == 2
    assert "aaa-broken" in capsys.readouterr().err


def test_missing_programs_are_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="no programs for go"):
        load_programs(get_host(), tmp_path, ["go"])


@needs_node
def test_ablation_rows_judged_by_the_oracle(shared_data):
    host = get_host()
    assert oracle_for(host, "javascript") == "node"
    programs = load_programs(host, shared_data / "humaneval-x", ["js"], limit=4)
    rows = run_ablation(host, programs, [SamplerSpec("lintseq", "treesitter"), SamplerSpec("random")])
    lint, rand = rows
    assert (lint.sampler, rand.sampler) == ("lintseq:treesitter", "random")
    for row in rows:
        assert row.programs == 4 and row.roundtrip == 1.0 and row.oracle == "node"
        assert row.oracle_programs == 4 and row.states > 0
        assert len(row.edits) == 4 and row.edits_mean >= 1
    assert lint.acceptance == 1.0  # every intermediate state parses for node
    assert rand.acceptance < 1.0  # random deletion breaks programs: the floor is below


@needs_node
def test_cli_writes_markdown_csv_and_figures(shared_data, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out = tmp_path / "abl"
    rc = main(["-q", "ablate", str(shared_data / "humaneval-x"), "--lang", "js", "--limit", "3",
               "--sampler", "lintseq:treesitter", "random", "--out", str(out)])
    assert rc == 0
    table = (out / "ablation.md").read_text()
    assert "| javascript | lintseq:treesitter | 3 |" in table
    with open(out / "ablation.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["sampler"] for r in rows] == ["lintseq:treesitter", "random"]
    assert float(rows[0]["roundtrip"]) == 1.0
    for png in ("edits_per_program.png", "oracle_acceptance.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "oracle-accepted states" in capsys.readouterr().out


def test_cli_errors_are_one_clear_message(shared_data, tmp_path, capsys):
    data = str(shared_data / "humaneval-x")
    assert main(["ablate", data, "--lang", "cobol", "--out", str(tmp_path)]) == 2
    assert "unknown language 'cobol'" in capsys.readouterr().err
    assert main(["ablate", data, "--lang", "go", "--sampler", "lintseq:nope", "--out", str(tmp_path)]) == 2
    assert "analyzer 'nope'" in capsys.readouterr().err
    assert main(["ablate", data, "--lang", "go", "--oracle", "go=javac", "--out", str(tmp_path)]) == 2
    assert "no analyzer 'javac'" in capsys.readouterr().err


def test_no_oracle_measures_throughput_only(shared_data, tmp_path):
    out = tmp_path / "thr"
    assert main(["-q", "ablate", str(shared_data / "humaneval-x"), "--lang", "go", "--limit", "5",
                 "--sampler", "lintseq:treesitter", "--no-oracle", "--no-figures", "--out", str(out)]) == 0
    with open(out / "ablation.csv") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["oracle"] == "-" and row["states"] == "0" and row["acceptance"] == "nan"
    assert float(row["programs_per_s"]) > 0 and float(row["programs"]) == 5
    # the CPU clock ticks in 10 ms steps: 5 conversions may cost less, but never more than the wall
    assert 0 <= float(row["cpu_seconds"]) <= float(row["seconds"]) * 2 + 0.05


FILE_MODES = {"rb", "wb", "rt", "wt", "ab"}  # `open(path, "rb")` is not Ruby


def test_the_core_names_no_language_or_benchmark():
    """Docstrings may give examples; code strings of ``lintseq_core`` may not name a language
    or a benchmark (the ablation's benchmarks come through an entry point, the bundled
    sample's language from its data file)."""
    import ast
    import importlib
    import pkgutil

    import lintseq_core

    host = get_host()
    names = {n for lang in host.languages.values() for n in (lang.name, *lang.aliases)}
    # the interpreter's version in manifests is keyed "python": the runtime, not a language
    allowed = {("lintseq_core.provenance", "python")}
    modules = [m.name for m in pkgutil.walk_packages(lintseq_core.__path__, "lintseq_core.")]
    assert "lintseq_core.ablate" in modules and "lintseq_core.commands.convert" in modules
    for name in modules:
        module = importlib.import_module(name)
        tree = ast.parse(Path(module.__file__).read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = node.value.lower()
                if (name, text) in allowed or text in FILE_MODES:
                    continue
                assert text not in names, f"{name}:{node.lineno} names language {text!r}"
                assert not any(b in text for b in ("humaneval", "mbpp")), f"{name}:{node.lineno}"
