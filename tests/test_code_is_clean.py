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
