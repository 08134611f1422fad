"""The dist-info reader used at start-up agrees with importlib.metadata."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path

from lintseq_core.distributions import distribution_version, entry_points
from lintseq_core.host import ENTRY_POINT_GROUP, find_plugins


def _norm(name: str) -> str:
    return name.lower().replace("_", "-")


def _by_importlib(group: str) -> set[tuple[str, str, str]]:
    out = set()
    for dist in metadata.distributions():
        for ep in dist.entry_points:
            if ep.group == group:
                out.add((_norm(dist.metadata["Name"]), ep.name, ep.value))
    return out


def _fake_dist(root: Path, name: str, version: str, entry_points_txt: str) -> None:
    info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nName: not-a-header\n")
    (info / "entry_points.txt").write_text(entry_points_txt)


def test_installed_entry_points_are_those_importlib_metadata_finds() -> None:
    fast = entry_points(ENTRY_POINT_GROUP)
    assert fast is not None, "a plain sys.path must be read without importlib.metadata"
    assert {(_norm(d), ep.name, ep.value) for d, _v, ep in fast} == _by_importlib(ENTRY_POINT_GROUP)
    assert {"python", "treesitter", "compilers"} <= {ep.name for _d, _v, ep in fast}


def test_a_third_party_dist_info_is_found_with_its_name_version_and_object(tmp_path, monkeypatch) -> None:
    (tmp_path / "my_plugin_mod.py").write_text("PLUGIN = 'loaded'\n")
    _fake_dist(tmp_path, "My-Plugin", "2.5.1",
               "[console_scripts]\nx = y:z\n\n[lintseq]\n# a comment\nmine = my_plugin_mod:PLUGIN\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    distribution_version.cache_clear()
    try:
        fast = [(d, v, ep) for d, v, ep in entry_points(ENTRY_POINT_GROUP) or () if d == "My-Plugin"]
        assert [(d, v, ep.name, ep.value) for d, v, ep in fast] == [("My-Plugin", "2.5.1", "mine", "my_plugin_mod:PLUGIN")]
        assert fast[0][2].load() == "loaded"
        assert ("my-plugin", "mine", "my_plugin_mod:PLUGIN") in _by_importlib(ENTRY_POINT_GROUP)
        refs = [r for r in find_plugins() if r.name == "mine"]
        assert [(r.distribution, r.version, r.builtin) for r in refs] == [("My-Plugin", "2.5.1", False)]
        assert distribution_version("my_plugin") == distribution_version("My-Plugin") == "2.5.1"
    finally:
        distribution_version.cache_clear()


def test_versions_are_those_importlib_metadata_reads() -> None:
    for name in ("pluggy", "pytest", "lintseq"):
        assert distribution_version(name) == metadata.version(name)
    assert distribution_version("surely-not-installed-lintseq-xyz") is None


def test_a_zip_on_sys_path_falls_back_to_importlib_metadata(tmp_path, monkeypatch) -> None:
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped_plugin-1.0.dist-info/METADATA", "Name: zipped-plugin\nVersion: 1.0\n")
        zf.writestr("zipped_plugin-1.0.dist-info/entry_points.txt", "[lintseq]\nzipped = zipped_mod\n")
    monkeypatch.setattr(sys, "path", [str(archive), *sys.path])
    assert entry_points(ENTRY_POINT_GROUP) is None  # this reader does not look into zips...
    assert "zipped" in {r.name for r in find_plugins()}  # ...so importlib.metadata does
