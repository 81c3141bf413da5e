"""Drift: what changed between two schema trees, classified and reported.

:mod:`~generator.drift.rules` names every kind of change and its level,
:mod:`~generator.drift.changes` compares two trees,
:mod:`~generator.drift.overrides` applies ``acebind.toml``'s per-environment
adjustments, :mod:`~generator.drift.reports` renders the four formats and the
verdict, :mod:`~generator.drift.sources` reads a tree from a folder or a git
revision, and :mod:`~generator.drift.check` runs ``acebind check``.
"""

from generator.drift.changes import Change, compare_trees
from generator.drift.overrides import Overrides, parse_overrides
from generator.drift.reports import Report, render
from generator.drift.rules import RULES, Level, Rule

__all__ = [
    "RULES",
    "Change",
    "Level",
    "Overrides",
    "Report",
    "Rule",
    "compare_trees",
    "parse_overrides",
    "render",
]
