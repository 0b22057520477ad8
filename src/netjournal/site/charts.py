"""The site's two small charts as plain numbers for SVG templates: a year of activity, and contacts a month."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from markupsafe import Markup, escape

from ..values import days_after

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
HEATMAP_DAYS = 364 + 6  # the heatmap's first column starts on the Monday on or before today less 364 days


def heatmap(counts: Counter[dt.date], today: dt.date) -> dict:
    """A year of days as a GitHub-style grid: 53 weekly columns, Monday on top, 5 shades, from COUNTS
    (interactions a day; those of the HEATMAP_DAYS up to TODAY are enough)."""
    start = days_after(today, -364)
    start = days_after(start, -start.weekday())  # no earlier than today less HEATMAP_DAYS
    cells, months = [], []
    size, gap, left, top = 11, 2, 28, 16
    day = start
    busiest = max((counts[d] for d in counts if d >= start), default=0)
    while day <= today:
        week = (day - start).days // 7
        n = counts.get(day, 0)
        level = 0 if n == 0 else min(4, 1 + (3 * (n - 1)) // max(1, busiest))
        cells.append({"x": left + week * (size + gap), "y": top + day.weekday() * (size + gap), "level": level,
                      "title": f"{day.isoformat()}: {n} interaction{'s' if n != 1 else ''}"})
        if day.day <= 7 and day.weekday() == 0:
            months.append({"x": left + week * (size + gap), "label": MONTHS[day.month - 1][:3]})
        if day == dt.date.max:  # the calendar's last day
            break
        day += dt.timedelta(days=1)
    total = sum(n for d, n in counts.items() if d >= days_after(today, -364))
    weeks = (today - start).days // 7 + 1
    # the 371 squares as SVG, made here: a template's loop over them was 3 ms of every build's dashboard (six
    # escapes and lookups a square), a tenth of a small journal's build; the numbers are ours, the titles
    # escaped. `cells` stays for a journal's own template
    rects = Markup("".join(f'<rect x="{cell["x"]}" y="{cell["y"]}" width="{size}" height="{size}" rx="2" '
                           f'class="l{cell["level"]}"><title>{escape(cell["title"])}</title></rect>' for cell in cells))
    return {"cells": cells, "rects": rects, "months": months, "total": total, "size": size,
            "width": left + weeks * (size + gap), "height": top + 7 * (size + gap),
            "days": [{"y": top + i * (size + gap) + size - 1, "label": label}
                     for i, label in ((0, "Mon"), (2, "Wed"), (4, "Fri"))]}


def sparkline(dates: Iterable[dt.date], today: dt.date, months: int = 24) -> dict:
    """Contacts per month over the last MONTHS months as an SVG polyline, with a text version."""
    counts = Counter((d.year, d.month) for d in dates if d <= today)
    keys = []
    year, month = today.year, today.month
    for _ in range(months):
        keys.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    keys.reverse()
    values = [counts.get(k, 0) for k in keys]
    width, height, pad = 240, 40, 3
    peak = max(values) or 1
    step = (width - 2 * pad) / (months - 1)
    points = " ".join(f"{pad + i * step:.1f},{height - pad - (v / peak) * (height - 2 * pad):.1f}"
                      for i, v in enumerate(values))
    first, last = (f"{y}-{m:02d}" for y, m in (keys[0], keys[-1]))
    busy = [f"{v} in {y}-{m:02d}" for (y, m), v in zip(keys, values, strict=True) if v]
    total = sum(values)
    caption = (f"Contacts logged each month, {first} to {last}: "
               + (f"{total} in all; {', '.join(busy)}." if busy else "none."))
    return {"points": points, "width": width, "height": height, "total": total, "caption": caption,
            "dots": [{"cx": f"{pad + i * step:.1f}", "cy": f"{height - pad - (v / peak) * (height - 2 * pad):.1f}"}
                     for i, v in enumerate(values) if v]}
