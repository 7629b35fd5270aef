"""Editor stage: every JSON Schema of a cycle (one per tier's scorecard, one for appraisals)."""

from __future__ import annotations

from typing import Any

from builder.editor.schema import scorecard_schema
from builder.editor.schema_appraisal import appraisal_schema
from builder.model import CycleData


def cycle_schemas(data: CycleData) -> dict[str, dict[str, Any]]:
    """Every schema of a cycle, by path relative to the root; {} when the config did not load."""
    a = data.assessment
    if a is None:
        return {}
    found = {
        f"schemas/{data.cycle}/{tier}.schema.json": scorecard_schema(data.cycle, a, s)
        for tier, s in data.criteria.items()
    }
    if data.criteria:
        found[f"schemas/{data.cycle}/appraisal.schema.json"] = appraisal_schema(data.cycle, a, data.criteria)
    return found
