"""The networking plan as the site derives it: each goal's stakeholder map, who can introduce you to whom,
the graph of your network and its hubs. Every value is kept in the build's memo by a module-level recipe
(registered in engine.RECIPES) and reads the model through its accessors, so a one-note edit remakes only
what read something it changed; the graph is one value, made again only when a tie changed, and the
picture and hubs only when the graph did (backdating).
"""
from __future__ import annotations

from collections import Counter

from ..checks.goals import MapRow, next_step, readiness, stakeholder_rows
from ..checks.reciprocity import Ledger, ledger
from ..derive import eager
from ..load import note_id
from ..network import DIRECT_TIES as _DIRECT_TIES
from ..network import SECOND_HOP_TIES as _SECOND_HOP_TIES
from ..network import (
    Connector,
    Graph,
    IntroPath,
    Tie,
    betweenness,
    graph_neighbours,
    graph_of,
    layout,
    make_ties,
    org_key,
    rank_paths,
    tie_reasons,
    tie_strength,
)
from ..paths import PRIVATE_FOLDER
from ..values import days_after
from .context import Site, goal_url, person_url

#: Someone you know who could introduce you to a person: who, how the last person on the way knows that
#: person, through whom (None: directly), and the strength of that tie negated (as rank_paths orders ways)
Candidate = tuple[str, tuple[str, ...], str | None, tuple[int, ...]]
#: Hubs listed on the network page
HUBS = 12
#: People named on the picture (the most connected of those shown)
LABELLED = 30


# --- values, each kept in the memo -------------------------------------------------------------------------

def recent_ledger(site: Site, pid: str) -> Ledger:
    """Gives, asks and receipts with PID within the reciprocity window, up to today."""
    return site.memo.get(("recent ledger", pid), _recent_ledger, pid)


def _recent_ledger(site: Site, pid: str) -> Ledger:
    since = days_after(site.today, -site.config.reciprocity_window)
    return ledger(site.journal, pid, site.journal.interactions_with(pid), since=since, until=site.today)


def connector(site: Site, pid: str) -> Connector:
    """PID as a way to someone else: how warm you are with them and what went between you lately."""
    return site.memo.get(("connector", pid), _connector, pid)


def _connector(site: Site, pid: str) -> Connector:
    status, recent = site.status(pid), recent_ledger(site, pid)
    return Connector(pid, status.warm, status.last_contact, recent.balance,
                     recent.asked + recent.received > recent.gave)


def _mentions_of(site: Site, pid: str) -> tuple[str, ...]:
    """Whom PID names or is named by in notes: a person's note with a [[link]] to another person, and an
    interaction's note linking to someone who was not in it, ties each of its people to them. Read from
    PID's own notes with links only: a new note with a link makes the mentions of its people and of those
    it names again, not everyone's."""
    found: set[str] = set()
    for path in site.journal.mentioning(pid):
        for writer, target in site.memo.get(("mentions in", path), _mentions_in, path):
            if writer == pid:
                found.add(target)
            elif target == pid:
                found.add(writer)
    return tuple(sorted(found))


def _mentions_in(site: Site, path: str) -> tuple[tuple[str, str], ...]:
    """The (writer, person named) pairs of the note at PATH, each note's in the memo: a new note with a
    link makes its own again, not every note's."""
    journal = site.journal
    if path.removeprefix(PRIVATE_FOLDER + "/").startswith("people/"):
        pid = note_id(path, "people")
        writers: tuple[str, ...] = (pid,) if pid in journal.people else ()
    elif path.removeprefix(PRIVATE_FOLDER + "/").startswith("interactions/"):
        writers = journal.participants.get(note_id(path, "interactions"), ())
    else:
        return ()
    return tuple((writer, target.id) for target in journal.links.get(path, {}).values() if target.kind == "person"
                 for writer in writers if writer != target.id)


def _orgs(site: Site) -> dict[str, tuple[str, ...]]:
    """Each organisation (as `org_key` compares them) -> its people."""
    found: dict[str, list[str]] = {}
    for pid, person in site.journal.people.items():
        key = org_key(person.org)
        if key:
            found.setdefault(key, []).append(pid)
    return {key: tuple(sorted(people)) for key, people in sorted(found.items())}


def _org_peers(site: Site, pid: str) -> tuple[str, ...]:
    key = org_key(site.journal.people[pid].org)
    return site.memo.get(("orgs",), _orgs).get(key, ()) if key else ()


def ties(site: Site, pid: str) -> tuple[Tie, ...]:
    """PID's ties to other people (see network.py)."""
    return site.memo.get(("ties", pid), _ties, pid)


def _ties(site: Site, pid: str) -> tuple[Tie, ...]:
    journal = site.journal
    together: Counter[str] = Counter()
    for interaction in journal.interactions_with(pid):
        together.update(journal.participants[interaction.id])
    introducer = journal.introducer.get(pid)
    introduced = [*journal.introduced_by(pid), *([introducer] if introducer is not None else [])]
    return make_ties(pid, together, introduced, site.memo.get(("mentions of", pid), _mentions_of, pid),
                     site.memo.get(("org peers", pid), _org_peers, pid))


def graph(site: Site) -> Graph:
    """The people and who is tied to whom by an introduction or an interaction together."""
    return site.memo.get(("graph",), _graph)


def _graph(site: Site) -> Graph:
    return graph_of({pid: site.memo.get(("graph neighbours", pid), _graph_neighbours, pid)
                     for pid in site.journal.people})


def _graph_neighbours(site: Site, pid: str) -> tuple[str, ...]:
    """PID's neighbours in the graph, a value of its own: a tie grown stronger (one more interaction
    together, a mention) changes PID's ties, not the graph, which a thousand ties make again."""
    return graph_neighbours(ties(site, pid))


def _interaction_count(site: Site, pid: str) -> int:
    """How many interactions with PID there are (a value of its own: an edit of one leaves it as it was)."""
    return len(site.journal.interactions_with(pid))


def _recent_gives(site: Site, pid: str) -> tuple[tuple[str, str, str], ...]:
    """What you gave PID within the reciprocity window, newest first, three at most: (date, what, the
    interaction's address). The address is made here, so that the network page, which lists these, does not
    read the interaction itself: an edit of its text or lines leaves the page be."""
    journal = site.journal
    since = days_after(site.today, -site.config.reciprocity_window)
    found: list[tuple[str, str, str]] = []
    for interaction in reversed(journal.interactions_with(pid)):
        if interaction.date <= since or len(found) >= 3:
            break
        if interaction.date <= site.today:
            found += [(interaction.date.isoformat(), what, site.interaction_url(interaction.id))
                      for what in journal.exchanges_of(interaction, "gave", pid)]
    return tuple(found[:3])


def _picture(site: Site) -> dict:
    return layout(graph(site))


def _bridges(site: Site) -> tuple[tuple[str, float], ...]:
    """The people with the highest betweenness, best first, with their score (rounded: builds compare it)."""
    scores = betweenness(graph(site))
    best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:HUBS]
    return tuple((pid, round(score, 6)) for pid, score in best)


def intro_paths(site: Site, pid: str) -> tuple[IntroPath, ...]:
    """Who can introduce you to PID, best first."""
    return site.memo.get(("intro", pid), _intro_paths, pid)


def _intro_paths(site: Site, pid: str) -> tuple[IntroPath, ...]:
    candidates = site.memo.get(("intro candidates", pid), _intro_candidates, pid)
    return rank_paths((connector(site, who), reasons, via, strength) for who, reasons, via, strength in candidates)


def _intro_candidates(site: Site, pid: str) -> tuple[Candidate, ...]:
    """The people you know who could introduce you to PID, unranked: (who, how the last person on the way
    knows PID, through whom, the strength of that tie). Kept apart from the ranking, which reads how you
    stand with each of them: a note about one of them ranks the paths of everyone tied to them again, but
    need not sort and look through those people's ties again."""
    own = sorted(((_negated(tie_strength(tie)), tie) for tie in ties(site, pid)),
                 key=lambda item: (item[0], item[1][0]))
    # everyone at a big org is tied to them: the strongest ties are enough
    found: list[Candidate] = [(tie[0], tie_reasons(tie), None, order) for order, tie in own[:_DIRECT_TIES]
                              if _is_known(site, tie[0])]
    if not found:  # nobody you know knows them: someone you know who knows someone who does
        found = [(second[0], tie_reasons(tie), tie[0], order) for order, tie in own[:_SECOND_HOP_TIES]
                 for second in ties(site, tie[0]) if second[0] != pid and _is_known(site, second[0])]
    return tuple(found)


def _negated(strength: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-part for part in strength)


def _is_known(site: Site, pid: str) -> bool:
    return site.memo.get(("known", pid), _known, pid)


@eager
def _known(site: Site, pid: str) -> bool:
    # of a person's contact status, all that the ways in to others read: a new note about them changes
    # their status, rarely whether they are known, and everyone tied to them reads it. Made again as soon
    # as what it read changed, so also when they are gone
    return pid in site.journal.people and site.status(pid).known


def stakeholder_map(site: Site, gid: str) -> tuple[MapRow, ...]:
    return site.memo.get(("stakeholder map", gid), _stakeholder_map, gid)


def _stakeholder_map(site: Site, gid: str) -> tuple[MapRow, ...]:
    statuses = {pid: site.status(pid) for pid in site.journal.stakeholders[gid]}
    return stakeholder_rows(site.journal, site.config, site.today, site.journal.goals[gid], statuses)


# --- what pages show --------------------------------------------------------------------------------------

def intro_rows(site: Site, pid: str, base: str) -> list[dict]:
    """Who can introduce you to PID, as a page lists them."""
    rows = []
    for path in intro_paths(site, pid):
        who = path.connector
        rows.append({**site.person_link(who.who, base), "warm": who.warm, "owed": who.owed,
                     "last_contact": who.last_contact.isoformat() if who.last_contact else "",
                     "balance": who.balance, "via": site.person_link(path.via, base) if path.via else None,
                     "reasons": ", ".join(path.reasons)})
    return rows


def intro_text(site: Site, pid: str) -> list[str]:
    """`netjournal intro PID`'s lines: how you stand with PID, their goals, and who can introduce you."""
    journal = site.journal
    name, status = journal.people[pid].name, site.status(pid)
    if status.warm:
        return [f"{name}: you are in touch (last contact {status.last_contact}); no introduction needed."]
    standing = (f"gone cold (last contact {status.last_contact})" if status.last_contact else "never contacted")
    stakes = [f"{link['role'] or 'stakeholder'} of {link['title']}" for link in goal_links(site, pid, "")]
    head = f"{name}: {standing}" + (f"; {', '.join(stakes)}" if stakes else "")
    paths = intro_paths(site, pid)
    if not paths:
        return [head + ".", f"  nobody you know is tied to {name}: no introduction, interaction together, "
                "organisation or mention links them to someone you are in touch with."]
    lines = [head + ". Who can introduce you:"]
    for number, path in enumerate(paths, 1):
        who = path.connector
        via = f", who knows {journal.people[path.via].name}" if path.via else ""
        standing = ("you are in touch" if who.warm else "gone cold" if who.last_contact else "met, nothing logged")
        last = f", last contact {who.last_contact}" if who.last_contact else ""
        owed = "; you owe them: give first" if who.owed else ""
        lines.append(f"  {number}. Ask {journal.people[who.who].name}{via} (through {', '.join(path.reasons)}): "
                     f"{standing}{last}, balance {who.balance:+d}{owed}")
    return lines


ENGAGEMENT_CLASS = {None: "unassessed", 0: "ready", 1: "gap", 2: "far"}
#: The power/interest grid's cells: (column of interest, row of influence), high influence on top
_CELL, _LEFT, _TOP = 110, 70, 16


def goal_plan(site: Site, gid: str) -> dict:
    """A goal's stakeholder map as its page shows it: rows, the power/interest grid, the readiness line,
    the asks made with nothing given, and who can introduce you to the stakeholders you have not reached."""
    base = "../"
    goal = site.journal.goals[gid]
    rows = []
    for row in stakeholder_map(site, gid):
        paths = intro_rows(site, row.person, base)[:2] if not row.warm else []
        rows.append({**site.person_link(row.person, base), "role": row.role, "quadrant": row.quadrant,
                     "influence": row.influence, "interest": row.interest, "engagement": row.engagement,
                     "desired": row.desired, "gap": row.gap, "gap_class": ENGAGEMENT_CLASS[min(row.gap, 2)
                                                                                          if row.gap is not None
                                                                                          else None],
                     "wants": row.wants, "mapped": row.mapped,
                     "last_contact": row.last_contact.isoformat() if row.last_contact else "",
                     "warm": row.warm, "never": row.never_contacted, "gave": row.gave, "asked": row.asked,
                     "lobbying": row.lobbying, "ask_without_give": row.ask_without_give,
                     "next": next_step(row, paths[0]["name"] if paths else None), "paths": paths})
    mapped = any(row["mapped"] for row in rows)
    return {"mapped": mapped, "rows": rows, "readiness": readiness(stakeholder_map(site, gid), site.config),
            "grid": _grid(rows) if mapped else None, "window": site.config.reciprocity_window,
            "started": goal.started.isoformat() if goal.started else "",
            "asks": [row for row in rows if row["ask_without_give"]],
            "ways_in": [row for row in rows if row["paths"]]}


def _grid(rows: list[dict]) -> dict:
    """The power/interest grid as SVG numbers: each placed stakeholder a dot in their cell (interest
    across, influence up), several in a cell side by side; the quadrants drawn over the 3 x 3 cells."""
    levels = ("low", "medium", "high")
    cells: dict[tuple[int, int], list[dict]] = {}
    unplaced = []
    for row in rows:
        if row["influence"] and row["interest"]:
            cells.setdefault((levels.index(row["interest"]), 2 - levels.index(row["influence"])), []).append(row)
        else:
            unplaced.append(row["name"])
    dots = []
    for (column, line), members in sorted(cells.items()):
        per_row = 2 if len(members) <= 4 else 3
        step = _CELL / (per_row + 1)
        for k, row in enumerate(members):
            x = _LEFT + column * _CELL + step * (k % per_row + 1)
            y = _TOP + line * _CELL + 26 + (k // per_row) * 34
            dots.append({"x": round(x, 1), "y": round(y, 1), "name": row["name"], "label": _short(row["name"]),
                         "gap_class": row["gap_class"],
                         "ring": "warm" if row["warm"] else "never" if row["never"] else "cold",
                         "title": _dot_title(row)})
    size = 3 * _CELL
    quadrants = [  # (x, y, width, height, label): medium counts with high
        (_LEFT, _TOP, _CELL, 2 * _CELL, "keep satisfied"),
        (_LEFT + _CELL, _TOP, 2 * _CELL, 2 * _CELL, "manage closely"),
        (_LEFT, _TOP + 2 * _CELL, _CELL, _CELL, "monitor"),
        (_LEFT + _CELL, _TOP + 2 * _CELL, 2 * _CELL, _CELL, "keep informed")]
    return {"dots": dots, "unplaced": unplaced, "width": _LEFT + size + 10, "height": _TOP + size + 44,
            "quadrants": [{"x": x, "y": y, "w": w, "h": h, "label": label, "lx": x + 6, "ly": y + h - 8}
                          for x, y, w, h, label in quadrants],
            "ticks": [{"x": _LEFT + i * _CELL + _CELL / 2, "label": level} for i, level in enumerate(levels)],
            "yticks": [{"y": _TOP + (2 - i) * _CELL + _CELL / 2, "label": level} for i, level in enumerate(levels)],
            "left": _LEFT, "top": _TOP, "size": size, "axis_y": _TOP + size + 36}


def _short(name: str) -> str:
    first = name.split()[0] if name.split() else name
    return first if len(first) <= 12 else first[:11] + "…"


def _dot_title(row: dict) -> str:
    engaged = (f"{row['engagement']}, wanted {row['desired']}" if row["engagement"] and row["desired"]
               else row["engagement"] or "engagement not assessed")
    warmth = "warm" if row["warm"] else "never contacted" if row["never"] else "gone cold"
    role = f"{row['role']}; " if row["role"] else ""
    return f"{row['name']}: {role}{row['influence']} influence, {row['interest']} interest; {engaged}; {warmth}"


def network_context(site: Site) -> dict:
    """The network page: the picture of the most connected people, the clusters, and the hubs."""
    base = ""
    journal = site.journal
    picture = site.memo.get(("picture",), _picture)
    people = []
    labelled = {pid for pid, *_ in sorted(picture["nodes"], key=lambda n: (-n[4], n[0]))[:LABELLED]}
    for pid, x, y, _cluster, degree in picture["nodes"]:
        status = site.status(pid)
        count = site.memo.get(("interaction count", pid), _interaction_count, pid)
        warmth = "warm" if status.warm else "never" if status.never_contacted else "cold"
        name = journal.name(pid)[0]
        radius = round(3 + 1.6 * min(count, 100) ** 0.5, 1)
        people.append({"x": x, "y": y, "r": radius, "ly": round(y - radius - 2, 1), "warmth": warmth,
                       "name": name, "label": _short(name) if pid in labelled else "",
                       "title": f"{name}: {count} interaction{'s' if count != 1 else ''}, {degree} "
                                f"tie{'s' if degree != 1 else ''}, {warmth}"})
    lines = [{"x1": picture["nodes"][a][1], "y1": picture["nodes"][a][2], "x2": picture["nodes"][b][1],
              "y2": picture["nodes"][b][2]} for a, b in picture["edges"]]
    clusters = []
    degrees = {pid: degree for pid, *_, degree in picture["nodes"]}
    for number, (members, more) in enumerate(picture["clusters"], 1):
        top = sorted(members, key=lambda pid: (-degrees[pid], pid))[:5]
        clusters.append({"number": number, "shown": len(members), "more": more,
                         "top": [site.person_link(pid, base) for pid in top]})
    # a small network drawn larger (up to twice), so that a handful of people is not a speck
    scale = min(2.0, max(1.0, 640 / picture["width"], 320 / picture["height"]))
    return {"title": "Network", "people": people, "lines": lines, "clusters": clusters,
            "width": picture["width"], "height": picture["height"], "display_width": round(picture["width"] * scale),
            "display_height": round(picture["height"] * scale), "total": len(journal.people),
            "tied": picture["tied"], "edges": picture["edge_count"], "apart": picture["apart"],
            "shown": len(people), "drawn": len(lines), "hubs": _hub_rows(site, base),
            "window": site.config.reciprocity_window}


def _hub_rows(site: Site, base: str) -> list[dict]:
    """Who introduced you to others, and who bridges groups (betweenness), with what you gave them lately."""
    journal = site.journal
    bridges = dict(site.memo.get(("bridges",), _bridges))
    introduced = {pid: len(found) for pid, found in journal.introduced.items()}
    top_introducers = sorted(introduced, key=lambda pid: (-introduced[pid], pid))[:HUBS]
    rank = {pid: number for number, pid in enumerate(bridges, 1)}
    hubs = sorted(set(top_introducers) | set(bridges),
                  key=lambda pid: (-introduced.get(pid, 0), rank.get(pid, len(rank) + 1), pid))
    rows = []
    for pid in hubs:
        gave = [{"date": day, "what": what, "href": base + url}
                for day, what, url in site.memo.get(("recent gives", pid), _recent_gives, pid)]
        recent = recent_ledger(site, pid)
        rows.append({**site.person_link(pid, base), "introduced": introduced.get(pid, 0),
                     "bridge": rank.get(pid), "gave": gave[:3], "gave_count": recent.gave, "balance": recent.balance})
    return rows


def goal_links(site: Site, pid: str, base: str) -> list[dict]:
    """The goals PID is a stakeholder of, with what their map says of them."""
    found = []
    for gid in site.journal.goals_of(pid):
        plan = dict(site.journal.plans.get(gid, ())).get(pid)
        found.append({"title": site.journal.goals[gid].title, "href": base + goal_url(gid),
                      "role": plan.role if plan else "", "wants": plan.wants if plan else ""})
    return found


__all__ = ["connector", "goal_plan", "graph", "intro_paths", "intro_rows", "network_context", "person_url",
           "recent_ledger", "stakeholder_map", "ties"]
