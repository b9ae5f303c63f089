"""The fault suite's report: what each fault test found, printed at the end of the run (also when
pytest captures the output)."""
import pytest

REPORTED: list[str] = []


class FaultReport:
    def __init__(self):
        self.lines: list[str] = []

    def __call__(self, *lines: str) -> None:
        self.lines += lines
        REPORTED.extend(lines)


@pytest.fixture
def fault_report() -> FaultReport:
    return FaultReport()


def pytest_terminal_summary(terminalreporter):
    if REPORTED:
        terminalreporter.section("fault suite")
        for line in REPORTED:
            terminalreporter.write_line(line)
