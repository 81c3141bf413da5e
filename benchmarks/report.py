"""Figures, targets and sections of a benchmark run, as a table and as Markdown."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    """One measured quantity: every run's value and their median."""

    label: str
    runs: tuple[float, ...]
    unit: str  # "s" or "MiB"
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


@dataclass(frozen=True)
class Target:
    """A goal of the issue, the figure it is judged on, and whether it is met."""

    goal: str
    measured: str
    met: bool


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def figure(self, label: str) -> Figure:
        return next(f for f in self.figures if f.label == label)


def amount(value: float, unit: str) -> str:
    """A value with three significant digits or so, and its unit."""
    if unit == "s" and value < 1:
        return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.2f} ms"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    if value >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


def ratio(value: float) -> str:
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"


def runs_text(figure: Figure) -> str:
    return ", ".join(amount(run, figure.unit) for run in figure.runs)


def check(met: bool) -> str:
    return "met" if met else "MISSED"


def text_table(sections: list[Section]) -> str:
    """The console table: every figure, then every target."""
    rows = [("benchmark", "measure", "median", "runs")]
    for section in sections:
        for figure in section.figures:
            rows.append(
                (
                    section.key,
                    figure.label,
                    amount(figure.median, figure.unit),
                    str(len(figure.runs)),
                )
            )
    goals = [("benchmark", "target", "measured", "")]
    for section in sections:
        goals += [
            (section.key, t.goal, t.measured, check(t.met)) for t in section.targets
        ]
    return f"{_aligned(rows)}\n\n{_aligned(goals)}"


def _aligned(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def markdown_figures(sections: list[Section]) -> list[str]:
    lines = ["| benchmark | measure | median | runs |", "|---|---|---|---|"]
    for section in sections:
        for figure in section.figures:
            label = f"{figure.label} ({figure.note})" if figure.note else figure.label
            lines.append(
                f"| {section.key} | {label} | **{amount(figure.median, figure.unit)}** "
                f"| {runs_text(figure)} |"
            )
    return lines


def markdown_targets(sections: list[Section]) -> list[str]:
    lines = ["| benchmark | target | measured | |", "|---|---|---|---|"]
    for section in sections:
        lines += [
            f"| {section.key} | {t.goal} | {t.measured} | {check(t.met)} |"
            for t in section.targets
        ]
    return lines


def markdown_notes(sections: list[Section]) -> list[str]:
    lines: list[str] = []
    for section in sections:
        if section.notes:
            lines += [f"### {section.title}", ""]
            lines += [f"- {note}" for note in section.notes]
            lines.append("")
    return lines
