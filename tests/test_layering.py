"""The code keeps its shape: import-linter's contracts hold, and no import hides in a function."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Its module docstring says why: each command imports only what it uses, for start-up time.
LAZY_BY_DESIGN = {"bot/cli/commands.py"}


def test_import_contracts_hold():
    """Layers, feature independence, no feature cycle, no development tool in the bot."""
    # In a process of its own: run in-process, the linter left this worker's state such
    # that a later test capturing the Bot API client's log lines (tests/web/test_logs.py) saw none.
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def _inner_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every bot.* import inside a function of the file."""
    found = []
    for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot"):
                found.append((node.lineno, node.module or ""))
            elif isinstance(node, ast.Import):
                found += [(node.lineno, a.name) for a in node.names if a.name.startswith("bot")]
    return found


def test_function_level_imports_say_why():
    """An import inside a function (never to dodge a cycle) carries a comment saying why."""
    unexplained = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name in LAZY_BY_DESIGN:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for lineno, module in _inner_imports(path):
            here, above = lines[lineno - 1], lines[lineno - 2].strip()
            if "#" not in here and not above.startswith("#"):
                unexplained.append(f"{name}:{lineno} {module}")
    assert not unexplained, "function-level imports without a reason: " + ", ".join(unexplained)
