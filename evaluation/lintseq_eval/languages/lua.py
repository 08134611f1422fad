"""Lua: MultiPL-E ``lua`` (HumanEval and MBPP).

MultiPL-E runs ``lua`` on ``prompt + completion + tests``; the tests call
``lu.assertEquals`` and end with ``os.exit(lu.LuaUnit.run())``. luaunit is not packaged by
Debian, so a stand-in with exactly those two functions (``shims/lua/luaunit.lua``, deep
table equality) is copied beside the program. The runner reads and deletes the completion
token, wraps ``LuaUnit.run`` and ``os.exit``, then runs the program: the token is printed
only by the tests' own ``os.exit`` with status 0 after ``LuaUnit.run`` reported no failure,
so a program that exits early, or falls through without running the tests, fails.
"""

from __future__ import annotations

from functools import cache

from lintseq_eval.interpreted import interpreted_harness
from lintseq_eval.languages import EvalLanguage, shim_dir
from lintseq_eval.multiple import BENCHMARKS, multiple

__all__ = ["LANGUAGE"]

_RUNNER = """\
local fh = assert(io.open('.lintseq_nonce', 'r'))
local nonce = fh:read('l')
fh:close()
os.remove('.lintseq_nonce')
package.path = './?.lua;' .. package.path
local lu = require('luaunit')
local run, exit, stdout = lu.LuaUnit.run, os.exit, io.stdout
local finished, failures = false, nil
lu.LuaUnit.run = function(...)
  failures = run(...)
  finished = true
  return failures
end
os.exit = function(code, close)
  if finished and failures == 0 and (code == 0 or code == true) then
    stdout:write('\\n' .. nonce .. '\\n')
    stdout:flush()
  end
  exit(code, close)
end
dofile('program.lua')
exit(1)
"""


@cache
def _luaunit() -> str:
    return shim_dir("lua", "luaunit.lua").read_text(encoding="utf-8")


LANGUAGE = EvalLanguage(
    name="lua",
    tools=("lua",),
    install="apt-get install lua5.4",
    version_command=("lua", "-v"),
    prepare=interpreted_harness("lua", _RUNNER, ("lua",), files=lambda: {"luaunit.lua": _luaunit()}),
    fence_tags=("lua",),  # no host plugin declares Lua
    layouts=tuple(multiple(b, "lua", empty_body="  return nil\nend\n") for b in BENCHMARKS),
)
