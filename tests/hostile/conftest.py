"""Fixtures of the hostile suite: the two servers, log scanning, the figures."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.hostile.cases import REFUSED, SMALL, SURVIVING
from tests.hostile.figures import FIGURES
from tests.hostile.pipeline import leaks_in
from tests.hostile.server import Environment, HostileApp, Recorder, serving

HOSTILE = "hostile"


def hostile_environments() -> dict[str, Environment]:
    """One environment of every surviving case, and one per refused case."""
    merged = Environment()
    for case in SURVIVING:
        assert not set(case.endpoints) & set(merged.endpoints), case.id
        merged.endpoints.update(case.endpoints)
        merged.extra_root.update(case.extra_root)
    environments = {HOSTILE: merged, "small": SMALL}
    for case in REFUSED:
        assert case.environment is not None
        environments[case.id] = case.environment
    return environments


@pytest.fixture(scope="session")
def recorder() -> Iterator[tuple[Recorder, str]]:
    """The other origin, recording what reaches it."""
    app = Recorder()
    with serving(app) as origin:
        yield app, origin
    FIGURES.requests_elsewhere = len(app.requests)
    FIGURES.authorizations_elsewhere = len(app.authorizations)
    assert app.authorizations == [], "credentials reached the other origin"


@pytest.fixture(scope="session")
def hostile(recorder: tuple[Recorder, str]) -> Iterator[str]:
    """The hostile server's origin; environment ``x`` is at ``/x/api/``."""
    app = HostileApp(hostile_environments(), recorder[1])
    with serving(app) as origin:
        yield origin
        app.stop.set()


@pytest.fixture(autouse=True)
def scanned_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every log line of a hostile test, at DEBUG, is scanned for the password.

    The CLI's logging set-up stops ``generator`` from propagating; here it
    propagates to the capture again, for the test's duration.
    """
    logger = logging.getLogger("generator")
    propagate, level = logger.propagate, logger.level
    logger.propagate = True
    caplog.set_level(logging.DEBUG)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.propagate, logger.level = propagate, level
    hits = 0
    # Module fixtures log in the setup of the first test that needs them.
    for record in caplog.get_records("setup") + caplog.get_records("call"):
        FIGURES.log_lines_scanned += 1
        hits += leaks_in(record.getMessage()) + leaks_in(record.exc_text or "")
    FIGURES.password_hits += hits
    assert hits == 0, "the password appeared in a log line"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES.cases and not FIGURES.faults:
        return
    terminalreporter.section("acebind hostile and fault figures")
    for line in FIGURES.lines():
        terminalreporter.write_line(line)
    cache = getattr(terminalreporter.config, "cache", None)
    if cache is not None:
        cache.set("acebind/hostile-figures", FIGURES.as_json())
