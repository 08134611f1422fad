"""Plugin discovery and loading: built-ins, third-party distributions, switches, errors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pluggy
import pytest

from lintseq_core import hookspecs
from lintseq_core.errors import PluginLoadError, UnknownAnalyzerError, UnknownLanguageError
from lintseq_core.host import PluginHost, find_plugins, make_plugin_manager

FIXTURES = Path(__file__).parent / "fixtures"


def make_distribution(root: Path, name: str, entry_points: dict[str, str], modules: dict[str, str]) -> Path:
    """A real installed-looking distribution: ``<name>-1.0.dist-info`` plus modules."""
    info = root / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    eps = "[lintseq]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items())
    (info / "entry_points.txt").write_text(eps)
    for mod, src in modules.items():
        (root / f"{mod}.py").write_text(src)
    return root


@pytest.fixture
def toml_dist(tmp_path: Path) -> Path:
    src = (FIXTURES / "lintseq_toml_plugin.py").read_text()
    return make_distribution(tmp_path / "site", "lintseq-toml", {"toml": "lintseq_toml_plugin"}, {"lintseq_toml_plugin": src})


def test_every_hook_is_documented() -> None:
    specs = [getattr(hookspecs, n) for n in dir(hookspecs) if n.startswith("lintseq_")]
    assert len(specs) >= 6
    for spec in specs:
        assert spec.__doc__ and len(spec.__doc__.strip()) > 40, f"{spec.__name__} lacks a docstring"


def test_builtin_plugins_load_through_entry_points() -> None:
    refs = find_plugins()
    names = {r.name for r in refs if r.builtin}
    assert {"python", "treesitter", "compilers"} <= names
    assert refs == sorted(refs, key=lambda r: (not r.builtin, r.distribution.lower(), r.name))


def test_third_party_distribution_is_discovered(toml_dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(toml_dist))
    dists = list(metadata.distributions(path=[str(toml_dist)]))
    refs = find_plugins(dists)
    assert [(r.distribution, r.name) for r in refs] == [("lintseq-toml", "toml")]
    host = PluginHost(make_plugin_manager(refs), refs)
    assert host.language("TML").name == "toml"
    assert host.language_for_path("x/pyproject.toml").name == "toml"
    assert host.analyze("toml", "tomllib", "a = 1\nb = \n")[0].line == 2
    # the autoload switch keeps only the built-in distribution
    assert find_plugins(dists, autoload=False) == []
    assert find_plugins(dists, disabled=["toml"]) == []


def test_autoload_switch_from_environment(monkeypatch: pytest.MonkeyPatch, toml_dist: Path) -> None:
    dists = list(metadata.distributions(path=[str(toml_dist)]))
    monkeypatch.setenv("LINTSEQ_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert find_plugins(dists) == []
    monkeypatch.setenv("LINTSEQ_DISABLE_PLUGIN_AUTOLOAD", "0")
    monkeypatch.setenv("LINTSEQ_DISABLED_PLUGINS", "other, toml")
    assert find_plugins(dists) == []


def test_broken_plugin_gives_one_error_naming_distribution_and_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_distribution(tmp_path, "lintseq-broken", {"broken": "lintseq_broken_mod"}, {"lintseq_broken_mod": "import not_a_module_anywhere\n"})
    monkeypatch.syspath_prepend(str(root))
    refs = find_plugins(list(metadata.distributions(path=[str(root)])))
    with pytest.raises(PluginLoadError) as info:
        make_plugin_manager(refs)
    msg = str(info.value)
    assert "lintseq-broken" in msg and "'broken'" in msg and "lintseq_broken_mod" in msg
    assert "LINTSEQ_DISABLED_PLUGINS=broken" in msg
    assert isinstance(info.value.__cause__, ModuleNotFoundError)


def test_hook_with_unknown_name_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = "from lintseq_core.hookspecs import hookimpl\n\n@hookimpl\ndef lintseq_analyse(language):\n    return []\n"
    root = make_distribution(tmp_path, "lintseq-typo", {"typo": "lintseq_typo_mod"}, {"lintseq_typo_mod": src})
    monkeypatch.syspath_prepend(str(root))
    refs = find_plugins(list(metadata.distributions(path=[str(root)])))
    with pytest.raises(PluginLoadError, match="lintseq-typo"):
        make_plugin_manager(refs)


def test_unknown_language_and_analyzer_messages() -> None:
    pm = pluggy.PluginManager("lintseq")
    pm.add_hookspecs(hookspecs)
    sys.path.insert(0, str(FIXTURES))
    try:
        import lintseq_toml_plugin

        pm.register(lintseq_toml_plugin)
    finally:
        sys.path.remove(str(FIXTURES))
    host = PluginHost(pm)
    with pytest.raises(UnknownLanguageError, match="Known languages: toml"):
        host.language("cobol")
    with pytest.raises(UnknownAnalyzerError, match="choose one of: tomllib"):
        host.analyzer("toml", "taplo")
    assert host.analyzer("toml").name == "tomllib"


def test_third_party_plugin_used_by_convert_end_to_end(toml_dist: Path, tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    program = textwrap.dedent(
        """\
        # settings
        title = "x"

        [owner]
        name = "Tom"
        langs = [
          "toml",
          "py",
        ]

        [db]
        port = 5432
        """
    )
    data.write_text('{{"code": {}}}\n'.format(__import__("json").dumps(program)))
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(toml_dist), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-m", "lintseq_core.cli", "-q", "convert", "--lang", "toml", "--input", str(data),
         "--output", str(out), "--samples-per-program", "2", "--workers", "1"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [__import__("json").loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 2 and all(r["language"] == "toml" and r["linter"] == "tomllib" for r in rows)
    from lintseq_core.edits import resolve_edit_path

    for r in rows:
        assert resolve_edit_path(r["edit_path"]) == program
        assert len(r["edit_path"]) >= 3
