"""The Go oracle (`go tool compile`): extra flags, every error, and codes that compare."""

from __future__ import annotations

import shutil

import pytest

from lintseq_core.host import get_host

pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="the Go toolchain is not installed")

# Twelve unused variables: more than the ten errors gc reports without -e.
MANY = "package p\n\nfunc f() {\n" + "".join(f"\tv{i} := {i}\n" for i in range(12)) + "}\n"


def test_extra_flags_go_before_the_file(monkeypatch):
    host = get_host()
    monkeypatch.setenv("LINTSEQ_GO_ARGS", "-e")
    errors = host.analyze("go", "go", MANY)
    # Appended after the file, `-e` would be opened as a second source file and the type
    # checker would not run at all.
    assert len(errors) == 12 and all("declared but not used" in d.message for d in errors)
    monkeypatch.delenv("LINTSEQ_GO_ARGS")
    assert len(host.analyze("go", "go", MANY)) < 12


def test_case_hint_does_not_change_the_code():
    host = get_host()
    prog = "package p\n\ntype T struct{}\n\nMETHODfunc f(t T) { t.accept() }\n"
    with_hint = host.analyze("go", "go", prog.replace("METHOD", "func (T) Accept() {}\n\n"))
    without = host.analyze("go", "go", prog.replace("METHOD", ""))
    assert "but does have Accept" in with_hint[0].message
    assert [d.code for d in with_hint] == [d.code for d in without]


def test_embed_configuration_is_the_build_systems_not_an_error(tmp_path):
    # `go build` gives gc the files a //go:embed pattern matches; one file compiled alone has
    # none. Without a failed import gc says so; that says nothing about the program.
    host = get_host()
    prog = 'package p\n\nimport "embed"\n\n//go:embed tests/*\nvar files embed.FS\n\nvar x int = "s"\n'
    codes = [d.code for d in host.analyze("go", "go", prog)]
    assert codes and not any("embed configuration" in c for c in codes)
    assert any("cannot use" in c for c in codes)  # the real error is still reported
