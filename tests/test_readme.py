"""The README's promises read as written: its code blocks open and close, every command sits in one."""
from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_code_fence_is_closed_and_every_command_line_is_inside_one():
    inside, outside_commands = False, []
    lines = README.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            inside = not inside
        elif line.startswith("chibo --db") and not inside:
            outside_commands.append(number)
    assert not inside, "the last code block is never closed"
    assert outside_commands == [], f"command lines outside a code block: {outside_commands}"


def test_the_readme_says_how_to_start_the_program_after_set_up():
    text = README.read_text(encoding="utf-8")
    assert ".venv/bin/chibo" in text and "desktop session" in text
