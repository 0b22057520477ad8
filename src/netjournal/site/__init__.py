"""The static site: markdown rendering, page views, jinja rendering and atomic writing."""
