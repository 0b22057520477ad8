"""A journal's own templates are someone else's code (a shared repository): netjournal renders them in
jinja's sandbox, so the known ways out of a template run nothing, and the build says clearly why it failed.
netjournal's own templates render exactly as before when they go through the sandbox."""
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from netjournal.cli import main
from netjournal.engine import build_site
from netjournal.site.render import package_templates

from conftest import EXAMPLE, TODAY, interaction, person

# Each tries to run `touch PWNED` (a file the test then looks for) from a template.
ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch PWNED').read() }}",
    "{{ joiner.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ namespace.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch PWNED') }}",
    ("{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
     "{{ c('touch PWNED', shell=True) }}{% endif %}{% endfor %}"),
    "{{ interaction_html.__globals__['os'].system('touch PWNED') }}",
    "{{ '{0.__init__.__globals__}'.format(cycler) }}{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ page.__class__.__base__.__subclasses__() }}",
    "{% set x = range.__self__.__import__('os') %}{{ x.system('touch PWNED') }}",
    "{{ (site|attr('__class__')).__base__.__subclasses__() }}",
]


@pytest.fixture
def journal(make_journal):
    return make_journal({"people/ada.md": person("Ada Lovelace"),
                         "interactions/2026/a.md": interaction("2026-11-01", "ada") + "Coffee.\n"})


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_journal_template_cannot_run_code_and_the_build_says_why(journal, tmp_path, escape, monkeypatch):
    out = tmp_path / "site"
    assert CliRunner().invoke(main, ["build", str(journal), "-o", str(out), "--today", "2026-11-22"]).exit_code == 0
    before = (out / "people" / "ada.html").read_bytes()
    (journal / "templates").mkdir()
    (journal / "templates" / "person.html").write_text(
        "{% extends 'base.html' %}{% block main %}\n" + escape + "\n{% endblock %}", encoding="utf-8")
    monkeypatch.chdir(journal)  # where `touch PWNED` would write
    result = CliRunner().invoke(main, ["build", ".", "-o", str(out), "--today", "2026-11-23"])
    assert not (journal / "PWNED").exists()
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output  # no traceback
    message = result.output.strip().splitlines()[-1]
    assert "templates/person.html:2: " in message, message
    if "__self__" not in escape:  # a function has no __self__: that one fails as a typo would
        assert "refused: netjournal renders a journal's own templates in jinja's sandbox" in message, message
    assert (out / "people" / "ada.html").read_bytes() == before  # the last good site stays


@pytest.mark.parametrize("raising", ["{{ 1 // 0 }}", "{{ 'x'.encode('nope') }}", "{{ [][1] }}"])
def test_a_journal_template_that_raises_fails_the_build_saying_where(journal, tmp_path, raising):
    """helper-68: a template raising another error than jinja's (`1 // 0`) ended `build` in a traceback,
    which quoted the template's line as written (its escape sequences too)."""
    (journal / "templates").mkdir()
    (journal / "templates" / "person.html").write_text(raising + "\x1b]0;TRACE\x07\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(journal), "-o", str(tmp_path / "site"), "--today", "2026-11-22"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output  # no traceback
    assert "templates/person.html:1: " in result.output and "\x1b" not in result.output, result.output


def test_serve_shows_a_sandbox_refusal_in_its_banner_and_lives_on(journal, monkeypatch):
    from netjournal.serve import Server

    monkeypatch.chdir(journal)  # where `touch PWNED` would write
    (journal / "templates").mkdir()
    (journal / "templates" / "tags.html").write_text(ESCAPES[0], encoding="utf-8")
    logs: list[str] = []
    server = Server(journal, lambda: TODAY, port=0, log=logs.append)
    server.start()
    try:
        assert not (journal / "PWNED").exists()
        assert "sandbox" in server.site.banner() and "templates/tags.html:1" in server.site.banner()
    finally:
        server.stop()


def test_new_note_templates_of_the_journal_run_nothing(journal):
    """Note templates are plain notes, not jinja: the escape in one is refused as netjournal 0.1's kind of
    template, and runs nothing."""
    (journal / "templates").mkdir()
    (journal / "templates" / "new-person.md").write_text(
        "---\nname: {{ name | yaml }}\n---\n" + ESCAPES[0] + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "netjournal.cli", "new", "person", "Grace Hopper", "--no-edit"],
                            cwd=journal, capture_output=True, text=True, timeout=60, check=False)
    assert not (journal / "PWNED").exists()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert not (journal / "people" / "grace-hopper.md").exists()


def test_the_sandbox_renders_netjournals_own_templates_byte_for_byte(tmp_path):
    """A journal holding a copy of every template of netjournal's is rendered in the sandbox; its site is
    byte for byte the site of the same journal without them (rendered as trusted code)."""
    plain, copied = tmp_path / "plain", tmp_path / "copied"
    shutil.copytree(EXAMPLE, plain)
    shutil.copytree(EXAMPLE, copied)
    shutil.copytree(package_templates(), copied / "templates", ignore=shutil.ignore_patterns("__*"))
    build_site(plain, TODAY, tmp_path / "one")
    build_site(copied, TODAY, tmp_path / "two")
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two and len(one) > 30
