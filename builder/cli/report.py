"""Command line, reporters: the text, github, json and codequality (GitLab Code Quality)
formats of the same Problem objects."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from typing import TextIO

from builder.cli.safe_text import safe, safe_json
from builder.model import Problem

FORMATS = ("text", "github", "json", "codequality")
SEVERITY = {"error": "major", "warning": "minor"}  # GitLab: info, minor, major, critical, blocker


def default_format() -> str:
    """`github` under GitHub Actions (annotations in the PR), else `text`."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _escape_github(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_line(p: Problem) -> str:
    """`::error file=…,line=…,col=…::[code] message`, exactly the DESIGN.md shape."""
    path = _escape_github(safe(p.path), property_value=True)
    message = _escape_github(safe(f"[{p.code}] {p.message}"))
    return f"::{p.level} file={path},line={p.line},col={p.col}::{message}"


def codequality(problems: Iterable[Problem]) -> list[dict[str, object]]:
    """GitLab's Code Quality report (a JSON list): problems appear on the merge request. The
    fingerprint identifies a problem across pipelines (GitLab compares base and head reports)."""
    found: list[dict[str, object]] = []
    for p in problems:
        key = "\0".join((p.path, str(p.line), p.code, p.message)).encode("utf-8")
        found.append(
            {
                "description": f"[{p.code}] {p.message}",
                "check_name": p.code,
                "fingerprint": hashlib.sha256(key).hexdigest(),
                "severity": SEVERITY.get(p.level, "info"),
                "location": {"path": p.path, "lines": {"begin": max(p.line, 1)}},
            }
        )
    return found


def write_problems(problems: Iterable[Problem], fmt: str, out: TextIO) -> None:
    problems = list(problems)
    if fmt == "codequality":
        out.write(safe_json(json.dumps(codequality(problems), ensure_ascii=False, indent=2)) + "\n")
        return
    if fmt == "json":
        payload = {
            "problems": [
                {
                    "path": p.path,
                    "line": p.line,
                    "col": p.col,
                    "level": p.level,
                    "code": p.code,
                    "message": p.message,
                }
                for p in problems
            ]
        }
        out.write(safe_json(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n")
        return
    for p in problems:
        out.write((github_line(p) if fmt == "github" else safe(p.text())) + "\n")


def summary_line(problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    if not problems:
        return "Không có lỗi"
    return f"{errors} lỗi, {warnings} cảnh báo"
