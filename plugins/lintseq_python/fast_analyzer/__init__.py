"""The fast Python analyzer: one ``ast.parse`` and one scope walk, no inference engine.

It reports the errors that deleting lines from a valid program creates under the
reference rules (pylint, ``--disable=C,R``), with pylint's message codes so that the
sampler's baseline of the original's errors lines up:

* E0001: the state does not parse (an empty block, an orphan ``else:``...), charged to the
  header named by "... on line N" like the reference, and a ``try:`` left without a
  handler to its ``try`` line;
* E0602 / E0601 / E0606: undefined name, name used before its assignment, name bound only
  in some branches of an ``if`` (pylint's flow rules: loops, ``try`` and ``with`` bodies
  count as executed, ``if`` branches that end in ``return``/``raise`` do not need to bind);
  ``from m import *`` binds the names ``m`` provides (read statically, see ``imported``);
* E0104 / E0105 / E0103: ``return``/``yield`` outside a function, ``break``/``continue``
  outside a loop; E0117: ``nonlocal`` with no enclosing binding;
* E1111 / E1128: assigning the result of a program-defined function that returns nothing
  (or only ``None``); E1136 / E1133 when that result is subscripted or iterated;
* E1136 / E1137 / E1133: a function (a builtin such as ``sum``, or a program ``def``)
  subscripted or iterated because the variable that shadowed it lost its assignment;
* E1101: a member of a class (through ``self``, the class name, or a variable bound once
  to an instance) that neither the class nor its bases define, imported bases included;
* W0231: an ``__init__`` that does not call the ``__init__`` of a base that has one;
* W0311: indentation other than four spaces per level (a reference rule: every line of a
  tab-indented program has it, so only ``--reference-rules`` feels it);
* E2511: a carriage return not followed by a line feed (a CRLF state's last line);
* E0603: a name listed in ``__all__`` that is not defined.

What whole library files add (measured on the real-code corpus, see
``benchmarks/corpus/sources/python.toml``):

* E0601 for a name that only ``if TYPE_CHECKING:`` imports, used where it runs (an
  annotation once ``from __future__ import annotations`` is gone, a default, a call);
  postponed annotations resolve their names at the end of the module, like a function body;
* E0601 for a name only an ``except`` handler binds, used after the ``try``, and for
  ``global X; X = not X`` with no module-level ``X``; module names that functions assign
  through ``global`` count as bound everywhere else;
* E0301-E0313: a special method (``__repr__``, ``__len__``...) that returns ``None``: no
  ``return`` left (and a body that is neither abstract nor ``...``), or ``return f()`` of
  a program function that returns nothing;
* E1129 / E1701: ``with`` on an instance of a program class without ``__enter__``/``__exit__``
  (or the async pair), on a ``@contextmanager`` function that no longer yields, or on a
  variable whose every assignment is ``None``; E1102 / E1136 / E1133 likewise for such a
  variable (or ``self.x``) called, subscripted or iterated; E1136 for a builtin type that
  is no generic alias (``bytes[4:]`` once ``bytes = self.bytes`` is gone);
* E0203: ``self.x`` read in a method before that method assigns it, no other definition;
* E0633: unpacking the result of a program function or method that returns nothing;
* E1120 / E1121 / E1123: a call whose arguments no longer fit the ``__init__`` or method it
  reaches (an override was deleted; a ``@dataclass`` lost a field);
* E1136 / E1137 / E1133 on an instance of a program class that lost ``__getitem__`` /
  ``__setitem__`` / ``__iter__``; W0231 also when a program base's own ancestry is unknown
  (pylint then assumes it has an ``__init__``);
* E1101 for ``self.x += 1`` once ``x`` has no assignment left, even under an unknown base
  (pylint's rule for augmented assignments), and for ``Cls(...).x``;
* E0606 / E0601 for a closure reading a name its function binds only under an ``if`` (or
  only in an ``except`` handler), unless it was bound where the ``def`` stands or the use
  is under an ``if`` too;
* E1133 / E1136 for iterating or subscripting a call of an ``async def`` that no longer
  yields, or of a function whose every ``return`` returns a call of one that returns nothing
  (also through a variable bound once to such a call: ``samples = sample_iter(...)``);
* E1101 for ``self.m().x`` / ``f().x`` where every ``return`` of ``m`` gives ``Cls(...)``
  of a program class without ``x``; members assigned on ``obj = super().__new__(cls)``
  (``object.__new__(cls)``) in a method count as the class's;
* E1111 / E1128 for ``getter(item)`` where ``getter = make_getter(...)`` and every
  ``return`` of the factory gives its nested ``def``, which returns nothing;
* E0110: a program class with an ABCMeta metaclass (``ABC``, ``collections.abc`` bases)
  that lost the implementation of an abstract method, instantiated outside its own body;
* E1101 for ``super().x`` that no base defines (not in mixins, nor in a ``try`` that
  catches AttributeError), and for members read through a variable bound to ``self``;
* ``from m import *`` binds ``m``'s public names, as astroid does, whatever ``__all__`` says;
  a class a module aliases (``CCompiler = base.Compiler``) is followed to its definition;
* E1101 for ``mod.x`` where ``mod`` is only a module-level import of a module whose
  source binds no ``x`` (a local that shadowed the import was deleted), for ``del self.x``
  like a read, for the read in ``copy.x = self.x`` when that is the member's only
  assignment, and for members whose only assignment is ``self.n = self.n + 1`` (pylint's
  augmented-assignment rule); a metaclass does not hide an instance's members;
* E1120 / E1121 / E1124 for ``super().m(...)`` (``super().__init__()`` once the base's own
  ``__init__`` is deleted), for a keyword that repeats a positional argument, and for a
  constructor reaching the ``__init__`` of the class's first program base before unknown
  bases; E0301 for ``__iter__`` returning ``self`` once the class lost ``__next__``;
  E1133 / E1136 for ``self`` iterated or subscripted likewise; E0633 for unpacking a call
  whose every ``return`` calls a function that returns nothing;
* E1101 for ``self._clone().x`` / ``point = self._clone(); point.x`` where ``_clone``
  returns a local bound once to ``Cls(...)`` or ``Cls.__new__(Cls)``;
* E1121 / E1123 for calls that also pass ``**kw``, for ``super(Cls, self).m(...)`` in a
  method of ``Cls`` (like ``super()``), for ``cls(...)`` in a classmethod, and for calls
  reaching the ``__init__`` of an imported base (read from its source, along single bases);
  E1101 for ``x.attr`` where every binding of ``x`` so far is a literal (``0``, ``''``,
  ``[]``, or arithmetic on numbers) whose builtin type has no ``attr``;
* members and return values through program base classes (``super()`` included),
  ``metaclass=ABCMeta``, ``NamedTuple`` and ``typing.Mapping[...]``-style bases,
  ``typing.overload`` stubs, nested functions, closures over ``self``, ``cls()`` in a
  classmethod, variables bound once to a call's result, and (for E1111/E0633 only, a
  guess) a method name that only one program class defines.

It errs on the side of reporting: a report the state does not deserve only makes an edit
bigger, a missed one lets a broken state into the data. A report the original program
already has costs nothing (the sampler ignores it), unless it hides a later error of the
same code on the same line, so guesses that fire on the original are avoided.

The package is split by concern: ``syntax`` (E0001, E2511), ``scopes`` and ``flow`` (names,
definitions, branches, loops, ``try``/``with``), ``expressions`` (what the walk records of
each use), ``classes`` and ``members`` (class and instance members, E1101 and W0231),
``values`` (return values, calls, context managers) and ``driver`` (the order of it all);
``incremental`` serves the sampler's sequences of shrinking states, parsing only the chunks
of a state that an edit changed, with the same diagnostics.
"""

from __future__ import annotations

from lintseq_python.fast_analyzer.driver import analyze_fast

__all__ = ["analyze_fast"]
