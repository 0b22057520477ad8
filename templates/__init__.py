# Makes templates/ importable as netjournal.templates so the installed wheel carries it (see pyproject.toml).
