"""Command line: argument parsing, the session, reporters, one module per command in `commands/`."""

from builder.cli.main import main, parser

__all__ = ["main", "parser"]
