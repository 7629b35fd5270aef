"""Model: frozen dataclasses for what is read: criteria, units, scorecards, appraisals, problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Level = Literal["error", "warning"]
Status = Literal["submitted", "draft", "missing"]
Day = date  # for fields named `date`, which would shadow the type in their class body


@dataclass(frozen=True, order=True, slots=True)
class Loc:
    """A position in a repository file: path relative to the root, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of the loader or a rule; printed as PATH:LINE:COL: LEVEL [CODE] MESSAGE."""

    path: str
    line: int
    col: int
    level: Level
    code: str
    message: str

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.code, self.message)

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.level} [{self.code}] {self.message}"


# --- criteria ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoreLevel:
    """An allowed number of points for a leaf, with the condition that earns it."""

    points: Decimal
    when: str


@dataclass(frozen=True, slots=True)
class Band:
    """A band of a measured value: points are given when value >= min (first match wins)."""

    min: Decimal
    points: Decimal


@dataclass(frozen=True, slots=True)
class Criterion:
    """A field (lĩnh vực), criterion (tiêu chí) or sub-criterion (tiêu chí thành phần)."""

    id: str
    name: str
    loc: Loc
    field_id: str
    max: Decimal  # a leaf's own max; a parent's sum of its non-bonus children
    children: tuple[Criterion, ...] = ()
    kind: Literal["normal", "bonus", "deduction"] = "normal"
    source: Literal["self", "survey"] = "self"
    levels: tuple[ScoreLevel, ...] = ()
    bands: tuple[Band, ...] = ()
    measure_name: str | None = None
    measure_unit: str | None = None
    na_allowed: bool = False
    applies_to: tuple[str, ...] | None = None
    evidence: tuple[str, ...] = ()
    evidence_required: bool = True
    description: str | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def applies(self, unit_kind: str | None) -> bool:
        return self.applies_to is None or unit_kind in self.applies_to


@dataclass(frozen=True, slots=True)
class CriteriaSet:
    """The criteria tree of one tier for one cycle (criteria/<cycle>/<tier>.yaml)."""

    tier: str
    path: str
    title: str
    source: str
    max_total: Decimal | None
    precision: int
    fields: tuple[Criterion, ...]
    nodes: dict[str, Criterion] = field(default_factory=dict)  # every id, tree order
    leaves: dict[str, Criterion] = field(default_factory=dict)  # leaf ids, tree order

    def applicable_leaves(self, unit_kind: str | None) -> list[Criterion]:
        return [c for c in self.leaves.values() if c.applies(unit_kind)]


# --- assessment ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClassBand:
    """A classification label given when index >= min."""

    label: str
    min: Decimal
    loc: Loc


@dataclass(frozen=True, slots=True)
class Tier:
    id: str
    name: str
    criteria_file: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Unit:
    """An assessed unit: the district's UBND or a commune's UBND."""

    id: str
    name: str
    tier: str
    loc: Loc
    kind: str | None = None
    group: str | None = None
    code: str | None = None
    owners: tuple[str, ...] = ()
    merged_from: tuple[str, ...] = ()  # units of an earlier cycle merged into this one
    renamed_from: str | None = None  # this unit's id in an earlier cycle
    lineage_loc: Loc | None = None  # where merged_from / renamed_from is written


@dataclass(frozen=True, slots=True)
class Reviewer:
    """A member of the appraisal council and the criteria (ids or prefixes) it appraises."""

    id: str
    name: str
    criteria: tuple[str, ...]
    loc: Loc
    owners: tuple[str, ...] = ()

    def covers(self, criterion_id: str) -> bool:
        return any(criterion_id == c or criterion_id.startswith(c + ".") for c in self.criteria)


@dataclass(frozen=True, slots=True)
class LegalDocument:
    number: str
    date: Day | None
    issuer: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision (quyết định) of the district: its number and date."""

    number: str
    date: date
    loc: Loc


@dataclass(frozen=True, slots=True)
class Correction:
    """A change the district made to a closed cycle, with its decision and the old and new values."""

    decision: Decision
    unit: str
    criterion: str
    old: Decimal | None
    new: Decimal | None
    loc: Loc
    reason: str | None = None


# the committer of a pull request merged on GitHub's web page: trusted unless the cycle says otherwise
TRUSTED_COMMITTERS: tuple[str, ...] = ("GitHub <noreply@github.com>",)


@dataclass(frozen=True, slots=True)
class Assessment:
    """The cycle's configuration (criteria/<cycle>/assessment.yaml)."""

    cycle: str
    path: str
    title: str
    authority: str
    demo: bool
    legal_basis: tuple[LegalDocument, ...]
    deadline: date | None
    timezone: str
    classification: tuple[ClassBand, ...]
    tiers: dict[str, Tier]
    units: dict[str, Unit]
    reviewers: dict[str, Reviewer]
    late_changes: Literal["flag", "freeze"] = "flag"
    admins: tuple[str, ...] = ()  # district officers: own criteria/, .github/ and the rest
    history: bool = True  # False: submitted outside Git (imported), lateness is not read from Git
    # committer identities ("Name <email>") whose first-parent commits give a trusted landing time
    trusted_committers: tuple[str, ...] = TRUSTED_COMMITTERS
    verify_signatures: bool = False  # trusted commits must be signed by a key of .github/trusted-keys.asc
    closed: Decision | None = None  # the decision that published the results: no more changes
    corrections: tuple[Correction, ...] = ()  # the district's corrections after closing
    evidence_max_mb: Decimal = Decimal(50)  # evidence files above this are refused (evidence-file-too-large)


# --- scorecards and appraisals -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """A document (tài liệu kiểm chứng) given for a criterion: a link or a file in the unit's folder."""

    loc: Loc
    title: str | None = None
    number: str | None = None
    date: Day | None = None
    issuer: str | None = None
    url: str | None = None
    file: str | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """A unit's self-assessment of one criterion."""

    criterion_id: str
    loc: Loc
    points: Decimal | None = None
    value: Decimal | None = None
    evidence: tuple[Evidence, ...] = ()
    explanation: str | None = None
    not_applicable: bool = False
    reason: str | None = None
    points_loc: Loc | None = None  # where points were written (None: absent or empty)
    value_loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Approval:
    name: str | None
    title: str | None
    date: Day | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Scorecard:
    """A unit's self-assessment, merged from every file in submissions/<cycle>/<unit>/."""

    unit: str
    folder: str
    files: tuple[str, ...]
    status: Literal["submitted", "draft"]
    loc: Loc
    cycle: str | None = None
    approved_by: Approval | None = None
    scores: dict[str, Score] = field(default_factory=dict)
    difficulties: str | None = None
    recommendations: str | None = None


@dataclass(frozen=True, slots=True)
class AppraisedScore:
    """A reviewer's appraised points for one criterion of one unit."""

    reviewer: str
    unit: str
    criterion_id: str
    loc: Loc
    points: Decimal | None
    comment: str | None = None
    points_loc: Loc | None = None  # where points were written (None: absent or empty)


@dataclass(frozen=True, slots=True)
class Request:
    """A request for supplementary evidence (yêu cầu bổ sung) sent by a reviewer to a unit."""

    reviewer: str
    unit: str
    criteria: tuple[str, ...]
    loc: Loc
    document: str | None = None
    date: Day | None = None
    due: Day | None = None


@dataclass(frozen=True, slots=True)
class Appraisal:
    """A council member's appraisal file (appraisals/<cycle>/<reviewer>.yaml)."""

    reviewer: str
    path: str
    loc: Loc
    cycle: str | None = None
    appraised_by: Approval | None = None
    scores: tuple[AppraisedScore, ...] = ()
    requests: tuple[Request, ...] = ()


@dataclass
class CycleData:
    """Everything loaded for one cycle, with the problems found while loading."""

    cycle: str
    assessment: Assessment | None
    criteria: dict[str, CriteriaSet]
    scorecards: dict[str, Scorecard]
    appraisals: dict[str, Appraisal]
    unit_folders: dict[str, tuple[str, ...]]  # folder name → files, registered or not
    problems: list[Problem]
