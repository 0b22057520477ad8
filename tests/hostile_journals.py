"""Journals seeded for attack: a unique canary string in every private place (the sharing tests search
every byte of every audience's output for each), and hostile strings (markup, scripts, odd file names) in
every field a page shows. Shared by the sharing, export, site-safety and browser tests."""
import json

from conftest import interaction

PAYLOADS = [
    '<script>window.__pwned=1</script>',
    '"><img src=x onerror="window.__pwned=2">',
    "'><svg onload=window.__pwned=3>",
    '</textarea><iframe src="javascript:window.__pwned=4">',
    '{{ 7*7 }}{% raw %}',
    '</script><script>window.__pwned=5</script>',
]

HOSTILE = {
    "people/evil.md": f"""---
name: {json.dumps(PAYLOADS[0] + " Evil")}
aliases: [{json.dumps(PAYLOADS[1])}]
org: {json.dumps(PAYLOADS[2])}
role: {json.dumps(PAYLOADS[3])}
email: {json.dumps('x@example.org"><script>window.__pwned=6</script>')}
location: {json.dumps(PAYLOADS[4])}
tags: [{json.dumps(PAYLOADS[1])}, "<b>bold</b>", "javascript:alert(1)"]
links:
  "<i>label</i>": "javascript:window.__pwned=7"
  data: "data:text/html,<script>window.__pwned=8</script>"
  tabbed: "java\\tscript:window.__pwned=9"
  ok: "https://example.org/?q=<x>&y=\\"z\\""
---
# {PAYLOADS[5]}

<script>window.__pwned=10</script>
<img src=x onerror="window.__pwned=11">
[click](javascript:window.__pwned=12) [data](data:text/html;base64,PHNjcmlwdD4=)
[[{PAYLOADS[1]}]] [[evil|<b>label</b>]]
<a href="javascript:window.__pwned=13">raw</a>
""",
    "interactions/2026-11-01-x.md": f"""---
date: 2026-11-01
with: evil
kind: {json.dumps(PAYLOADS[2])}
title: {json.dumps(PAYLOADS[0])}
topics: [{json.dumps(PAYLOADS[1])}]
gave: [{json.dumps(PAYLOADS[5])}]
asked: [{json.dumps(PAYLOADS[3])}]
follow_ups:
  - what: {json.dumps(PAYLOADS[1])}
    due: 2026-11-10
---
- [ ] {PAYLOADS[0]} 📅 2026-11-11
""",
    "interactions/<script>odd name.md": "---\ndate: 2026-11-02\nwith: evil\n---\n",
    "goals/g.md": f"---\ntitle: {json.dumps(PAYLOADS[0])}\nstakeholders: [evil]\n---\n{PAYLOADS[1]}\n",
    "people/<img src=x onerror=alert(1)>.md": "---\nname: Odd File\n---\n",
}


CANARY = {
    "private-person-name": "Zqprivname",
    "private-person-body": "zq-canary-private-person-body",
    "private-person-email": "zq-canary-private-email",
    "private-person-alias": "Zqaliasone",
    "private-folder-person": "zq-canary-folder-person",
    "private-folder-name": "Zqfoldername",
    "private-folder-interaction": "zq-canary-folder-interaction",
    "private-interaction-title": "zq-canary-private-interaction-title",
    "private-interaction-gave": "zq-canary-private-gave",
    "private-interaction-follow-up": "zq-canary-private-follow-up",
    "private-passage-person": "zq-canary-passage-person",
    "private-passage-interaction": "zq-canary-passage-interaction",
    "private-passage-task": "zq-canary-passage-task",
    "unclosed-passage": "zq-canary-unclosed-passage",
    "redacted-email": "zq-canary-redacted-email",
    "redacted-phone": "zq-canary-redacted-phone",
    "redacted-location": "zq-canary-redacted-location",
    "excluded-tag-person": "Zqtaggedname",
    "excluded-tag-body": "zq-canary-tagged-body",
    "excluded-topic": "zq-canary-excluded-topic",
    "private-goal": "zq-canary-private-goal",
    "private-comment": "zq-canary-private-comment",
    "comment-about-hidden": "zq-canary-comment-about-hidden",
    "broken-yaml": "zq-canary-broken-yaml",
    "private-as-text": "zq-canary-private-as-text",
    "private-capitalised": "zq-canary-private-capital",
    "duplicate-key": "zq-canary-duplicate-key",
    "bom-crlf": "zq-canary-bom-crlf",
    "file-name": "zqfilename",
}
C = CANARY

FILES = {
    "netjournal.toml": """
        [audience.mentor]
        exclude_private = true
        redact = ["email", "phone", "location"]
        exclude_tags = ["confidential"]

        [audience.peer]
        redact = ["aliases", "org", "role", "email", "phone", "links", "location", "met", "body"]
        exclude_tags = ["#confidential", "nobody-has-this"]

        [audience.typo]
        exclude_private = "yes"
        redact = ["emails"]
        exclude_tags = ["confidential"]
        """,
    ".gitignore": "private/\n_site*/\n",
    "people/public.md": f"""
        ---
        name: Pat Public
        email: {C['redacted-email']}@example.org
        phone: "{C['redacted-phone']}"
        location: {C['redacted-location']}
        introduced_by: {C['private-person-name']} Secret
        tags: [peer]
        ---
        Public notes about Pat. Met through [[{C['private-person-name']} Secret]].

        <!-- private -->
        {C['private-passage-person']}
        <!-- /private -->
        """,
    "people/other.md": "---\nname: Olga Other\n---\n",
    f"people/{C['file-name']}-hidden.md": f"""
        ---
        name: {C['private-person-name']} Secret
        aliases: [{C['private-person-alias']}]
        email: {C['private-person-email']}@example.org
        private: true
        ---
        {C['private-person-body']}
        """,
    "people/tagged.md": f"""
        ---
        name: {C['excluded-tag-person']} Tagged
        tags: [Confidential]
        ---
        {C['excluded-tag-body']}
        """,
    "private/people/folder.md": f"---\nname: {C['private-folder-name']} Folder\n---\n{C['private-folder-person']}\n",
    "private/interactions/2026/f.md": interaction("2026-11-02", "public", title=C["private-folder-interaction"]),
    f"interactions/2026/2026-11-03-coffee-{C['file-name']}.md": f"""
        ---
        date: 2026-11-03
        with: [public, {C['file-name']}-hidden, "[[{C['private-folder-name']} Folder]]"]
        title: Coffee with {C['private-person-name']} Secret and Pat
        gave: [an intro to {C['private-person-alias']}]
        ---
        Talked with [[{C['private-person-name']} Secret]] and {C['excluded-tag-person']} Tagged.
        <!-- private -->
        {C['private-passage-interaction']}
        - [ ] {C['private-passage-task']} 📅 2026-11-25
        <!-- /private -->
        - [ ] public task 📅 2026-11-26
        """,
    "interactions/2026/private.md": f"""
        ---
        date: 2026-11-04
        with: other
        title: {C['private-interaction-title']}
        gave: [{C['private-interaction-gave']}]
        follow_ups:
          - {{what: {C['private-interaction-follow-up']}, due: 2026-11-20}}
        private: true
        ---
        """,
    "interactions/2026/tagged-topic.md": interaction("2026-11-05", "other", topics="[confidential]",
                                                     title=C["excluded-topic"]),
    "interactions/2026/with-tagged.md": interaction("2026-11-06", "tagged", title=C["excluded-tag-body"] + "-2"),
    "interactions/2026/unclosed.md": interaction("2026-11-07", "other") + f"ok\n<!-- private -->\n{C['unclosed-passage']}\n",
    "goals/public.md": f"---\ntitle: Public goal\nstakeholders: [public, {C['file-name']}-hidden, tagged]\n---\n",
    "goals/private.md": f"---\ntitle: {C['private-goal']}\nstakeholders: [public]\nprivate: true\n---\n",
    "comments/ok.md": "---\nauthor: Mentor Mo\ndate: 2026-11-10\nabout: public\n---\nA visible comment.\n",
    "comments/private.md": f"---\nauthor: Me\ndate: 2026-11-10\nabout: public\nprivate: true\n---\n{C['private-comment']}\n",
    "comments/hidden.md": f"---\nauthor: Mentor Mo\ndate: 2026-11-10\nabout: {C['file-name']}-hidden\n---\n"
                          f"{C['comment-about-hidden']}\n",
    "interactions/2026/broken.md": f"---\ndate: 2026-11-08\nwith: public\ntitle: {C['broken-yaml']}: oops\n"
                                   f"private: true\n---\n{C['broken-yaml']}\n",
    "interactions/2026/as-text.md": interaction("2026-11-09", "public", private='"true"',
                                                title=C["private-as-text"]),
    "interactions/2026/capital.md": interaction("2026-11-10", "public", Private="true",
                                                title=C["private-capitalised"]),
    "interactions/2026/dup.md": f"---\ndate: 2026-11-11\nwith: public\ntitle: {C['duplicate-key']}\nprivate: true\n"
                                f"private: false\n---\n",
    "people/bom.md": b"\xef\xbb\xbf---\r\nname: Bom Person\r\nprivate: true\r\n---\r\n" + C["bom-crlf"].encode() + b"\r\n",
}

AUDIENCES = ("mentor", "peer", "typo")
