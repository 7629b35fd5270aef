"""PAR Index (Chỉ số CCHC) builder: load → validate → score → history → render/export."""

__version__ = "0.1.0"
