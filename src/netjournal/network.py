"""Your network as a graph: who is tied to whom, who can introduce you to someone, who the hubs are, and
a picture of it all.

Two people are tied when one introduced the other (`introduced_by`), when they were in an interaction
together, when a note of one names the other (a person's note, or an interaction with one of them, with a
[[wikilink]] to the other), or when they work at the same `org`. The picture and the hubs use the first
two (what happened between them); introductions use all four. Everything here is a plain function of plain
data, so the site keeps each result in its memo and a one-note edit recomputes only what it touched; graph
algorithms are networkx's (betweenness, communities) where hand-written ones would be longer and slower.
"""
from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter

from .records import share

#: (other person, introduced one the other, interactions together, a note names the other, same org)
Tie = tuple[str, bool, int, bool, bool]
#: An unweighted graph of people: (every person, sorted; every edge (a, b) with a < b, sorted)
Graph = tuple[tuple[str, ...], tuple[tuple[str, str], ...]]

#: Intro paths shown for one person
INTRO_PATHS = 5
#: How many of a person's ties are weighed as ways in (the strongest first: an introduction, then
#: interactions together, a mention, the same org)
DIRECT_TIES = 100
#: How many of a person's ties a second-hop search looks through (the strongest first)
SECOND_HOP_TIES = 50
#: Betweenness is exact while (people x ties) stays under this; beyond it, it is estimated from as many
#: sources as fit (networkx's k-sample, with a fixed seed so builds stay byte-identical): a journal of 300
#: people and 3,300 ties costs 1.5 s exact, 0.05 s from 32 sources (the top hub the same), which matters
#: as serve remakes it after each edit that adds a tie
BETWEENNESS_WORK = 100_000
BETWEENNESS_MIN_SOURCES = 32
#: The picture shows this many of the most connected people; the others are counted in their clusters
SHOWN_PEOPLE = 200
#: Lines drawn at most, between the people shown
SHOWN_EDGES = 1500
SEED = 20261122


def org_key(org: str) -> str:
    """An organisation as compared between people: case folded, spaces collapsed."""
    return " ".join(org.casefold().split())


def tie_reasons(tie: Tie) -> tuple[str, ...]:
    """How a tie came about, strongest first, as a sentence part each."""
    _, introduced, together, mentioned, same_org = tie
    reasons = []
    if introduced:
        reasons.append("an introduction")
    if together:
        reasons.append(f"{together} interaction{'s' if together != 1 else ''} together")
    if mentioned:
        reasons.append("a mention in your notes")
    if same_org:
        reasons.append("the same organisation")
    return tuple(reasons)


def tie_strength(tie: Tie) -> tuple[int, int, int, int]:
    """A tie's strength, to sort by: an introduction, then interactions together, a mention, the same org."""
    _, introduced, together, mentioned, same_org = tie
    return int(introduced), together, int(mentioned), int(same_org)


def make_ties(person: str, together: Counter[str], introduced: Iterable[str], mentioned: Iterable[str],
              same_org: Iterable[str]) -> tuple[Tie, ...]:
    """PERSON's ties, by the other person's id."""
    introduced, mentioned, same_org = set(introduced), set(mentioned), set(same_org)
    others = (set(together) | introduced | mentioned | same_org) - {person}
    # shared: a person's tie to an org peer is the same tie in each peer's ties (28 MiB at L, unshared)
    return tuple(share((other, other in introduced, together.get(other, 0), other in mentioned, other in same_org))
                 for other in sorted(others))


def graph_neighbours(ties: tuple[Tie, ...]) -> tuple[str, ...]:
    """Whom a person's TIES join them to in the picture's graph: an introduction or an interaction together."""
    return tuple(other for other, introduced, together, _, _ in ties if introduced or together)


def graph_of(neighbours: Mapping[str, tuple[str, ...]]) -> Graph:
    """The picture's graph of people and their NEIGHBOURS (graph_neighbours)."""
    edges = {(a, b) if a < b else (b, a) for a, found in neighbours.items() for b in found}
    return tuple(sorted(neighbours)), tuple(sorted(edges))


def _nx_graph(graph: Graph):
    import networkx as nx

    made = nx.Graph()
    made.add_nodes_from(graph[0])
    made.add_edges_from(graph[1])
    return made


def betweenness(graph: Graph) -> dict[str, float]:
    """Each tied person's betweenness (how often they lie on the shortest paths between others): exact for
    graphs up to BETWEENNESS_WORK, else estimated from a fixed, seeded sample of sources."""
    import networkx as nx

    nodes, edges = graph
    tied = _nx_graph(((), edges))
    count = tied.number_of_nodes()
    if count < 3:
        return {}
    sources = max(BETWEENNESS_MIN_SOURCES, BETWEENNESS_WORK // max(1, len(edges)))
    sample = None if sources >= count else sources
    found = nx.betweenness_centrality(tied, k=sample, seed=SEED if sample else None)
    return {pid: score for pid, score in found.items() if score > 0}


@dataclass(frozen=True)
class Connector:
    """Someone you know, as a way to a person: WHO, how warm you are with them, what went between you."""

    who: str
    warm: bool
    last_contact: dt.date | None
    balance: int  # gives minus asks in the reciprocity window
    owed: bool  # they gave or you asked more than you gave, in the window: give before you ask again
    # how they rank as a way in (rank_paths), before and after whether the way is direct: made once here,
    # since each ranks in the ways in of everyone tied to them
    rank: tuple[tuple[bool, bool], tuple[int, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        recency = -(self.last_contact.toordinal() if self.last_contact else 0)
        object.__setattr__(self, "rank", ((self.owed, not self.warm), (recency, -self.balance)))


@dataclass(frozen=True)
class IntroPath:
    """A way to be introduced: ask CONNECTOR (someone you know), who knows the person through REASONS;
    or, for a second hop, who knows VIA, who knows the person."""

    connector: Connector
    reasons: tuple[str, ...]  # how the last person on the way knows the target
    via: str | None = None


#: A way in before it is ranked: (connector, reasons, via, the strength of the last tie negated: the
#: strongest first)
Way = tuple[Connector, tuple[str, ...], "str | None", tuple[int, ...]]


def rank_paths(ways: Iterable[Way], count: int = INTRO_PATHS) -> tuple[IntroPath, ...]:
    """The best COUNT of WAYS: not through someone you owe, then the warmest connector, direct before
    second hops, most recent contact, best balance, strongest tie. Only the best become IntroPaths: a
    person has dozens of ways in, and an edit about one connector ranks those of everyone tied to them."""
    best: dict[tuple[str, str | None], tuple[tuple, Way]] = {}
    for way in ways:
        who, _, via, strength = way
        order = (who.rank[0], via is not None, who.rank[1], strength, who.who, via or "")
        key = (who.who, via)
        found = best.get(key)
        if found is None or order < found[0]:
            best[key] = (order, way)
    return tuple(IntroPath(who, reasons, via)
                 for _, (who, reasons, via, _) in heapq.nsmallest(count, best.values(), key=itemgetter(0)))


def communities(graph: Graph) -> list[list[str]]:
    """Groups of GRAPH's people more tied among themselves than to the rest (networkx's Louvain, seeded),
    biggest first."""
    import networkx as nx

    made = _nx_graph(graph)
    if made.number_of_edges() == 0:
        return [[pid] for pid in graph[0]]
    found = nx.community.louvain_communities(made, seed=SEED)
    return sorted((sorted(group) for group in found), key=lambda group: (-len(group), group[0]))


_GOLDEN = math.pi * (3 - math.sqrt(5))


def layout(graph: Graph, shown: int | None = None) -> dict:
    """Where to draw the SHOWN most connected people of GRAPH: their clusters (communities among them)
    side by side on a circle, each a sunflower with its most connected person in the middle; the people not
    shown counted in the cluster they are most tied to. Plain data, the same for the same graph."""
    nodes, edges = graph
    shown = SHOWN_PEOPLE if shown is None else shown
    degree: Counter[str] = Counter()
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    chosen = sorted((pid for pid in nodes if degree[pid]), key=lambda pid: (-degree[pid], pid))[:shown]
    picked = set(chosen)
    inner = tuple(edge for edge in edges if edge[0] in picked and edge[1] in picked)
    groups = communities((tuple(sorted(chosen)), inner)) if chosen else []
    cluster_of = {pid: index for index, group in enumerate(groups) for pid in group}
    rest: list[Counter[str]] = [Counter() for _ in groups]
    links: dict[str, Counter[int]] = {}
    for a, b in edges:
        for one, other in ((a, b), (b, a)):
            if one not in picked and other in picked:
                links.setdefault(one, Counter())[cluster_of[other]] += 1
    for pid, found in links.items():
        top = max(found.values())
        rest[min(index for index, n in found.items() if n == top)][pid] = 1
    apart = sum(1 for pid in nodes if pid not in picked and pid not in links)
    spacing = 26.0
    radii = [spacing * (math.sqrt(len(group)) + 1) for group in groups]
    ring = sum(radii) * 2 / (2 * math.pi) if len(groups) > 1 else 0.0
    ring = max(ring, max(radii, default=0) * 1.2) if len(groups) > 1 else 0.0
    places: dict[str, tuple[float, float]] = {}
    angle = 0.0
    total = sum(radii) or 1.0
    for index, group in enumerate(groups):
        share = 2 * math.pi * radii[index] / total
        cx, cy = (ring * math.cos(angle + share / 2), ring * math.sin(angle + share / 2)) if ring else (0.0, 0.0)
        angle += share
        for k, pid in enumerate(sorted(group, key=lambda p: (-degree[p], p))):
            r = spacing * math.sqrt(k)
            places[pid] = (cx + r * math.cos(k * _GOLDEN), cy + r * math.sin(k * _GOLDEN))
    xs = [x for x, _ in places.values()] or [0.0]
    ys = [y for _, y in places.values()] or [0.0]
    margin = 40.0
    width = max(xs) - min(xs) + 2 * margin
    height = max(ys) - min(ys) + 2 * margin
    nodes_out = tuple((pid, round(x - min(xs) + margin, 1), round(y - min(ys) + margin, 1), cluster_of[pid],
                       degree[pid]) for pid, (x, y) in sorted(places.items()))
    index_of = {pid: index for index, (pid, *_) in enumerate(nodes_out)}
    strongest = sorted(inner, key=lambda edge: (-degree[edge[0]] - degree[edge[1]], edge))[:SHOWN_EDGES]
    drawn = tuple(sorted((index_of[a], index_of[b]) for a, b in strongest))
    return {"nodes": nodes_out, "edges": drawn, "width": round(width, 1), "height": round(height, 1),
            "clusters": tuple((tuple(group), len(rest[index])) for index, group in enumerate(groups)),
            "apart": apart, "tied": sum(1 for pid in nodes if degree[pid]), "edge_count": len(edges),
            "inner_edges": len(inner)}
