"""What the hostile suite measured: filled in by its tests, printed at the end."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass
class Figures:
    cases: dict[str, str] = dataclasses.field(default_factory=dict)  # id -> outcome
    cases_passed: set[str] = dataclasses.field(default_factory=set)
    faults: dict[str, int] = dataclasses.field(default_factory=dict)
    # per command killed: how the trials ended (old tree, new tree, leftovers)
    kills: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)
    files_scanned: int = 0
    log_lines_scanned: int = 0
    outputs_scanned: int = 0  # subprocess stdout/stderr captures
    files_leaked: int = 0  # written outside the target folders
    password_hits: int = 0  # the password in a file, a log line or an output
    authorizations_elsewhere: int = 0  # Authorization headers the other origin got
    requests_elsewhere: int = 0

    def fault(self, kind: str, count: int = 1) -> None:
        self.faults[kind] = self.faults.get(kind, 0) + count

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["cases_passed"] = sorted(self.cases_passed)
        return data

    def lines(self) -> list[str]:
        survived = [c for c, o in self.cases.items() if o == "survives"]
        refused = [c for c, o in self.cases.items() if o == "refused"]
        passed = len(self.cases_passed & set(self.cases))
        lines = [
            f"hostile cases tried: {len(self.cases)} ({len(survived)} survived "
            f"with a clean package, {len(refused)} refused with one clear error); "
            f"{passed} passed their checks",
        ]
        for kind, count in sorted(self.faults.items()):
            lines.append(f"faults survived, {kind}: {count}")
        for command, seen in sorted(self.kills.items()):
            shown = ", ".join(f"{what} {count}" for what, count in sorted(seen.items()))
            lines.append(f"SIGKILL trials of acebind {command}: {shown}")
        lines += [
            f"files written outside schemas/<env>/ and generated/<env>/: "
            f"{self.files_leaked}",
            f"credentials leaked: {self.password_hits} password hits in "
            f"{self.files_scanned} files, {self.log_lines_scanned} log lines and "
            f"{self.outputs_scanned} process outputs; "
            f"{self.authorizations_elsewhere} Authorization headers at the other "
            f"origin (which got {self.requests_elsewhere} requests)",
        ]
        return lines


FIGURES = Figures()
