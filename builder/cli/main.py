"""Command line: parse options, then one call per command. Exit 0 fine, 1 data errors, 2 usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from builder.cli import commands, progress
from builder.cli.faults import describe
from builder.cli.session import EXIT_OK, EXIT_USAGE, Session, find_root
from builder.cli.streams import tolerate_narrow_encodings
from builder.cli.vietnamese import VietnameseParser
from builder.load import cycle as loader
from builder.load.collector import freeze_after_load
from builder.problems import UsageError


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or only of `command` when it names one (a run's first
    word): the same options and messages for it, without importing the other commands."""
    p = VietnameseParser(
        prog="python -m builder",
        description="Chỉ số CCHC: kiểm tra, chấm điểm và công bố phiếu tự đánh giá.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=VietnameseParser)
    for name, module in commands.modules(command).items():
        cp = sub.add_parser(name, help=module.HELP, description=module.HELP)
        cp.add_argument(
            "--root",
            help="thư mục kho dữ liệu (mặc định: thư mục gần nhất, từ đây trở lên, có criteria/)",
        )
        cp.add_argument("--cycle", help="kỳ đánh giá (mặc định: kỳ mới nhất trong criteria/)")
        module.options(cp)
    return p


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    tolerate_narrow_encodings()
    out, err = out or sys.stdout, err or sys.stderr
    if argv is None:  # a real command-line run, not a test calling main() again and again
        freeze_after_load()
    words = sys.argv[1:] if argv is None else argv
    args = parser(words[0] if words else None).parse_args(argv)
    root = Path(args.root) if args.root is not None else find_root(Path.cwd())
    args.root = str(root)
    if not root.is_dir():
        err.write(f"Lỗi: không có thư mục {root}\n")
        return EXIT_USAGE
    session = Session(args, root, loader.FolderTree(root), out, err)
    progress.start(args, err)
    try:
        code: int = commands.modules(args.command)[args.command].run(session)
        return code
    except UsageError as e:
        err.write(f"Lỗi: {e}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl+C: whatever was being written is left as it was before
        err.write("Đã dừng theo yêu cầu (Ctrl+C).\n")
        return EXIT_USAGE
    except BrokenPipeError:  # `... | head`
        return EXIT_OK
    except OSError as e:  # the environment, not the data: disk full, read-only, no permission
        err.write(describe(e) + "\n")
        return EXIT_USAGE
    finally:
        progress.stop()
