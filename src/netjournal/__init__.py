"""netjournal: plain-Markdown notes on the people in your professional life, and what they imply."""

__version__ = "0.1.0"
