"""`netjournal serve`: a real server on a free loopback port, driven by real file edits."""
import os
import time

import pytest

from netjournal.paths import affects_site

from conftest import TODAY, interaction, person
from tools import edit_and_wait
from tools import served_get as get


@pytest.fixture
def served(serve_journal):
    return serve_journal({"people/ada.md": person("Ada Lovelace"), "people/bob.md": person("Bob Byte"),
                          "interactions/2026/a.md": interaction("2026-11-01", "ada", title="First coffee")})


def test_serves_pages_with_the_live_reload_script(served):
    root, server, _ = served
    status, body = get(server, "/")
    assert status == 200 and "/__netjournal/livereload.js?v=" in body and "Ada Lovelace" in body
    status, script = get(server, "/__netjournal/livereload.js")
    assert status == 200 and "location.reload()" in script
    assert not (root / "_site").exists()  # serve builds elsewhere; build output never gets the script
    status, body = get(server, "/people/ada.html")
    assert status == 200 and "First coffee" in body


def test_edit_changes_the_page(served):
    root, server, logs = served
    note = root / "interactions" / "2026" / "a.md"
    edit_and_wait(server, lambda: note.write_text(interaction("2026-11-01", "ada", title="Second coffee"),
                                                  encoding="utf-8"))
    assert "Second coffee" in get(server, "/people/ada.html")[1]
    assert any(line.startswith("rebuilt ") and " ms" in line for line in logs)


def test_broken_yaml_shows_a_banner_and_the_next_good_save_clears_it(served):
    root, server, _ = served
    note = root / "people" / "ada.md"
    edit_and_wait(server, lambda: note.write_text("---\nname: [Ada\n---\n", encoding="utf-8"))
    status, body = get(server, "/people/index.html")
    assert status == 200 and 'class="live-banner"' in body and "people/ada.md:2" in body
    edit_and_wait(server, lambda: note.write_text(person("Ada King"), encoding="utf-8"))
    status, body = get(server, "/people/index.html")
    assert "live-banner" not in body and "Ada King" in body


def test_rename_over_save_and_delete(served):
    root, server, _ = served
    note = root / "people" / "bob.md"

    def save_like_vim():  # write a temp file, then rename it over the note
        temp = root / "people" / ".bob.md.tmp123"
        temp.write_text(person("Robert Byte"), encoding="utf-8")
        os.replace(temp, note)

    edit_and_wait(server, save_like_vim)
    assert "Robert Byte" in get(server, "/people/index.html")[1]
    edit_and_wait(server, note.unlink)
    assert get(server, "/people/bob.html")[0] == 404
    assert "Robert Byte" not in get(server, "/people/index.html")[1]


def test_one_rebuild_per_save_and_reads_and_swap_files_do_not_rebuild(served):
    root, server, logs = served
    before = server.site.version
    (root / "people" / "ada.md").read_text(encoding="utf-8")
    (root / "people" / ".ada.md.swp").write_text("swap", encoding="utf-8")
    (root / "people" / "ada.md~").write_text("backup", encoding="utf-8")
    (root / "people" / "4913").write_text("", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "index").write_text("x", encoding="utf-8")
    time.sleep(1.0)
    assert server.site.version == before
    rebuilds = len(logs)
    version = edit_and_wait(server, lambda: (root / "people" / "ada.md").write_text(person("Ada B"), encoding="utf-8"))
    time.sleep(1.0)
    assert server.site.version == version and len(logs) == rebuilds + 1


def test_paths_outside_the_site_are_404_and_no_listings(served):
    _, server, _ = served
    for path in ("/../netjournal.toml", "/%2e%2e/people/ada.md", "/people/../../people/ada.md", "/.netjournal-site",
                 "/assets/", "/people/ada.md", "/%00", "/..%2f..%2fetc/passwd", "/nonexistent.html"):
        assert get(server, path)[0] == 404, path
    assert get(server, "/people/")[0] == 200


def test_foreign_host_header_is_refused(served):
    _, server, _ = served
    assert get(server, "/", host="evil.example")[0] == 403
    assert get(server, "/", host="evil.example:8000")[0] == 403
    port = server.httpd.server_address[1]
    assert get(server, "/", host=f"localhost:{port}")[0] == 200
    # the address the request came in on is this server's (`--host 0.0.0.0` reached by the machine's address from
    # another machine: a newcomer's curl was refused, though serve had warned the journal was exposed); no other
    # address is (0.0.0.0, a broadcast one, another machine's)
    assert get(server, "/", host=f"127.0.0.1:{port}")[0] == 200
    for name in ("192.0.2.2", f"10.0.0.7:{port}", "0.0.0.0", "255.255.255.255", "127.0.0.1.evil.example", "0x7f.1"):
        assert get(server, "/", host=name)[0] == 403, name


def test_serve_bound_to_every_address_answers_the_address_asked_and_this_machines_name(make_journal):
    """Bound to 0.0.0.0 and asked on 127.0.0.2 (another address of this machine, as its network address
    would be), the Host that address names is answered, as is the machine's name; 127.0.0.3 is not."""
    import socket

    from netjournal.serve import Server

    server = Server(make_journal({"people/ada.md": person("Ada")}), lambda: TODAY, host="0.0.0.0", port=0,
                    log=lambda line: None)
    server.start()
    try:
        port = server.httpd.server_address[1]
        assert get(server, "/", host=f"127.0.0.2:{port}", via="127.0.0.2")[0] == 200
        assert get(server, "/", host=socket.gethostname(), via="127.0.0.2")[0] == 200
        assert get(server, "/", host=f"127.0.0.3:{port}", via="127.0.0.2")[0] == 403
        assert get(server, "/", host="evil.example", via="127.0.0.2")[0] == 403
    finally:
        server.stop()


def test_relevant_change_filter(tmp_path):
    root, out = tmp_path, tmp_path / "_site"
    assert affects_site(root, out, str(root / "people" / "a.md"))
    assert affects_site(root, out, str(root / "netjournal.toml"))
    assert affects_site(root, out, str(root / "templates" / "person.html"))
    for junk in ("people/.a.md.swp", "people/a.md~", "people/4913", ".git/index", "_site/index.html",
                 "people/#a.md#", "people/.#a.md", "README.md", "interactions/x.txt"):
        assert not affects_site(root, out, str(root / junk)), junk


@pytest.mark.parametrize("events, touched", [
    ([("modified", "people/a.md")], {"people/a.md"}),
    # vim, JetBrains: a temporary file renamed over the note
    ([("created", "people/.a.md.tmp1"), ("moved", "people/.a.md.tmp1", "people/a.md")], {"people/a.md"}),
    # emacs: the note renamed to its backup, then written anew
    ([("moved", "people/a.md", "people/a.md~"), ("created", "people/a.md")], {"people/a.md"}),
    ([("moved", "people/a.md", "people/b.md")], {"people/a.md", "people/b.md"}),
    ([("deleted", "interactions/x.md")], {"interactions/x.md"}),
    ([("modified", "netjournal.toml")], None),
    ([("created", "templates/person.html")], None),
    ([("dir_moved", "interactions/2025", "interactions/old")], None),
])
def test_the_watcher_names_the_notes_a_save_touches(tmp_path, events, touched):
    """Editors save in place or through a rename: either way the rebuild is told which notes were touched
    (and the builder walks the folder unless each is a note it had, still there). A folder, the config
    or a template changing makes it walk in any case."""
    from watchdog.events import (
        DirMovedEvent,
        FileCreatedEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
    )

    from netjournal.watch import Watcher
    kinds = {"modified": FileModifiedEvent, "created": FileCreatedEvent, "deleted": FileDeletedEvent,
             "moved": FileMovedEvent, "dir_moved": DirMovedEvent}
    watcher = Watcher(tmp_path, tmp_path / "_site")
    for kind, *paths in events:
        watcher.dispatch(kinds[kind](*(str(tmp_path / p) for p in paths)))
    assert watcher.take() == touched


def test_live_reload_in_a_browser(served, browser_page):
    from playwright.sync_api import expect

    root, server, _ = served
    page, errors = browser_page
    page.goto(server.url + "people/ada.html")
    assert page.locator("h1").inner_text() == "Ada Lovelace"
    (root / "people" / "ada.md").write_text(person("Ada Reloaded"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Ada Reloaded", timeout=10000)
    assert errors == []


def test_the_banner_quoting_a_failure_holds_nothing_html_forbids(served):
    """helper-68: the banner quotes a failed build's message (a template's error, as written) as escaped
    text, but not through the check every built page goes through: served pages held control characters."""
    root, server, _ = served
    (root / "templates").mkdir()
    template = root / "templates" / "tags.html"
    edit_and_wait(server, lambda: template.write_text("{{ 'x'.encode('\\x1b]0;ENC\\x07\\x9b') }}", encoding="utf-8"))
    status, body = get(server, "/people/index.html")
    assert 'class="live-banner"' in body and "\ufffd]0;ENC\ufffd" in body, body
    assert not any(char in body for char in "\x1b\x07\x9b"), body
