"""A synthetic repository of N units built from the sample's criteria, for benchmarks."""

from __future__ import annotations

import random
import shutil
from decimal import Decimal
from pathlib import Path

import yaml

from builder.load.cycle import FolderTree, load_cycle

ROOT = Path(__file__).resolve().parent.parent


def _evidence(i: int, leaf: str) -> list[dict[str, str]]:
    """Two documents per criterion, as a real scorecard cites (the issue's files: ~20 KB)."""
    return [
        {
            "title": f"Báo cáo kết quả thực hiện tiêu chí {leaf} năm 2019 ({n})",
            "number": f"{100 + n}/BC-UBND",
            "date": "2019-12-15",
            "issuer": f"UBND xã Thử {i}",
            "url": f"https://example.org/minh-hoa/xa-{i:05d}/{leaf}-{n}.pdf",
        }
        for n in (1, 2)
    ]


def make_repository(target: Path, units: int, cycle: str = "2019", seed: int = 7) -> Path:
    """Copy the sample criteria of `cycle` and write `units` submitted commune scorecards."""
    rng = random.Random(seed)
    criteria = target / "criteria" / cycle
    shutil.copytree(ROOT / "criteria" / cycle, criteria)
    sample = load_cycle(FolderTree(ROOT), cycle)
    assert sample.assessment is not None
    commune = sample.criteria["commune"]
    config = yaml.safe_load((criteria / "assessment.yaml").read_text(encoding="utf-8"))
    config["units"] = [
        {
            "id": f"xa-{i:05d}",
            "name": f"UBND xã Thử {i}",
            "tier": "commune",
            "kind": "xa",
            "group": f"Cụm {i % 10 + 1}",
        }
        for i in range(units)
    ]
    (criteria / "assessment.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for i in range(units):
        scores = {}
        for leaf in commune.applicable_leaves("xa"):
            if leaf.source == "survey":
                continue
            if leaf.levels:
                points = rng.choice([lv.points for lv in leaf.levels])
            elif leaf.bands:
                value = Decimal(rng.randint(50, 100))
                points = next((b.points for b in leaf.bands if value >= b.min), Decimal(0))
                scores[leaf.id] = {
                    "value": float(value),
                    "points": float(points),
                    "explanation": "Số liệu thử",
                    "evidence": _evidence(i, leaf.id),
                }
                continue
            else:
                low = -leaf.max if leaf.kind == "deduction" else Decimal(0)
                points = low + (leaf.max * rng.randint(0, 4) / 4)
            scores[leaf.id] = {
                "points": float(points),
                "explanation": "Số liệu thử",
                "evidence": _evidence(i, leaf.id),
            }
        card = {
            "unit": f"xa-{i:05d}",
            "cycle": cycle,
            "status": "submitted",
            "approved_by": {"name": "Thử", "title": "Chủ tịch UBND xã", "date": "2020-01-10"},
            "scores": scores,
        }
        folder = target / "submissions" / cycle / f"xa-{i:05d}"
        folder.mkdir(parents=True)
        (folder / "scorecard.yaml").write_text(
            yaml.safe_dump(card, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    # the council appraises one criterion of every unit: scoring must stay linear in units
    reviewer = next(r for r in sample.assessment.reviewers.values() if r.covers("1.1.1"))
    appraisal = {
        "reviewer": reviewer.id,
        "cycle": cycle,
        "units": {f"xa-{i:05d}": {"1.1.1": {"points": 0, "comment": "Thử"}} for i in range(units)},
    }
    (target / "appraisals" / cycle).mkdir(parents=True)
    (target / "appraisals" / cycle / f"{reviewer.id}.yaml").write_text(
        yaml.safe_dump(appraisal, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return target
