"""netjournal: plain-Markdown notes on the people in your professional life, and what they imply."""

__version__ = "0.1.0"


def code_stamp() -> str:
    """This installed netjournal: its version and the size and mtime of each of its modules, so an upgrade
    or a local edit changes it (what cached notes and a running daemon were made by)."""
    from pathlib import Path

    package = Path(__file__).resolve().parent
    code = sorted((str(p.relative_to(package)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in package.rglob("*.py"))
    return f"{__version__} {code!r}"
