"""Subcommands of ``lintseq-core``, one module each."""
