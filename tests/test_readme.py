"""README opens with exactly two commands, and CI runs the second one verbatim."""

import re

from conftest import PROJECT


def _commands() -> list[str]:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    head = text.split("##", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", head, re.S)]


def test_readme_opens_with_two_commands():
    commands = _commands()
    assert len(commands) == 2
    assert commands[0].endswith("python build.py")
    assert commands[1].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci.splitlines()
