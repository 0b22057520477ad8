"""One build function that `build`, `serve` and the tests all call: analyse, make views, render, write."""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from ..analyze import Analysis, analyze
from .render import SITE_ASSETS, asset_bytes, make_environment, render_page
from .views import all_pages, site_data
from .write import write_site_atomically


@dataclass
class BuildResult:
    analysis: Analysis
    out: Path
    pages: int
    seconds: float


def default_output(root: Path, analysis: Analysis) -> Path:
    return root / analysis.config.site_output


def build_site(root: Path, today: dt.date, out: Path | None = None, analysis: Analysis | None = None) -> BuildResult:
    """Build the site of the journal at ROOT into OUT (default: the config's [site] output)."""
    started = time.perf_counter()
    analysis = analysis or analyze(root, today)
    out = out if out is not None else default_output(root, analysis)
    env = make_environment(root)
    data = site_data(analysis)
    pages = all_pages(data)
    site = {"title": analysis.config.title, "owner": analysis.config.owner, "today": today.isoformat()}

    def fill(staging: Path) -> None:
        (staging / "assets").mkdir()
        for name in SITE_ASSETS:
            (staging / "assets" / name).write_bytes(asset_bytes(env, name))
        for page in pages:
            target = staging / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_page(env, page, site), encoding="utf-8")

    write_site_atomically(root, out, fill)
    return BuildResult(analysis, out, len(pages), time.perf_counter() - started)
