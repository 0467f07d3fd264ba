"""The dependency files: runtime apart from the tools, every package pinned and hashed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = {"pytest", "pytest-django", "pytest-xdist", "playwright", "schemathesis", "ruff", "factory-boy", "pip-audit"}
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s\\;]+)")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        if match := REQUIREMENT.match(line):
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def test_the_runtime_requirements_hold_no_test_or_lint_tool() -> None:
    assert not TOOLS & set(pins(ROOT / "requirements.txt"))


def test_the_tools_are_in_the_development_requirements() -> None:
    assert TOOLS <= set(pins(ROOT / "requirements-dev.txt"))


@pytest.mark.parametrize("name", ["requirements-pip.txt", "requirements.txt", "requirements-dev.txt"])
def test_every_requirement_is_pinned_and_hashed(name: str) -> None:
    text = (ROOT / name).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)  # an entry: its pin, hash lines and "via" comments
    requirements = [entry for entry in entries if entry and not entry.startswith("#")]
    assert requirements
    for entry in requirements:
        assert REQUIREMENT.match(entry), entry.splitlines()[0]
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


@pytest.mark.parametrize(
    ("source", "compiled"),
    [
        ("requirements-pip.in", "requirements-pip.txt"),
        ("requirements.in", "requirements.txt"),
        ("requirements-dev.in", "requirements-dev.txt"),
    ],
)
def test_the_compiled_files_pin_what_their_sources_ask_for(source: str, compiled: str) -> None:
    wanted = pins(ROOT / source)
    assert wanted
    assert {name: pins(ROOT / compiled).get(name) for name in wanted} == wanted


def test_both_files_agree_on_every_shared_package() -> None:
    runtime, development = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-dev.txt")
    assert {name: development[name] for name in runtime.keys() & development.keys()} == {
        name: runtime[name] for name in runtime.keys() & development.keys()
    }


def test_the_tools_keep_the_pip_installed_first() -> None:
    # A development install must not move pip away from the version every .venv starts with.
    assert pins(ROOT / "requirements-dev.txt")["pip"] == pins(ROOT / "requirements-pip.txt")["pip"]
