"""Format strings and their arguments: E1304-E1306 (``%`` and ``str.format``), E1205/E1206
(logging calls).

A call written one argument a line (``"%s and %s" % (\\n a,\\n b,\\n)``,
``logger.info("%s: %s",\\n name,\\n value)``) loses an argument line: pylint then counts the
format's placeholders against the arguments left. Only literal format strings and literal
argument lists are judged, each node on its own (no scopes).
"""

from __future__ import annotations

import ast
import re
import string

__all__ = ["format_call_errors", "percent_errors"]

# pylint's logging checker: these methods of ``logging`` or a logger take a %-format first
# (``log`` takes the level first).
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "critical", "exception", "fatal", "log"})
_PERCENT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?(?P<conv>.)?",
    re.DOTALL,
)
_CONVERSIONS = frozenset("diouxXeEfFgGcrsa%")

Errors = list[tuple[str, str]]


def _percent_fields(text: str) -> tuple[int, set[str]] | None:
    """(positional arguments, mapping keys) a %-format needs; None when it cannot be read
    (a bad conversion, keys mixed with positional fields)."""
    count = 0
    keys: set[str] = set()
    for m in _PERCENT.finditer(text):
        conv = m.group("conv")
        if conv is None or conv not in _CONVERSIONS:
            return None
        if conv == "%" and m.group(0) == "%%":
            continue
        if m.group("key") is not None:
            keys.add(m.group("key"))
        else:
            count += 1
        count += (m.group("width") == "*") + (m.group("precision") == "*")
    if keys and count:
        return None
    return count, keys


def percent_errors(node: ast.BinOp) -> Errors:
    """``"fmt" % (a, b)`` / ``"fmt" % {"k": v}``: E1306 / E1305 / E1304."""
    left, right = node.left, node.right
    if type(left) is not ast.Constant or not isinstance(left.value, str):
        return []
    fields = _percent_fields(left.value)
    if fields is None:
        return []
    count, keys = fields
    if keys:
        if type(right) is not ast.Dict or not all(
            type(k) is ast.Constant and isinstance(k.value, str) for k in right.keys
        ):
            return []  # (``**`` in the dict, computed keys: unknown)
        given = {k.value for k in right.keys}  # type: ignore[union-attr]
        return [("E1304", f"Missing key {key!r} in format string dictionary") for key in sorted(keys - given)]
    if type(right) is not ast.Tuple or any(type(e) is ast.Starred for e in right.elts):
        return []
    return _compare(count, len(right.elts), "format string")


def format_call_errors(call: ast.Call) -> Errors:
    """``"{} {}".format(a)`` (positional fields only) and logging calls: E1306/E1305,
    E1206/E1205."""
    func = call.func
    if type(func) is not ast.Attribute or any(type(a) is ast.Starred for a in call.args):
        return []
    if func.attr == "format" and type(func.value) is ast.Constant and isinstance(func.value.value, str):
        needed = _brace_fields(func.value.value)
        if needed is None or any(k.arg is None for k in call.keywords):
            return []
        return _compare(needed, len(call.args), "format string")
    if func.attr in _LOG_METHODS and _looks_like_logger(func.value):
        first = 1 if func.attr == "log" else 0
        if len(call.args) <= first:
            return []
        msg = call.args[first]
        if type(msg) is not ast.Constant or not isinstance(msg.value, str):
            return []
        fields = _percent_fields(msg.value)
        if fields is None or fields[1]:
            return []
        return _compare(fields[0], len(call.args) - first - 1, "logging format string", logging=True)
    return []


def _compare(needed: int, given: int, what: str, logging: bool = False) -> Errors:
    if given < needed:
        return [("E1206" if logging else "E1306", f"Not enough arguments for {what}")]
    if given > needed:
        return [("E1205" if logging else "E1305", f"Too many arguments for {what}")]
    return []


def _brace_fields(text: str) -> int | None:
    """How many positional arguments a ``str.format`` string needs; None when it names a
    field or nests one in a format spec (not judged)."""
    auto = 0
    top = -1
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    for _literal, name, spec, _conv in parsed:
        if name is None:
            continue
        if spec and "{" in spec:
            return None
        head = re.split(r"[.\[]", name, maxsplit=1)[0]
        if head == "":
            auto += 1
        elif head.isdigit():
            top = max(top, int(head))
        else:
            return None
    if auto and top >= 0:
        return None
    return auto if auto else top + 1


def _looks_like_logger(node: ast.expr) -> bool:
    """``logging``, ``logger``, ``self.log``, ``LOGGER``... (pylint infers a Logger there:
    a name is a guess, and a report on a guess only makes an edit bigger)."""
    if type(node) is ast.Name:
        name = node.id
    elif type(node) is ast.Attribute:
        name = node.attr
    else:
        return False
    name = name.lower().lstrip("_")
    return name in ("logging", "log") or name.endswith("logger")
