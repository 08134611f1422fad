"""Ruby: MultiPL-E ``rb`` (HumanEval and MBPP).

MultiPL-E runs ``ruby`` on ``prompt + completion + tests``; the tests are a
``Test::Unit::TestCase`` that test-unit runs when the script ends. The runner reads and
deletes the completion token, loads test-unit with its automatic run switched off, loads the
program and runs the test cases itself: the token is printed only when they all passed, so
a program that exits early fails.
"""

from __future__ import annotations

from lintseq_eval.interpreted import interpreted_harness
from lintseq_eval.languages import EvalLanguage
from lintseq_eval.multiple import BENCHMARKS, multiple

__all__ = ["LANGUAGE"]

_RUNNER = """\
nonce = File.read('.lintseq_nonce').strip
File.delete('.lintseq_nonce')
require 'test/unit'
Test::Unit::AutoRunner.need_auto_run = false
load './program.rb'
passed = Test::Unit::AutoRunner.run
$stdout.flush
STDOUT.syswrite("\\n#{nonce}\\n") if passed == true
exit!(passed == true ? 0 : 1)
"""


LANGUAGE = EvalLanguage(
    name="ruby",
    aliases=("rb",),
    toolchain="ruby",
    prepare=interpreted_harness("rb", _RUNNER, ("ruby",)),
    layouts=tuple(multiple(b, "rb", empty_body="  nil\nend\n") for b in BENCHMARKS),
)
