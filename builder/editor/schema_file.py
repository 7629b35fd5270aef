"""Editor stage, the boundary with the editor: a schema's file text (stable, so a regenerated
schema is byte-identical), and a YAML document as yaml-language-server reads it (for checking
files against a schema the way the editor does)."""

from __future__ import annotations

import json
from typing import Any

from builder.load.yamlfile import NUMBER_RE, YNode


def schema_text(schema: dict[str, Any]) -> str:
    """The file's text: stable, UTF-8, two-space indent, short lists on one line."""
    return _dump(schema, 0) + "\n"


def _dump(value: Any, level: int) -> str:
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, dict) and value:
        items = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(v, level + 1)}" for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(inner + _dump(v, level + 1) for v in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def editor_view(node: YNode) -> Any:
    """A YAML node as yaml-language-server sees it (YAML 1.2 core schema), for checking a file
    with the `jsonschema` package: dates stay text, only true/false are booleans, and numbers
    are numbers only when written as plain decimals (what `validate` accepts)."""
    if node.kind == "map":
        return {key: editor_view(value) for key, value in node.value.items()}
    if node.kind == "seq":
        return [editor_view(item) for item in node.value]
    if node.kind == "null":
        return None
    text = node.value
    if node.kind == "bool" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if node.kind in ("int", "float") and NUMBER_RE.match(text):
        return int(text) if node.kind == "int" else float(text)
    return str(text)
