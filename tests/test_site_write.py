"""Atomic builds: a failure leaves the last good site; dangerous output folders are refused; output is
deterministic."""
import hashlib
import os
import shutil
import sys

import pytest
from click.testing import CliRunner

from netjournal import engine as build_module
from netjournal import page_making
from netjournal.cli import main
from netjournal.engine import build_site
from netjournal.site.write import MARKER, UnsafeOutput

from conftest import EXAMPLE, TODAY, person


def digest_tree(folder):
    result = {}
    for dirpath, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as handle:
                result[os.path.relpath(path, folder)] = hashlib.sha256(handle.read()).hexdigest()
    return result


def test_exception_mid_build_leaves_the_old_site(make_journal, tmp_path, monkeypatch):
    root = make_journal({"people/a.md": person("A"), "people/b.md": person("B")})
    out = tmp_path / "site"
    build_site(root, TODAY, out)
    before = digest_tree(out)
    calls = {"n": 0}
    real_render = page_making.render_page

    def failing_render(env, page, site):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full, say")
        return real_render(env, page, site)

    monkeypatch.setattr(page_making, "render_page", failing_render)
    (root / "people" / "c.md").write_text(person("C"), encoding="utf-8")
    with pytest.raises(RuntimeError):
        build_site(root, TODAY, out)
    assert digest_tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []  # no staging left over


def test_refuses_the_journal_itself_and_its_parents(make_journal):
    root = make_journal({"people/a.md": person("A")})
    (root / ".git" / "refs" / "tags").mkdir(parents=True)
    # and a folder of git's (helper-47: a site was written into .git/refs/tags) or of the cache
    for out in (root, root.parent, root / "people", root / "people" / "site", root / ".git" / "refs" / "tags",
                root / ".netjournal-cache" / "site"):
        with pytest.raises(UnsafeOutput):
            build_site(root, TODAY, out)
    assert (root / "people" / "a.md").read_text(encoding="utf-8") == person("A")


def test_never_replaces_a_folder_it_did_not_create(make_journal, tmp_path):
    root = make_journal({"people/a.md": person("A")})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work", encoding="utf-8")
    with pytest.raises(UnsafeOutput, match="not made by netjournal"):
        build_site(root, TODAY, precious)
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "years of work"
    empty = tmp_path / "empty"
    empty.mkdir()
    build_site(root, TODAY, empty)  # an empty folder is fine
    assert (empty / MARKER).is_file()
    build_site(root, TODAY, empty)  # and so is our own site, again


@pytest.mark.parametrize("in_place", [False, True], ids=["build", "serve or daemon"])
def test_a_marker_that_is_a_symlink_does_not_make_a_folder_netjournals(make_journal, tmp_path, in_place):
    """A `.netjournal-site` that links to a file elsewhere (a folder a user copied with its links, say) is not
    the marker netjournal writes: the folder is refused by a build and by a build in place (helper-39: both
    took it, removed the user's pages and replaced the link)."""
    root = make_journal({"people/a.md": person("A")})
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("x", encoding="utf-8")
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "essay.html").write_text("mine", encoding="utf-8")
    (folder / MARKER).symlink_to(elsewhere)
    builder = build_module.Builder(root, folder, in_place=in_place)
    with pytest.raises(UnsafeOutput, match="not made by netjournal"):
        builder.build(TODAY)
    assert sorted(p.name for p in folder.iterdir()) == [MARKER, "essay.html"] and (folder / MARKER).is_symlink()
    assert (folder / "essay.html").read_text(encoding="utf-8") == "mine"

def test_refuses_a_file(make_journal, tmp_path):
    root = make_journal({"people/a.md": person("A")})
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(UnsafeOutput, match="is a file"):
        build_site(root, TODAY, tmp_path / "file")


def test_two_builds_are_byte_identical(tmp_path):
    build_site(EXAMPLE, TODAY, tmp_path / "one")
    build_site(EXAMPLE, TODAY, tmp_path / "two")
    one, two = digest_tree(tmp_path / "one"), digest_tree(tmp_path / "two")
    assert one == two and len(one) > 30


def test_output_inside_the_journal_is_not_read_back(make_journal):
    root = make_journal({"people/a.md": person("A")})
    build_site(root, TODAY)
    (root / "_site" / "people" / "stray.md").write_text(person("Stray"), encoding="utf-8")
    result = build_site(root, TODAY)
    assert result.note_count == 1
    assert sorted(page.name for page in (root / "_site" / "people").glob("*.html")) == ["a.html", "index.html"]


def test_template_lookups_on_dicts_are_jinjas(tmp_path):
    """The environment reads `row.key` off a dict without trying the attribute first: what a template
    gets is what plain jinja gives, methods, missing keys and other types included."""
    import jinja2

    from netjournal.site.render import make_environment

    ours = make_environment(tmp_path)
    plain = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    row = {"name": "<Ada>", "items": "an item named items", "private": False}
    for source in ("{{ row.name }}", "{{ row.items is callable }}", "{{ row.private }}", "{{ row['items'] }}",
                   "{{ row.missing is defined }}", "{{ loop_owner.real }}", "{{ row.get('name') }}"):
        expected = plain.from_string(source).render(row=row, loop_owner=3)
        assert ours.from_string(source).render(row=row, loop_owner=3) == expected, source
    with pytest.raises(jinja2.UndefinedError):
        ours.from_string("{{ row.missing }}").render(row=row)


HOSTILE_VALUES = ["<script>alert(1)</script>", "\"quoted\" & 'single'", "", "plain", "Zoë · 📅 2026-01-01 —",
                  "a\u2028b\x00c", 3, -1.5, None, True, ["<li>"], {"k": "<v>"}]


@pytest.mark.parametrize("source", [
    "{{ value }}", "<p title=\"{{ value }}\">{{ value }}</p>", "{% if value is not none %}{{ value }}{% endif %}",
    "{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{{ m(value) }}{{ m(m(value)) }}",
    "{% set held %}<b>{{ value }}</b>{% endset %}{{ held }}{{ held | length }}",
    "{{ value | string }}{{ [value, value] | join(', ') }}{{ value ~ '<' }}",
    "{% autoescape false %}{{ value }}{% endautoescape %}{{ value }}",
    "{% for x in [value, value] %}{{ x }}{{ ', ' if not loop.last }}{% endfor %}",
    "{% filter upper %}{{ value }}<b>{% endfilter %}{% with v = value %}{{ v }}{% endwith %}",
    "{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}{{ value }}{% endcall %}",
    "{% set ns = namespace(s='') %}{% for c in [value] %}{% set ns.s = ns.s ~ c %}{% endfor %}{{ ns.s }}",
    "{{ value | e }}{{ value | safe }}{{ value | forceescape }}{{ value | striptags }}",
])
def test_pages_escape_what_plain_jinja_escapes(tmp_path, source):
    """`{{ value }}` writes a plain string's escaped text without making a Markup of it first (see
    render.output_escape): every page must still read exactly what stock jinja with autoescape writes,
    for hostile strings, Markup, other types, macros, block sets, filters and autoescape switched off."""
    import jinja2
    from markupsafe import Markup

    from netjournal.site.render import make_environment

    ours = make_environment(tmp_path)
    plain = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    for value in [*HOSTILE_VALUES, Markup("<b>safe</b>"), Markup("")]:
        expected = plain.from_string(source).render(value=value)
        assert ours.from_string(source).render(value=value) == expected, (source, value)
    if "autoescape false" not in source and "| safe" not in source:  # both write the value raw
        assert "<script>" not in ours.from_string(source).render(value="<script>")


def test_an_output_that_is_a_symlink_is_followed_and_its_target_checked(make_journal, tmp_path):
    """`-o link` where link points at a folder: the site goes into that folder (the link stays a link,
    and nothing is left beside it), and the folder is checked as any output is."""
    root = make_journal({"people/a.md": person("A")})
    target, link = tmp_path / "www" / "site", tmp_path / "link"
    target.mkdir(parents=True)
    link.symlink_to(target, target_is_directory=True)
    for name in ("A", "Anna"):
        (root / "people" / "a.md").write_text(person(name), encoding="utf-8")
        result = CliRunner().invoke(main, ["build", str(root), "-o", str(link), "--today", TODAY.isoformat()])
        assert result.exit_code == 0, result.output
        assert link.is_symlink() and os.readlink(link) == str(target)
        assert (target / MARKER).is_file() and name in (target / "people" / "a.html").read_text(encoding="utf-8")
        assert target.as_uri() in result.output
    stray = [p for p in tmp_path.rglob("*") if p.is_symlink() and p != link]
    assert stray == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal0", "link", "www"]

    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("years of work", encoding="utf-8")
    for points_at, why in ((foreign, "not made by netjournal"), (root, "journal folder"),
                           (root / "people", "people/ folder")):
        link.unlink()
        link.symlink_to(points_at, target_is_directory=True)
        with pytest.raises(UnsafeOutput, match=why):
            build_site(root, TODAY, link)
        assert link.is_symlink() and os.readlink(link) == str(points_at)
    assert [p.name for p in foreign.iterdir()] == ["thesis.txt"]
    assert (root / "people" / "a.md").is_file()


FULL_DISK = r"""
import hashlib, json, os, subprocess, sys
mount, journal, how = sys.argv[1:4]
if how == "full":  # a file system of its own, in this process's own mount namespace (unshare -rm)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount], check=True)
else:  # a file size limit: a write past it fails as a full disk does (SIGXFSZ ignored: EFBIG)
    import resource, signal
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

def limit():
    if how != "full":
        import resource
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))

def build():
    command = [sys.executable, "-m", "netjournal.cli", "build", journal, "-o", os.path.join(mount, "site"),
               "--today", "2026-11-22"]
    return subprocess.run(command, capture_output=True, text=True, preexec_fn=limit)

def tree():
    found = {}
    for folder, _, names in os.walk(os.path.join(mount, "site")):
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                found[os.path.relpath(os.path.join(folder, name), mount)] = hashlib.sha256(handle.read()).hexdigest()
    return found

first = build()
before = tree()
with open(os.path.join(journal, "people", "big.md"), "w", encoding="utf-8") as note:  # a page larger than the room left
    note.write("---\nname: Big\n---\n" + "A long note. " * 200_000)
second = build()
left = sorted(name for name in os.listdir(os.path.join(mount, ".netjournal-cache")) if "site-" in name and "new" in name)
print(json.dumps({"first": first.returncode, "first_err": first.stderr, "code": second.returncode,
                  "out": second.stdout, "err": second.stderr, "kept": tree() == before and bool(before), "left": left}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a file system or file size limit of Linux")
@pytest.mark.parametrize("how", ["full", "limit"], ids=["a full file system", "a file size limit"])
def test_a_full_disk_during_a_build_is_one_line_and_keeps_the_last_good_site(make_journal, tmp_path, how):
    import json
    import shutil
    import subprocess

    root = make_journal({"people/a.md": person("A"), "people/b.md": person("B")})
    mount = tmp_path / "disk"
    mount.mkdir()
    command = [sys.executable, "-c", FULL_DISK, str(mount), str(root), how]
    if how == "full":
        if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"], check=False).returncode:
            pytest.skip("no user and mount namespaces here (unshare -rm)")
        command = ["unshare", "-rm", *command]
    result = json.loads(subprocess.run(command, capture_output=True, text=True, timeout=300, check=True).stdout)
    assert result["first"] == 0, result["first_err"]
    assert result["code"] == 1, result
    assert "Traceback" not in result["err"]
    lines = result["err"].strip().splitlines()
    assert lines[-1].startswith("Error: build failed, the previous site is unchanged: cannot write the site"), lines
    assert ("No space left on device" if how == "full" else "File too large") in lines[-1]
    assert result["kept"] and result["left"] == []


@pytest.mark.parametrize("large", [False, True], ids=["pages held", "pages written as made"])
def test_a_folder_swapped_in_while_a_build_in_place_runs_gets_no_page_and_loses_no_file(
        make_journal, tmp_path, monkeypatch, large):
    """serve and the daemon write in place. A user who moves the site away and makes a folder of their own
    at its path while a build runs keeps every file of theirs there: the build fails instead, and the next
    one refuses the folder (not netjournal's)."""
    from netjournal.engine import Builder

    if large:  # no page held back: each is written as soon as it is made
        monkeypatch.setattr(build_module, "HELD_PAGES", 0)
    root = make_journal({"people/a.md": person("A"), "people/b.md": person("B"), "people/gone.md": person("Gone")})
    out = tmp_path / "site"
    builder = Builder(root, out, in_place=True)
    builder.build(TODAY)
    (root / "people" / "gone.md").unlink()  # its page is removed by the next build
    (root / "people" / "a.md").write_text(person("A", org="Elsewhere"), encoding="utf-8")
    mine = {"index.html": b"my own index", "people/gone.html": b"my own page", "people/a.html": b"mine too"}

    def swap(done: int, total: int) -> None:
        if done == 1:
            out.rename(tmp_path / "moved")
            for rel, data in mine.items():
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                (out / rel).write_bytes(data)

    with pytest.raises(UnsafeOutput, match="was replaced while the site was built"):
        builder.build(TODAY, {"people/gone.md", "people/a.md"}, on_rendered=swap)
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == mine
    with pytest.raises(UnsafeOutput, match="not made by netjournal"):
        builder.build(TODAY)
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == mine


@pytest.mark.parametrize("edit", ["a page written", "a page removed"])
def test_a_build_in_place_writes_and_removes_nothing_through_a_symlinked_folder(make_journal, tmp_path, edit):
    """A folder of the site replaced by a symlink to a folder of the user's (helper-43): the build in place
    fails before writing a page through it or removing one there."""
    from netjournal.engine import Builder

    root = make_journal({"people/p0.md": person("P Zero"), "people/p1.md": person("P One")})
    out = tmp_path / "site"
    builder = Builder(root, out, in_place=True)
    builder.build(TODAY)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "p0.html").write_text("my p0", encoding="utf-8")
    (mine / "p1.html").write_text("my p1", encoding="utf-8")
    shutil.rmtree(out / "people")
    (out / "people").symlink_to(mine, target_is_directory=True)
    if edit == "a page written":
        (root / "people" / "p0.md").write_text(person("P Zero", org="Elsewhere"), encoding="utf-8")
    else:
        (root / "people" / "p1.md").unlink()
    with pytest.raises(UnsafeOutput, match="is a symlink"):
        builder.build(TODAY, {"people/p0.md", "people/p1.md"})
    assert {p.name: p.read_text(encoding="utf-8") for p in mine.iterdir()} == {"p0.html": "my p0", "p1.html": "my p1"}
