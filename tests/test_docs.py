"""Documentation stays true: every finding code is documented, the README's commands exist and work."""
import re
import shlex

from click.testing import CliRunner

from netjournal.cli import main
from netjournal.findings import CODES

from conftest import REPO


def test_every_code_is_documented_with_severity_and_tuning():
    table = (REPO / "docs" / "checks.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| (\w+) \| (.+?) \| (.+?) \|$", table, re.MULTILINE)
    assert {code for code, *_ in rows} == set(CODES)
    for code, severity, summary, tune in rows:
        assert severity == CODES[code].severity.label and summary and tune


def test_checks_doc_is_generated_from_the_table():
    from netjournal.findings import codes_markdown
    assert (REPO / "docs" / "checks.md").read_text(encoding="utf-8") == codes_markdown()


def test_every_code_used_in_the_source_is_in_the_table():
    used = set()
    for path in (REPO / "src" / "netjournal").rglob("*.py"):
        used |= set(re.findall(r'Finding\(\s*"([a-z-]+)"', path.read_text(encoding="utf-8")))
    assert used <= set(CODES) and len(used) >= 15


def test_readme_test_command_is_what_ci_runs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r"test command `([^`]+)`", readme).group(1)
    assert ci.strip().splitlines()[-1] == command
    assert "bash .ci/run" in readme


def test_readme_netjournal_commands_parse():
    """Every `netjournal …` line in the README's code blocks is accepted by the CLI's --help parsing."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.DOTALL)
    commands = set()
    for block in blocks:
        for line in block.splitlines():
            for part in re.split(r"&&|;", line):
                part = part.strip()
                if part.startswith("netjournal "):
                    commands.add(shlex.split(part, comments=True)[1])
    assert {"check", "build"} <= commands
    for name in commands:
        assert CliRunner().invoke(main, [name, "--help"]).exit_code == 0, name
