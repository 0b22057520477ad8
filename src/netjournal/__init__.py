"""netjournal: plain-Markdown notes on the people in your professional life, and what they imply."""

__version__ = "0.1.0"


def code_stamp() -> str:
    """This installed netjournal: its version and the size and mtime of each of its modules, so an upgrade
    or a local edit changes it (what cached notes and a running daemon were made by)."""
    import os

    modules: list[tuple[str, int, int]] = []

    def add(folder: str, prefix: str) -> None:
        # os.scandir: one stat a module; pathlib's rglob and two stats each made this a tenth of a small
        # journal's build, and every build asks twice
        try:
            listing = list(os.scandir(folder))
        except FileNotFoundError:  # a folder gone since its parent was listed
            return
        for entry in listing:
            if entry.name.startswith(".") or entry.name == "__pycache__":  # compiled code; an editor's lock
                continue  # file (.#cli.py, a dangling link): no module
            if entry.is_dir(follow_symlinks=False):
                add(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".py"):
                try:
                    stat = entry.stat()
                except OSError:  # gone since it was listed
                    continue
                modules.append((prefix + entry.name, stat.st_size, stat.st_mtime_ns))

    add(os.path.dirname(os.path.realpath(__file__)), "")
    return f"{__version__} {sorted(modules)!r}"
