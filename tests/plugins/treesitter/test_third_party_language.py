"""A language added by a third-party distribution with data only (the Lua fixture).

The fixture folder holds a real ``.dist-info`` with an ``entry_points.txt``; putting it on
``sys.path`` is all it takes for the host to discover it, end to end.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

pytest.importorskip("tree_sitter_lua")

from lintseq_core.edits import resolve_edit_path
from lintseq_core.host import PluginHost
from lintseq_core.sampler import make_sampler, sample_many, state_texts

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "lintseq_lua_fixture"

LUA = """-- sum of squares
local function square(x)
  return x * x
end

function sum_squares(n)
  local total = 0
  for i = 1, n do
    total = total + square(i)
  end
  if total > 100 then
    print("big")
  else
    print("small")
  end
  return total
end

print(sum_squares(5))
"""


@pytest.fixture()
def lua_host(monkeypatch) -> PluginHost:
    monkeypatch.syspath_prepend(str(FIXTURE))
    importlib.invalidate_caches()
    yield PluginHost.from_entry_points(autoload=True)
    sys.modules.pop("lintseq_lua_fixture", None)


def test_fixture_is_data_only():
    package = FIXTURE / "lintseq_lua_fixture"
    code = [p for p in package.rglob("*.py")]
    assert [p.name for p in code] == ["__init__.py"]
    body = [ln for ln in code[0].read_text().splitlines() if ln.strip() and not ln.startswith(('"""', "#"))]
    assert len(body) <= 3  # an import and one object naming the package: no engine code
    assert (package / "languages" / "lua.toml").is_file()
    assert (package / "queries" / "lua" / "locals.scm").is_file()


def test_entry_point_adds_lua(lua_host):
    ref = [r for r in lua_host.refs if r.name == "lua"]
    assert ref and ref[0].distribution == "lintseq-lua-fixture" and not ref[0].builtin
    assert lua_host.language_for_path("game/main.lua").name == "lua"
    assert list(lua_host.analyzers("lua")) == ["treesitter"]
    assert lua_host.extract_code("lua", "Here:\n```lua\nprint(1)\n```\n") == "print(1)"


def test_lua_programs_convert_with_the_shared_engine(lua_host):
    diags = lua_host.analyze("lua", "treesitter", LUA.replace("  local total = 0\n", ""))
    assert {d.code for d in diags} >= {"undefined:total"}
    assert any(d.syntax for d in lua_host.analyze("lua", "treesitter", "function f(\n"))
    sampler = make_sampler(lua_host, "lua", "treesitter")
    for k, ((seq, _),) in enumerate(sample_many(sampler, LUA, seed=s, index=0) for s in range(5)):
        assert resolve_edit_path(seq.edit_path) == LUA
        assert len(seq.edit_path) >= 2, f"seed {k}: the program collapsed into one edit"
        base = {d.code for d in lua_host.analyze("lua", "treesitter", LUA)}
        for state in state_texts(seq):
            new = {d.code for d in lua_host.analyze("lua", "treesitter", state)} - base
            assert not new, (state, new)
