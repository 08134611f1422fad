"""The evalplus check that runs inside the sandbox, in the same process as the sample.

:mod:`lintseq_eval.evalplus` embeds this file's text in every HumanEval+/MBPP+ sample
(``exec``\\ ed in a namespace of its own, so the sample sees one harness name): before the
sample's code runs, :class:`Harness` executes the reference solution on every input and
records its outputs and times (evalplus's ``trusted_exec``), or takes them from the spec's
``expected`` where the host recorded them once for the task (:func:`lintseq_eval.evalplus.
record_references`, as evalplus caches its ground truth); after it, :meth:`Harness.check`
calls the sample's function on deep copies of the same inputs and compares (evalplus's
``unsafe_execute``). The rules, written here from evalplus's description and source
(github.com/evalplus/evalplus, Apache-2.0, ``evalplus/eval/__init__.py``):

* a per-input time limit ``max(min_s, factor * reference time)``, and per phase (base or
  plus inputs) ``min(60, sum of the limits) + 1`` seconds;
* outputs equal, or else, where ``atol`` is set (forced to 1e-6 once an expected output
  is a float or a sequence of floats), of the same type and length and close as
  ``numpy.allclose(out, exp, rtol=1e-7, atol=atol)`` would say;
* evalplus's special oracles (HumanEval/32 ``find_zero``: the polynomial at the answer is
  within ``atol`` of 0; MBPP: set equality for a few tasks, not-None for three regex
  tasks, any answer for Mbpp/164, a second accepted reading for Mbpp/295, 558 and 581);
* MBPP+ inputs are JSON: the tuples, sets and complex numbers of some tasks are rebuilt
  as evalplus's ``mbpp_deserialize_inputs`` does (:data:`INPUT_SHAPES`).

A failure writes one line to stderr and exits 1, so the runner never prints the
completion token. The module uses only the standard library: it runs in the sample's
interpreter.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import io
import json
import math
import pickle
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

PHASE_CAP_S = 60.0  # evalplus's EVALPLUS_TIMEOUT_PER_TASK default
RECORD_PREFIX = "LINTSEQ-EVALPLUS-EXPECTED"  # the line of a recording run (Harness.record)

MBPP_OUTPUT_NOT_NONE = {"check_str", "text_match_three", "text_starta_endb"}
MBPP_OUTPUT_SET_EQ = {"similar_elements", "find_char_long", "common_in_nested_lists", "extract_singly",
                      "larg_nnum", "intersection_array", "find_dissimilar", "Diff"}

# MBPP+ task number -> how its JSON inputs become the Python values the reference takes.
_SHAPE_IDS = {
    "args_to_tuples": (2, 116, 132, 143, 222, 261, 273, 394, 399, 421, 424, 429, 470, 560, 579, 596, 616,
                       630, 726, 740, 744, 809),
    "arg_items_to_tuples": (63, 64, 70, 94, 120, 237, 272, 299, 400, 409, 417, 438, 473, 614, 780),
    "first_arg_items_to_tuples": (75, 413, 444, 753),
    "second_arg_to_tuple": (106, 750),
    "first_arg_to_tuple": (250, 405, 446, 617, 720, 763, 808),
    "arg_items_to_tuples_then_args": (259, 401, 445),
    "all_lists_to_tuples": (580, 615, 791),
    "sets_of_lists": (115,),
    "float_complex": (124,),
    "complex": (252,),
    "first_arg_lists_to_tuples_then_args": (278,),
    "first_of_three_to_tuple": (307,),
    "dict_values_to_tuples": (722,),
}
INPUT_SHAPES: dict[int, str] = {n: shape for shape, ids in _SHAPE_IDS.items() for n in ids}


def _deep_tuple(x: Any) -> Any:
    return tuple(_deep_tuple(i) for i in x) if isinstance(x, list) else x


def _reshape(shape: str, inp: list[Any]) -> Any:
    if shape == "args_to_tuples":
        return [tuple(a) for a in inp]
    if shape == "arg_items_to_tuples":
        return [[tuple(x) for x in a] for a in inp]
    if shape == "first_arg_items_to_tuples":
        return [[tuple(x) for x in inp[0]], inp[1]]
    if shape == "second_arg_to_tuple":
        return [inp[0], tuple(inp[1])]
    if shape == "first_arg_to_tuple":
        return [tuple(inp[0]), inp[1]]
    if shape == "arg_items_to_tuples_then_args":
        return [tuple(tuple(x) for x in a) for a in inp]
    if shape == "all_lists_to_tuples":
        return _deep_tuple(inp)
    if shape == "sets_of_lists":  # evalplus writes an empty item as {} (a dict): kept as it is
        return [[set(i) if isinstance(i, list) and i else {} for i in inp[0]]]
    if shape == "float_complex":
        return (float(inp[0]), complex(inp[1]))
    if shape == "complex":
        return [complex(inp[0])]
    if shape == "first_arg_lists_to_tuples_then_args":
        return [tuple(tuple(i) if isinstance(i, list) else i for i in inp[0])]
    if shape == "first_of_three_to_tuple":
        return [tuple(inp[0]), inp[1], inp[2]]
    if shape == "dict_values_to_tuples":
        return [{k: tuple(v) for k, v in inp[0].items()}, *inp[1:]]
    raise ValueError(f"unknown input shape {shape!r}")


def deserialize(task_id: str, inputs: list[Any]) -> list[Any]:
    """MBPP+ inputs as the Python values evalplus passes (other tasks: unchanged)."""
    num = task_id.rpartition("/")[2]
    shape = INPUT_SHAPES.get(int(num)) if task_id.startswith("Mbpp/") and num.isdigit() else None
    return inputs if shape is None else [_reshape(shape, inp) for inp in inputs]


def is_floats(x: Any) -> bool:
    """A float, or a non-empty list/tuple of floats (evalplus's ``is_floats``)."""
    if isinstance(x, float):
        return True
    return isinstance(x, (list, tuple)) and bool(x) and all(isinstance(i, float) for i in x)


def all_close(out: Any, exp: Any, atol: float, rtol: float = 1e-7) -> bool:
    """``numpy.allclose(out, exp, rtol, atol)`` for numbers and nested sequences of them."""
    if isinstance(out, (list, tuple)) and isinstance(exp, (list, tuple)):
        return len(out) == len(exp) and all(all_close(a, b, atol, rtol) for a, b in zip(out, exp, strict=True))
    if not (isinstance(out, (int, float)) and isinstance(exp, (int, float))):
        return False
    if math.isnan(out) or math.isnan(exp):
        return False
    if math.isinf(out) or math.isinf(exp):
        return out == exp
    return abs(out - exp) <= atol + rtol * abs(exp)


def _poly(xs: list[float], x: float) -> float:
    return sum(c * math.pow(x, i) for i, c in enumerate(xs))


def _surface_area(base_edge: float, height: float) -> int:  # Mbpp/581's second reading
    slant = math.sqrt((base_edge / 2) ** 2 + height**2)
    return round(base_edge**2 + 2 * base_edge * slant)


def _digit_distance(a: int, b: int) -> int:  # Mbpp/558's second reading: pad with zeros
    sa, sb = str(a), str(b)
    width = max(len(sa), len(sb))
    return sum(abs(int(x) - int(y)) for x, y in zip(sa.zfill(width), sb.zfill(width), strict=True))


def special_match(dataset: str, entry_point: str, out: Any, exp: Any, inp: Any, atol: float) -> bool | None:
    """evalplus's special oracles: a verdict, or None where the general rule applies."""
    if dataset == "humaneval" and entry_point == "find_zero":
        return abs(_poly(*inp, out)) <= atol
    if dataset != "mbpp":
        return None
    if entry_point == "are_equivalent":
        return True
    if entry_point == "sum_div":
        return out == exp or out == 0
    if entry_point == "surface_Area":
        return out == exp or abs(out - _surface_area(*inp)) <= atol
    if entry_point == "digit_distance_nums":
        return out == exp or out == _digit_distance(*inp)
    if entry_point in MBPP_OUTPUT_SET_EQ:
        return set(out) == set(exp)
    if entry_point in MBPP_OUTPUT_NOT_NONE:
        return out == exp if isinstance(out, bool) else exp == (out is not None)
    return None


class TimeLimitExceeded(BaseException):
    """Raised in the sample's function when its input's time limit is up."""


def _alarm(signum: int, frame: Any) -> None:
    raise TimeLimitExceeded


@contextlib.contextmanager
def _limited(seconds: float):
    """Run the body with a real-time alarm and the sample's prints swallowed."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class Harness:
    """Reference outputs and times of one task, then the check of a sample against them."""

    def __init__(self, spec_json: str) -> None:
        spec = json.loads(spec_json)
        self.task_id: str = spec["task_id"]
        self.dataset: str = spec["dataset"]
        self.entry_point: str = spec["entry_point"]
        self.atol: float = float(spec["atol"])
        self.factor: float = float(spec["factor"])
        self.min_s: float = float(spec["min_s"])
        self.phases: list[tuple[str, list[Any]]] = [
            (name, deserialize(self.task_id, inputs)) for name, inputs in spec["phases"]
        ]
        self.expected: list[list[Any]] = []
        self.ref_s: list[list[float]] = []
        if spec.get("expected"):  # recorded by an earlier run of the reference (see record())
            self.expected, self.ref_s = pickle.loads(base64.b64decode(spec["expected"]))
            return
        namespace: dict[str, Any] = {"__name__": "reference"}
        exec(compile(spec["reference"], "reference.py", "exec"), namespace)
        reference = namespace[self.entry_point]
        not_none = self.dataset == "mbpp" and self.entry_point in MBPP_OUTPUT_NOT_NONE
        for name, inputs in self.phases:
            outs, times = [], []
            for i, inp in enumerate(inputs):
                t0 = time.perf_counter()
                try:
                    out = reference(*copy.deepcopy(inp))
                except BaseException as exc:  # noqa: BLE001 - the benchmark's own error: say so
                    self._fail(f"the reference solution raised {type(exc).__name__} on {name} input {i}: {exc}")
                times.append(time.perf_counter() - t0)
                outs.append(out is not None if not_none else out)
            self.expected.append(outs)
            self.ref_s.append(times)
        if spec.get("record"):
            self.record()

    def record(self) -> None:
        """Print the reference's outputs and times on one stdout line (:data:`RECORD_PREFIX`), for
        the host to cache and give later samples of the task as ``expected`` instead of rerunning
        the reference. Outputs that cannot be pickled print nothing: samples then run it."""
        try:
            data = base64.b64encode(pickle.dumps((self.expected, self.ref_s), protocol=4)).decode("ascii")
        except Exception:  # noqa: BLE001 - e.g. a generator or lambda as output
            return
        sys.__stdout__.write(f"{RECORD_PREFIX} {data}\n")
        sys.__stdout__.flush()

    def _fail(self, message: str) -> None:
        sys.__stderr__.write(f"{self.task_id}: {message}\n")
        sys.__stderr__.flush()
        raise SystemExit(1)

    def check(self, namespace: dict[str, Any]) -> None:
        """Call the sample's function on every input; exit 1 at the first wrong answer."""
        fn: Callable[..., Any] | None = namespace.get(self.entry_point)
        if not callable(fn):
            self._fail(f"the program defines no function {self.entry_point!r}")
        atol = self.atol
        for (name, inputs), expected, ref_s in zip(self.phases, self.expected, self.ref_s, strict=True):
            limits = [max(self.min_s, self.factor * t) for t in ref_s]
            deadline = time.monotonic() + min(PHASE_CAP_S, sum(limits)) + 1
            for i, (inp, exp, limit) in enumerate(zip(inputs, expected, limits, strict=True)):
                where = f"{name} input {i} of {len(inputs)}"
                if time.monotonic() > deadline:
                    self._fail(f"{name} inputs exceeded the task's time limit before input {i}")
                try:
                    with _limited(limit):
                        out = fn(*copy.deepcopy(inp))
                except TimeLimitExceeded:
                    self._fail(f"{where}: time limit {limit:.2f}s exceeded (reference {ref_s[i]:.4f}s)")
                except BaseException as exc:  # noqa: BLE001 - evalplus: anything raised fails the input
                    self._fail(f"{where}: {type(exc).__name__}: {str(exc)[:200]}")
                ok, atol = self._matches(out, exp, inp, atol)
                if not ok:
                    self._fail(f"{where}: wrong output {_short(out)}, expected {_short(exp)}")

    def _matches(self, out: Any, exp: Any, inp: Any, atol: float) -> tuple[bool, float]:
        """evalplus's comparison; returns the verdict and the atol later inputs use."""
        try:
            exact = out == exp
            if not isinstance(exact, bool):
                exact = bool(exact)
            special = special_match(self.dataset, self.entry_point, out, exp, inp, atol)
        except BaseException:  # noqa: BLE001 - an output that cannot even be compared is wrong
            return False, atol
        if special is not None:
            return special, atol
        if atol == 0 and is_floats(exp):
            atol = 1e-6  # evalplus: floats are always compared with a tolerance (and it sticks)
        if exact or atol == 0:
            return exact, atol
        if type(out) is not type(exp):
            return False, atol
        return all_close(out, exp, atol), atol


def _short(x: Any) -> str:
    try:
        text = repr(x)
    except BaseException:  # noqa: BLE001 - a sample's __repr__ may raise anything
        text = f"<unprintable {type(x).__name__}>"
    return text if len(text) <= 120 else text[:117] + "..."
