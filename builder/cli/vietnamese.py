"""Command line: argparse in Vietnamese (headings, usage line and every error it can print)."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

EXIT_USAGE = 2

# argparse's own messages (Python 3.11–3.13), as regular expressions → Vietnamese templates.
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^the following arguments are required: (?P<a>.*)$"), "thiếu tham số bắt buộc: {a}"),
    (re.compile(r"^unrecognized arguments: (?P<a>.*)$"), "không hiểu tham số: {a}"),
    (
        re.compile(r"^invalid choice: (?P<v>.*) \(choose from (?P<c>.*)\)$"),
        "giá trị {v} không hợp lệ (chọn một trong: {c})",
    ),
    (re.compile(r"^invalid (?P<t>\w+) value: (?P<v>.*)$"), "giá trị {v} không đúng kiểu ({t})"),
    (re.compile(r"^expected one argument$"), "cần đúng một giá trị"),
    (re.compile(r"^expected at most one argument$"), "chỉ được một giá trị"),
    (re.compile(r"^expected at least one argument$"), "cần ít nhất một giá trị"),
    (re.compile(r"^not allowed with argument (?P<a>.*)$"), "không dùng cùng với {a}"),
    (re.compile(r"^one of the arguments (?P<a>.*) is required$"), "cần một trong các tham số {a}"),
    (
        re.compile(r"^ambiguous option: (?P<o>\S+) could match (?P<m>.*)$"),
        "tùy chọn {o} mơ hồ, có thể là {m}",
    ),
    (re.compile(r"^ignored explicit argument (?P<a>.*)$"), "tùy chọn này không nhận giá trị {a}"),
]
_ARGUMENT = re.compile(r"^argument (?P<name>[^:]+): (?P<rest>.*)$", re.S)


def translate(message: str) -> str:
    """argparse's English error in Vietnamese; an unknown message is kept as it is."""
    prefix = ""
    m = _ARGUMENT.match(message)
    if m:
        prefix, message = f"tham số {m['name']}: ", m["rest"]
    for pattern, template in _MESSAGES:
        found = pattern.match(message)
        if found:
            return prefix + template.format(**found.groupdict())
    return prefix + message


class VietnameseFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


class VietnameseParser(argparse.ArgumentParser):
    """argparse with Vietnamese headings and errors (exit 2, as every usage error)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", VietnameseFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Lỗi: {translate(message)}\n")
