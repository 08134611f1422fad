"""Shipped experiment plans (YAML), read by name with ``lintseq_experiment.plan.plan_path``."""
