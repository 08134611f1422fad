"""JavaScript (Node.js): HumanEval-X ``js``, MultiPL-E, HumanEvalPack and HumanEvalFix.

``program.js`` = program + tests, ``require``\\ d by a runner; ``console.assert`` (which
only logs in Node) is replaced by a throwing, non-writable version first. The completion
token is read from a file the runner deletes before the program starts.
"""

from __future__ import annotations

import os

from lintseq_eval import layouts
from lintseq_eval.humanevalpack import fix, synthesize
from lintseq_eval.interpreted import interpreted_harness
from lintseq_eval.languages import EvalLanguage
from lintseq_eval.multiple import BENCHMARKS, multiple

__all__ = ["LANGUAGE", "node_path"]

_RUNNER = """\
'use strict';
const fs = require('fs');
const nonce = fs.readFileSync('.lintseq_nonce', 'ascii').trim();
fs.unlinkSync('.lintseq_nonce');
const writeSync = fs.writeSync;
function strictAssert(condition, ...message) {
  if (!condition) {
    throw new Error('Assertion failed' + (message.length ? ': ' + message.join(' ') : ''));
  }
}
Object.defineProperty(console, 'assert', {value: strictAssert, writable: false, configurable: false});
require('./program.js');
writeSync(1, '\\n' + nonce + '\\n');
"""


def node_path() -> str:
    """Global node_modules folders (JavaScript/162 requires the npm package ``js-md5``)."""
    dirs = [d for d in os.environ.get("LINTSEQ_NODE_PATH", "").split(os.pathsep) if d]
    dirs += ["/usr/local/lib/node_modules", "/usr/lib/node_modules"]
    return os.pathsep.join(d for d in dirs if os.path.isdir(d))


# MultiPL-E (tests use node:assert, run as they are), HumanEvalPack
_CROSS_LANGUAGE = (
    *(multiple(b, "js", empty_body="  return undefined;\n}\n") for b in BENCHMARKS),
    synthesize("js"),
    fix("js"),
)

LANGUAGE = EvalLanguage(
    name="javascript",
    aliases=("js", "node", "nodejs"),
    toolchain="node",
    prepare=interpreted_harness("js", _RUNNER, ("node", "--max-old-space-size=2048"),
                                env=lambda: {"NODE_PATH": node_path()}),
    mounts=lambda tool: [d for d in node_path().split(os.pathsep) if d],
    layouts=(
        *_CROSS_LANGUAGE,
        layouts.humaneval_x("js", aliases=("javascript",)),
    ),
)
