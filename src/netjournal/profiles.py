"""Profiles and links: the handles a profile's link or key gives, the forms of a link to look for, and the
links a text holds that say whose they are. Every pattern begins only where a run of its characters does, so
finding them is linear (contacts.py reads addresses and numbers)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

from .notes import ODD_BLANKS
from .redact import visible

#: A link inside a value that says more (`github: https://github.com/zq`)
URL = re.compile(r"(?<![a-zA-Z0-9+.-])(?:[a-zA-Z][a-zA-Z0-9+.-]*+://|www\.)[^\s<>\"']++")

#: Keys of profiles read only as written, never as a mistyping (`credit` is no `reddit`, `stack` no `slack`)
RARER_PROFILE_KEYS = ("gitlab", "facebook", "skype", "telegram", "discord", "slack", "keybase", "reddit", "tiktok",
                      "youtube", "snapchat", "wechat", "xing", "codeberg", "bitbucket", "matrix", "threads", "line",
                      "vk",
                      # a handle of no profile named, and profiles' short names (helper-s55-attack3)
                      "handle", "username", "ig", "insta", "tg")
#: Profiles' keys that are words too (`product_line`, `line_manager`): read as a profile's only alone or with a
#: word that names a handle (`line_id`; keys.contact_synonym)
WORDS_TOO = frozenset(("line", "threads", "matrix"))


#: Keys and labels of a profile, whose value may be a handle (`github: zqcodes`, `twitter: '@zeddy'`)
PROFILE_KEYS = ("twitter", "github", "linkedin", "mastodon", "x", "bluesky", "instagram", *RARER_PROFILE_KEYS)
#: What a profile's link holds before its handle, by the profile's key (a pattern): `github.com/zqcodes`,
#: `x.com/zeddy` (and Twitter's other hosts, its old `#!/zeddy` written bare too), `linkedin.com/in/zq-4242`
#: (its old and mobile `linkedin.com/pub/zq/1/2/3`, `linkedin.com/mwlite/in/zq`), `t.me/zeddy`,
#: `matrix.to/#/@zq:matrix.org`. A longer handle is read after any of them (_PROFILES), a short one only under
#: its key or in its profile's link (ShortHandles)
_PROFILE_SITES = {"github": r"github\.com/", "gitlab": r"gitlab\.com/",
                  "twitter": r"(?:(?:fx|vx)?twitter|(?:fixup)?x)\.com/|twitter\.com/#!?/?",
                  "instagram": r"(?:dd)?instagram\.com/|instagr\.am/", "facebook": r"(?:facebook|fb)\.com/",
                  "bitbucket": r"bitbucket\.org/", "codeberg": r"codeberg\.org/",
                  "linkedin": r"linkedin\.com/(?:mwlite/)?(?:in|pub)/", "telegram": r"t(?:elegram)?\.me/",
                  "keybase": r"keybase\.io/", "reddit": r"reddit\.com/u(?:ser)?/", "vk": r"vk\.com/",
                  "line": r"line\.me/(?:R/)?ti/p/~", "matrix": r"matrix\.to/#/@",
                  "youtube": r"youtube\.com/(?:@|c/|user/)", "tiktok": r"tiktok\.com/@", "threads": r"threads\.net/@",
                  "bluesky": r"bsky\.app/profile/"}
_PROFILE_SITES["x"] = _PROFILE_SITES["twitter"]
# short names of profiles: a short handle under them is looked for in their site's links (helper-116)
_PROFILE_SITES.update(ig=_PROFILE_SITES["instagram"], insta=_PROFILE_SITES["instagram"], tg=_PROFILE_SITES["telegram"])
#: A handle that is a profile's link's last part (a Mastodon `hachyderm.io/@zqm` too, below; not a project's:
#: `github.com/python/cpython` names no `python`; not `dropbox.com/`)
#: (also after a CJK script's letter, which no host holds: `见github.com/zq`, helper-s54-c)
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_NOT_AFTER = rf"(?<!-)(?<![^\W{CJK}])"
_PROFILES = rf"{_NOT_AFTER}(?:{'|'.join(dict.fromkeys(_PROFILE_SITES.values()))})"
#: (in a link without its query: _without_query; searched in one with it, each `/@` ran to its end: quadratic)
_PROFILE_HANDLE = re.compile(rf"(?:{_PROFILES}|/@)([\w.-]+)(?::[\w.-]+)?/?$", re.IGNORECASE)  # a Matrix id's `:server`
#: Where a link's query or fragment begins (not at matrix.to's `#/@zq:matrix.org`, its path)
_QUERY = re.compile(r"[?#](?!/)")


def _without_query(link: str) -> str:
    found = _QUERY.search(link)
    return link[:found.start()] if found else link


#: A profile's or a phone's link written without `https://` (`github.com/zq`, `wa.me/4530123456`)
_BARE_LINK = re.compile(rf"(?:(?:{_PROFILES}|(?<![\w-])wa\.me/)|(?<![\w-])(?<![\w-]\.)[\w-]++(?:\.[\w-]++)++/@)"
                        r"[\w.-]*[\w-]"
                        # a profile's: not `github.com/python/cpython`; not one a percent-escape goes on
                        # (`github.com/z%71handle`, read decoded: bare_profile_links), but a `%` alone ends one
                        r"(?![\w-]|%[0-9a-f]{2}|[/.][\w-])", re.IGNORECASE)
#: The profile a page below it is of (`github.com/zq` of `github.com/zq/repo`, `linkedin.com/in/zq` of
#: `linkedin.com/in/zq/details/experience`), and written without `https://` such a page whole, on any of the
#: site's hosts (`de.linkedin.com/in/zq/…`, `m.facebook.com/zq/photos`)
_PROFILE_SITE = rf"(?:{_PROFILES}|(?<![\w-])(?<![\w-]\.)[\w-]++(?:\.[\w-]++)++/@)"  # a Mastodon post's too
_PROFILE_PAGE = re.compile(rf"{_PROFILE_SITE}[\w.-]++(?=/[\w.-])", re.IGNORECASE)
_BARE_PAGE = re.compile(rf"(?<![/.-])(?<![^\W{CJK}])(?:[\w-]{{1,16}}\.)?{_PROFILE_SITE}[\w.-]++/[^\s<>\"'()\[\]]++",
                        re.IGNORECASE)
#: A page below a profile that names its person by its path (`linkedin.com/in/zq/…`; a repository or a post
#: may be anyone's: `github.com/python/cpython` names no `python`)
_PERSON_PAGE = re.compile(r"(?<![\w-])(?:linkedin\.com/(?:mwlite/)?(?:in|pub)|reddit\.com/u(?:ser)?)/([\w.-]++)/[\w.-]",
                          re.IGNORECASE)
_WRITTEN_HANDLE = re.compile(r"^(?:@|in/)?([\w.-]+)(?:[@:]([\w.-]+))?/?$")  # a Matrix id's `@zq:matrix.org` too


def _decoded(*links: str) -> list[str]:
    """LINKS, and each percent-encoded one decoded too (`linkedin.com/in/zo%C3%AB-q`, `matrix.to/#/%40zq%3Aorg`:
    a handle is read in the link as it reads, helper-87), and an old Twitter link's `#!/` dropped
    (`twitter.com/#!/zeddy`, helper-88; `#!zeddy`, `#/zeddy`)."""
    decoded = [*links, *(unquote(link) for link in links if "%" in link)]
    return list(dict.fromkeys([*decoded, *(_HASH_PATH.sub("/", link) for link in decoded if "/#" in link)]))


#: The path an old Twitter link gives after its `#` (`twitter.com/#!/zeddy`, `#!zeddy`, `#/zeddy`)
_HASH_PATH = re.compile(r"/#!/?|/#/")


def link_handles(label: str, url: str) -> list[str]:
    """The handles a hidden person's link (LABEL, URL) gives, to look for on their own (`@zeddy`, `zeddy`):
    a profile's link's (`https://github.com/zqcodes`, a page of `linkedin.com/in/zq-4242/…`), or a handle
    under a profile's label (`@zq@hachyderm`, `in/zq-4242`, `GitHub handle: zqcodes`); of three characters
    or more, one a letter or digit (`___` is a placeholder, and a Markdown rule). What a reader does not see
    is left out (`zq\u200b_codes42`, privacy-s55)."""
    label, url = visible(label), visible(url)
    found = [match.group(1) for link in _decoded(url.strip().rstrip(">"))
             for match in [_PROFILE_HANDLE.search(_without_query(link)), _PERSON_PAGE.search(link)] if match]
    found = [handle for handle in found if handle.casefold() not in _SITE_PAGES]
    key, text = _labelled(label, url)
    if not URL.search(text) and key:
        found += [match.group(1) for match in [_WRITTEN_HANDLE.match(text)] if match]
    return [handle for handle in found if len(handle.strip(".-")) >= 3 and _HANDLE_CHARACTER.search(handle)]


#: What makes a handle one: a letter or digit (`--`, `__`, `@_` are placeholders)
_HANDLE_CHARACTER = re.compile(r"[^\W_]")


def _labelled(label: str, url: str) -> tuple[str | None, str]:
    """The profile's key a link (LABEL, URL) is under, if any, and its text: a word of LABEL (`GitHub handle`,
    `x main`) or a label written in URL (`links: ['github: zq']`, `{main: 'github: zq'}`; with a blank after its
    colon that is no ASCII space too, `github:\u00a0zq`, privacy-s55)."""
    written_label, colon, text = (*_LABEL_COLON.split(url.strip(), 1), "", "")[:3]
    if colon and (key := _profile_key(written_label)):
        return key, text.strip("'\" ")
    return _profile_key(label), url.strip()


#: A label's colon written in a link's text, and the blank after it, an ASCII space or not
_LABEL_COLON = re.compile(rf"(:)[ {ODD_BLANKS}]")


def _profile_key(label: str) -> str | None:
    """The profile's key LABEL names: its last word, or one followed by words that name a handle only
    (`GitHub handle`, `x main`; not `Twitter thread`, whose `highlights` is no handle: helper-94)."""
    words = [word for word in re.split(r"[\W_]+", label.casefold()) if word]
    return next((word for at, word in enumerate(words)
                 if word in PROFILE_KEYS and all(after in _HANDLE_WORDS for after in words[at + 1:])), None)


#: Words after a profile's key in a label that leave it naming the handle
_HANDLE_WORDS = frozenset(("handle", "username", "user", "id", "name", "account", "main", "profile", "personal",
                           "work"))


class ShortHandles:
    """Handles of under three characters under a profile's key (`github: zq`, `x: '@zx'`, a Mastodon
    `@zm@hachyderm.io`, or in its link: `twitter: https://twitter.com/zx`), which are not looked for alone
    (link_handles: `zq` is too often something else): their profiles' links are, on each host a longer
    handle's are read on (_PROFILE_SITES), the handle whole (`github.com/zq`, not another's `github.com/zq-tools`).
    A longer Mastodon handle link_handles does not give (`mas.to/users/zqm`: on other sites `/users/` names
    no handle) is looked for so too, on its server."""

    def __init__(self, links: Iterable[tuple[str, str]]) -> None:
        forms = sorted({form for label, url in links for form in _short_profiles(label, url)})
        # after the handle, its link's end, a page below it, its query or a sentence's end: not `zq-tools`,
        # `zq.y`; and the markup a reading leaves (\x00, \x01: `x.com/**zx**`) taken with it
        self._pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(forms)})[\x00\x01]*+(?![\w-]|\.[\w-])",
                                   re.IGNORECASE) if forms else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [match.span() for match in self._pattern.finditer(text)] if self._pattern else []


def _short_profiles(label: str, url: str) -> list[str]:
    """The patterns of the profiles' links of a handle of under three characters the link (LABEL, URL) gives,
    read as link_handles reads it (`z\u200bq` is `zq`: the reviewer's)."""
    label, url = visible(label), visible(url)
    key, text = _labelled(label, url)
    written = None if URL.search(text) else _WRITTEN_HANDLE.match(text)
    if written:
        handle, server = written.group(1, 2)
    elif URL.search(text) or "/" in text:  # its profile's link (`https://x.com/zx`, `hachyderm.io/users/zm`)
        links = _decoded(text if URL.search(text) else f"https://{text}")
        given = [found for link in links if (found := _linked_handle(_without_query(link)))]
        key, handle, server = given[0] if given else (None, "", None)
    else:
        return []
    # a longer one is looked for alone (link_handles); a Mastodon one given by `/users/zqm` is not
    if key not in (*_PROFILE_SITES, "mastodon") or not _HANDLE_CHARACTER.search(handle) or len(
            handle.strip(".-")) >= 3 and (key != "mastodon" or handle in link_handles(label, url)):
        return []
    # a `_` at a handle's edge (`z_`, `_z`) may be read as emphasis and dropped (redaction): it may be missing
    handle = rf"[\x00\x01]*+{_EDGE_UNDERSCORES.sub(lambda edge: '_?' * len(edge.group(0)), re.escape(handle))}"
    server = re.escape(server) if server else ""
    if key == "mastodon":  # on its server: `hachyderm.io/@zm`, `/users/zm`, `/web/@zm`; and `@zm@hachyderm.io`
        return [rf"{server}/(?:@|users/|web/@){handle}", rf"(?<=@){handle}@{server}"] if server else []
    # `@zx:matrix.org`, the `matrix:` URI's `matrix:u/zx:matrix.org`
    matrix_id = [rf"(?<=[@/]){handle}:{server}"] if key == "matrix" and server else []
    return [rf"(?:{_PROFILE_SITES[key]})/*+@?{handle}", *matrix_id]  # `x.com/@zx`, `x.com//zx` too (helper-94)


_EDGE_UNDERSCORES = re.compile(r"^_+|_+$")


def _linked_handle(link: str) -> tuple[str, str, str | None] | None:
    """(The profile's key, the handle, a Matrix or Mastodon server) of LINK, a profile's link without its
    query (`matrix.to/#/@zx:matrix.org`; a Mastodon profile's `hachyderm.io/@zm`, `/users/zm`, `/web/@zm`)."""
    for key, site in _PROFILE_SITES.items():
        if found := re.search(rf"(?<![\w-])(?:{site})([\w.-]+)(?::([\w.-]+))?/?$", link, re.IGNORECASE):
            return key, found.group(1), found.group(2)
    found = re.search(r"//([\w.-]+)/(?:@|users/|web/@)([\w.-]+)/?$", link)
    return ("mastodon", found.group(2), found.group(1)) if found else None


#: Pages of a profile's site, no handle (`x.com/home`, `github.com/settings`)
_SITE_PAGES = frozenset(("home", "search", "explore", "settings", "notifications", "messages", "login", "signup",
                         "about", "help", "features", "pricing", "topics", "trending", "marketplace", "orgs",
                         "sponsors", "intent", "share", "hashtag", "jobs", "feed", "groups", "events", "pages",
                         "watch", "privacy", "terms", "joinchat", "p", "i", "reel", "reels", "stories", "status",
                         "user-attachments", "profile.php", "channel", "playlist", "shorts",
                         "dir"))  # LinkedIn's search by name: `linkedin.com/pub/dir/Zelda/Quokkason`


def link_forms(link: str) -> list[str]:
    """The forms of LINK (and of each link inside it, decoded too) to look for: as written, and bare with a
    path (without its scheme, `www.`, last slash, and query or fragment unless its page is one of a site's:
    `youtube.com/watch?v=…`, with a slash before its query and without, whose ids, `v=dQzq1234`,
    `id=100012345678`, are looked for alone: in any order of parameters, helper-88; one of letters alone,
    which may be a word, with its name: `v=dQzqAbcDefG`; a site's bare domain may be an employer's)."""
    found = []
    for url in _decoded(link, *URL.findall(link)):
        bare = re.sub(r"^<?(?:[a-zA-Z][a-zA-Z0-9+.-]*+:(?://)?)?(?:www\.)?", "", url.strip()).rstrip(">")
        whole = bare.split("#", 1)[0]
        page = whole.split("?", 1)[0].rstrip("/")
        last = page.rpartition("/")[2]
        by_query = last.casefold() in _SITE_PAGES or "." in last  # a site's page (`watch`, `profile.php`) says who
        bare = whole.rstrip("/") if by_query else page
        found += [url, bare] if "/" in bare else [url]
        video = _VIDEO_PATH.search(page)  # `youtu.be/…`, `/embed/…`: in each shape of its link, as below
        found += _video_forms(video.group(1)) if video else []
        if by_query:
            query = whole.partition("?")[2].rstrip("/")
            found += [f"{page}?{query}", f"{page}/?{query}"] if query and "/" in page else []  # `watch/?v=…`
            for name, _, value in (part.partition("=") for part in re.split("[&;]", query)):
                if len(value) >= 6 and any(char.isdigit() for char in value):
                    found.append(value)
                elif len(value) >= 6 and name in _ID_NAMES:  # letters alone may be a word: with its name
                    found.append(f"{name}={value}")
                found += _video_forms(value) if name == "v" and "youtube." in page.casefold() else []
    return found


#: A YouTube video's link that gives its id in its path
_VIDEO_PATH = re.compile(r"(?:^|[/.])(?:youtu\.be|youtube\.com/(?:embed|shorts|live|v)|youtube-nocookie\.com/embed)"
                         r"/([\w-]{6,})$", re.IGNORECASE)


def _video_forms(video: str) -> list[str]:
    """The shapes of a link to the YouTube video VIDEO (an id of letters alone may be a word: in a link only)."""
    return [f"v={video}", *(f"{site}/{video}" for site in _VIDEO_SITES)]


#: Where a YouTube video's id is its link's last part (helper-95: `live/`, `v/` and the no-cookie embed too)
_VIDEO_SITES = ("youtu.be", "youtube.com/embed", "youtube.com/shorts", "youtube.com/live", "youtube.com/v",
                "youtube-nocookie.com/embed")


#: The parameters that give a site's page's id (`watch?v=…`, `profile.php?id=…`)
_ID_NAMES = frozenset(("v", "id"))


def is_profile_link(link: str) -> bool:
    """Does LINK (with its scheme) say whose it is: a profile's, or a page below one?"""
    return bool(_PROFILE_PAGE.search(link)) or any(_PROFILE_HANDLE.search(_without_query(read))
                                                    for read in _decoded(link))


def bare_profile_links(text: str) -> list[str]:
    """The profiles' links and the pages below them TEXT holds written without `https://` (`github.com/zq`,
    `github.com/zq/repo`), with it."""
    if "/" not in text:  # which each bare link holds (both patterns try a dozen sites at each character)
        return []
    texts = [text, unquote(text)] if "%" in text else [text]  # `github.com/z%71handle` is `…/zqhandle`
    pages = [page.rstrip(")]}>.,;:!?") for read in texts for page in _BARE_PAGE.findall(read)]
    return [f"https://{link}" for link in dict.fromkeys([*(link for read in texts for link in _BARE_LINK.findall(read)),
                                                         *pages])]


def profiles_above(link: str, spared: frozenset[str] | set[str]) -> list[str]:
    """The profiles LINK is a page below (`github.com/zq` of `github.com/zq/repo`), but those SPARED holds."""
    return [above for url in _decoded(link, *URL.findall(link)) for above in _PROFILE_PAGE.findall(url)
            if above.rpartition("/")[2].casefold() not in _SITE_PAGES and above.casefold() not in spared]
