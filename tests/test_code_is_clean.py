"""The code base passes ruff and mypy as pyproject.toml configures them. CI runs only pytest, so this is
where they run; each runs in the repository root, wherever pytest was started."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent  # tests/ is at the top of the repository


@pytest.mark.parametrize("command", [("ruff", "check", "."), ("mypy",)], ids=["ruff", "mypy"])
def test_code_is_clean(command: tuple[str, ...]) -> None:
    assert (ROOT / "pyproject.toml").is_file(), f"{ROOT} is not the repository root"
    result = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"`{' '.join(command)}` exited {result.returncode}:\n{result.stdout}{result.stderr}"


def test_no_test_module_imports_another() -> None:
    """Tests share fixtures through conftest.py or a helper module; a test module imported by another would
    run its tests twice and tie the two files together."""
    import ast

    tests = ROOT / "tests"
    test_modules = {path.stem for path in tests.glob("test_*.py")}
    offenders = []
    for path in sorted(tests.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [alias.name for alias in node.names if not node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            offenders += [f"{path.name}:{node.lineno} imports {name}" for name in names
                          if name.rsplit(".", 1)[-1] in test_modules]
    assert not offenders, "\n".join(offenders)
