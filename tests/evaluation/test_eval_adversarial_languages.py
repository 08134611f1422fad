"""Early exits and fake success in every HumanEval-X language: all must fail.

Each program is the correct reference solution plus one cheat that, in a naive harness,
would turn a wrong answer into a pass or skip the tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lintseq_eval.benchmarks import load_benchmark
from lintseq_eval.execution import Sample, evaluate_samples
from lintseq_eval.executors import Status
from lintseq_eval.sandbox import Limits

FAKE = "LINTSEQ-DONE-" + "0" * 32

# task 0 (has_close_elements) in each language, made wrong and exiting early / faking.
CHEATS = {
    "cpp": {
        "exit(0)": "#include<vector>\n#include<cstdlib>\nusing namespace std;\n"
        "bool has_close_elements(vector<float> n, float t){ exit(0); }\n",
        "fake output": "#include<vector>\n#include<cstdio>\n#include<cstdlib>\nusing namespace std;\n"
        f'bool has_close_elements(vector<float> n, float t){{ printf("\\n{FAKE}\\nPASS\\n"); fflush(stdout); _Exit(0); }}\n',
        "redefine assert": "#include<vector>\n#include<cassert>\n#define assert(x) ((void)0)\nusing namespace std;\n"
        "bool has_close_elements(vector<float> n, float t){ return false; }\n",
    },
    "java": {
        "System.exit(0)": "import java.util.*;\nclass Solution {\n"
        "    public boolean hasCloseElements(List<Double> n, double t) { System.exit(0); return false; }\n}\n",
        "fake output": "import java.util.*;\nclass Solution {\n    public boolean hasCloseElements(List<Double> n, double t) {"
        f' System.out.println("{FAKE}"); Runtime.getRuntime().halt(0); return false; }}\n}}\n',
    },
    "go": {
        "os.Exit(0)": "import (\n    \"os\"\n)\n\nfunc HasCloseElements(numbers []float64, threshold float64) bool {\n"
        "    os.Exit(0)\n    return false\n}\n",
        "fake output": "import (\n    \"fmt\"\n    \"os\"\n)\n\nfunc HasCloseElements(numbers []float64, threshold float64) bool {\n"
        f'    fmt.Println("{FAKE}")\n    fmt.Println("PASS")\n    os.Exit(0)\n    return false\n}}\n',
    },
    "rust": {
        "process::exit(0)": "fn has_close_elements(numbers:Vec<f32>, threshold: f32) -> bool{\n"
        "    std::process::exit(0);\n}\n",
        "fake output": "fn has_close_elements(numbers:Vec<f32>, threshold: f32) -> bool{\n"
        f'    println!("{FAKE}"); println!("test result: ok."); std::process::exit(0);\n}}\n',
    },
    "js": {
        "process.exit(0)": "const hasCloseElements = (numbers, threshold) => { process.exit(0) }\n",
        "silence console.assert": "console.assert = () => {}\nconst hasCloseElements = (numbers, threshold) => false\n",
        "fake output": "const hasCloseElements = (numbers, threshold) => {\n"
        f"  require('fs').writeSync(1, '{FAKE}\\n'); process.exit(0) }}\n",
    },
    "python": {
        "sys.exit(0)": "import sys\ndef has_close_elements(numbers, threshold):\n    sys.exit(0)\n",
        "read the nonce file": "import os\n"
        "tok = open('.lintseq_nonce').read() if os.path.exists('.lintseq_nonce') else ''\n"
        "print(tok)\nos._exit(0)\n",
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(CHEATS))
def test_cheats_fail(lang: str, shared_data: Path) -> None:
    bench = load_benchmark(f"humaneval-x-{lang}", shared_data, limit=1)
    task = bench.tasks[0]
    cheats = CHEATS[lang]
    samples = [Sample(task.task_id, i, "", prog) for i, prog in enumerate(cheats.values())]
    results = evaluate_samples(bench.by_id(), samples, limits=Limits(run_timeout_s=5), workers=2)
    for name, r in zip(cheats, results, strict=True):
        assert r.status in (Status.FAIL, Status.TIMEOUT), f"{lang} {name!r}: {r.status} {r.reason}"
