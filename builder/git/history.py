"""Git stage: what Git tells about a cycle (submission times, later changes, lateness).

One `git log --first-parent --raw` over `submissions/<cycle>` is parsed once for the whole
cycle; the scorecard blobs it names are streamed in order through one `git cat-file --batch`
(`blobs.py`), each blob id read and parsed once however often it comes back (a revert, the
same file in two places): its answer is kept only until its last use.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from builder.git.blobs import BlobStream
from builder.git.entries import Part, Versions
from builder.git.landing import untrusted_commits
from builder.git.repo import NULL_SHA, open_repo
from builder.load.collector import collector_paused
from builder.load.cycle import YAML_SUFFIXES
from builder.model import TRUSTED_COMMITTERS, Assessment, CycleData, Request
from builder.progress import track
from builder.results import Change, CycleHistory, UnitHistory

if TYPE_CHECKING:
    import git

VIETNAM = timezone(timedelta(hours=7))


# --- the cycle's history ------------------------------------------------------------------


_State = tuple[str | None, dict[str, Any], dict[str, set[str]]]  # status, entries, files


@dataclass
class _Unit:
    parts: dict[str, Part] = field(default_factory=dict)
    state: _State = (None, {}, {})
    changes: list[Change] = field(default_factory=list)
    submitted_at: datetime | None = None
    submit_commit: str | None = None
    baseline_submitted: bool = False  # already submitted at the shallow boundary
    seen: bool = False
    last_on_time: str | None = None  # the last commit touching it on or before the deadline
    submit_verified: bool = True  # the submission commit's landing time can be trusted


def _merged(parts: dict[str, Part]) -> _State:
    """Status ('submitted' only when every part is), entries and evidence use of a folder."""
    if not parts:
        return None, {}, {}
    if len(parts) == 1:  # the usual folder, one scorecard file: its part as it is (never changed)
        (only,) = parts.values()
        return ("submitted" if only.status == "submitted" else "draft"), only.entries, only.files
    entries: dict[str, Any] = {}
    files: dict[str, set[str]] = defaultdict(set)
    for name in sorted(parts):
        for cid, entry in parts[name].entries.items():
            entries.setdefault(cid, entry)
        for f, ids in parts[name].files.items():
            files[f] |= ids
    submitted = all(p.status == "submitted" for p in parts.values())
    return ("submitted" if submitted else "draft"), entries, dict(files)


def _id_key(cid: str) -> list[tuple[int, int | str]]:
    return [(0, int(p)) if p.isdigit() else (1, p) for p in cid.split(".")]


@dataclass(frozen=True)
class Clock:
    """Dates in the cycle's timezone; the deadline is the last day on time, inclusive."""

    tz: Any
    deadline: date | None

    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.tz)

    def after_deadline(self, when: datetime) -> bool:
        return self.deadline is not None and self.local(when).date() > self.deadline

    def requested(self, requests: list[Request], cid: str, when: datetime) -> bool:
        day = self.local(when).date()
        return any(
            (r.date is None or r.date <= day)
            and (r.due is None or day <= r.due)
            and any(cid == c or cid.startswith(c + ".") for c in r.criteria)
            for r in requests
        )


def clock_for(a: Assessment | None) -> tuple[Clock, list[str]]:
    """The cycle's clock, with a note when its timezone is unknown (then Vietnam's, UTC+7)."""
    tz: Any = VIETNAM
    notes = []
    if a is not None:
        try:
            tz = ZoneInfo(a.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            notes.append(f"Múi giờ '{a.timezone}' không hợp lệ: tạm tính theo giờ Việt Nam (UTC+07:00).")
    return Clock(tz, a.deadline if a else None), notes


def vn_datetime(when: datetime) -> str:
    """22/01/2020 23:59, for messages (in the timezone the datetime carries)."""
    return when.strftime("%d/%m/%Y %H:%M")


# --first-parent: the main line, where a merged pull request lands (-m: its diff against the
# first parent); --raw: the new blob of each path; -z: paths as they are, never quoted
_LOG = ["-m", "--first-parent", "--reverse", "--raw", "--no-abbrev", "--no-renames", "-z"]
_FORMAT = "--format=%x1e%H%x1f%cI%x1f%P%x1f%an"


def _log(repo: git.Repo, tip: str, path: str) -> Any:
    """(sha, committer date, author, [(new blob sha, path)]) oldest first, first parent only."""
    config = ["log.showSignature=false", "log.follow=false"]  # a developer's config cannot interfere
    out = repo.git(c=config).log(*_LOG, _FORMAT, tip, "--", path)
    for chunk in out.split("\x1e")[1:]:
        header, _, body = chunk.partition("\0")
        sha, iso, parents, author = header.split("\x1f", 3)
        merged = parents.split()[1:2]  # a merged pull request: who wrote it, not who merged it
        author = _author(repo, merged[0], author) if merged else author
        tokens = body.lstrip("\n").split("\0")
        raw = [
            (meta.split()[3], name)
            for meta, name in zip(tokens[0::2], tokens[1::2], strict=False)
            if meta.startswith(":")
        ]
        yield sha, datetime.fromisoformat(iso), author, raw


def _author(repo: git.Repo, sha: str, default: str) -> str:
    try:
        name: str = repo.commit(sha).author.name or default
        return name
    except Exception:  # beyond a shallow boundary
        return default


def _shallow_commits(repo: git.Repo) -> set[str]:
    try:
        path = Path(repo.git.rev_parse("--git-path", "shallow"))
        path = path if path.is_absolute() else Path(repo.working_tree_dir or ".") / path
        return set(path.read_text().split()) if path.is_file() else set()
    except Exception:
        return set()


def _unknown(cycle: str, note: str) -> CycleHistory:
    return CycleHistory(cycle, known=False, notes=(note,))


def cycle_history(root: Path, data: CycleData, rev: str = "HEAD") -> CycleHistory:
    """Submission time, later changes and lateness of every unit of the cycle, from one pass
    over the first-parent log of `rev`. A plain folder gives `known=False`, never an error."""
    repo = open_repo(root)
    if repo is None:
        return _unknown(
            data.cycle,
            f"Thư mục dữ liệu không phải kho Git: không biết thời điểm "
            f"nộp, nộp đúng hạn hay muộn của kỳ {data.cycle}.",
        )
    try:
        with collector_paused():  # many small objects, no garbage cycles (see load/collector)
            return _history(repo, data, rev)
    finally:
        repo.close()


def _history(repo: git.Repo, data: CycleData, rev: str) -> CycleHistory:
    cycle, a = data.cycle, data.assessment
    try:
        tip = repo.commit(rev)
    except Exception:  # an empty repository or an unknown revision
        return _unknown(cycle, f"Kho Git chưa có commit '{rev}': chưa có lịch sử nộp phiếu.")
    clock, notes = clock_for(a)
    if a is not None and not a.history:  # imported, not submitted here: commits tell nothing
        note = (
            f"Kỳ {cycle} khai báo 'history: false': phiếu không nộp qua kho Git này (dữ liệu "
            f"được nhập lại), nên không xét nộp đúng hạn hay muộn theo lịch sử Git."
        )
        return CycleHistory(
            cycle,
            known=False,
            commit=tip.hexsha,
            commit_date=clock.local(tip.committed_datetime),
            notes=(note,),
        )
    if a is not None and a.deadline is None:
        notes.append(f"Kỳ {cycle} chưa khai báo hạn nộp (deadline): không xác định được nộp muộn.")
    requests: dict[str, list[Request]] = defaultdict(list)
    for appraisal in data.appraisals.values():
        for req in appraisal.requests:
            requests[req.unit].append(req)
    shallow = _shallow_commits(repo)
    trusted = a.trusted_committers if a is not None else TRUSTED_COMMITTERS
    untrusted = untrusted_commits(repo, tip.hexsha, trusted, a is not None and a.verify_signatures)
    units: dict[str, _Unit] = defaultdict(_Unit)
    versions = Versions()  # each file's latest version: only changed entries are parsed
    boundary: tuple[str, datetime] | None = None
    prefix = f"submissions/{cycle}/"
    log = list(_log(repo, tip.hexsha, prefix.rstrip("/")))
    wanted = [blob for *_, raw in log for blob, path in raw if _scorecard_blob(prefix, blob, path)]
    uses = Counter(wanted)  # a blob that comes back keeps its answer until its last use
    kept: dict[str, Part] = {}
    with BlobStream(repo, uses) as blobs:  # each id once, in order of first use
        for sha, when, author, raw in track(log, "Đọc lịch sử Git", len(log)):
            when = clock.local(when)
            _commit(units, versions, blobs, uses, kept, prefix, sha, raw)
            _touched(units, clock, requests, untrusted, shallow, sha, when, author, raw, prefix)
            if sha in shallow:  # a shallow boundary: a snapshot of unknown history, not a change
                boundary = (sha, when)
    if shallow and boundary is None:
        first = min((repo.commit(s) for s in shallow), key=lambda c: c.committed_date)
        boundary = (first.hexsha, clock.local(first.committed_datetime))
    return _result(data, units, clock, tip, boundary, notes)


def _scorecard_blob(prefix: str, blob: str, path: str) -> bool:
    """A scorecard file directly in a unit folder, present after the commit."""
    return (
        blob != NULL_SHA and path.startswith(prefix) and path.count("/") == 3 and path.endswith(YAML_SUFFIXES)
    )


def _commit(
    units: dict[str, _Unit],
    versions: Versions,
    blobs: BlobStream,
    uses: Counter[str],
    kept: dict[str, Part],
    prefix: str,
    sha: str,
    raw: list[tuple[str, str]],
) -> None:
    """The scorecard parts of each unit folder after commit `sha`."""
    for blob, path in raw:
        parts = path.split("/")
        if len(parts) != 4 or not path.startswith(prefix) or not path.endswith(YAML_SUFFIXES):
            continue
        state = units[parts[2]].parts
        if blob == NULL_SHA:
            state.pop(parts[3], None)
            versions.forget(path)
            continue
        uses[blob] -= 1
        part = kept.pop(blob, None) if uses[blob] == 0 else kept.get(blob)
        if part is None:
            part = versions.part(path, blob, blobs.next(blob))
            if uses[blob] > 0:
                kept[blob] = part
        state[parts[3]] = part


def _touched(
    units: dict[str, _Unit],
    clock: Clock,
    requests: dict[str, list[Request]],
    untrusted: dict[str, str],
    shallow: set[str],
    sha: str,
    when: datetime,
    author: str,
    raw: list[tuple[str, str]],
    prefix: str,
) -> None:
    """Each unit folder that commit `sha` touched: its new state, and the change it records."""
    touched: dict[str, list[str]] = defaultdict(list)
    for _, path in raw:
        parts = path.split("/")
        if len(parts) >= 4 and path.startswith(prefix):
            touched[parts[2]].append(path)
    for uid, paths in touched.items():
        u = units[uid]
        before, u.state = u.state, _merged(u.parts)
        if not clock.after_deadline(when) and sha not in untrusted:
            u.last_on_time = sha
        if sha in shallow:
            u.seen, u.baseline_submitted = True, u.state[0] == "submitted"
        else:
            _record(u, sha, when, author, paths, before, clock, requests[uid], untrusted.get(sha, ""))


def _record(
    u: _Unit,
    sha: str,
    when: datetime,
    author: str,
    paths: list[str],
    before: _State,
    clock: Clock,
    requests: list[Request],
    untrusted: str = "",
) -> None:
    """One commit that touched one unit's folder: a Change, and the submission it may be.
    An `untrusted` commit (the reason) that is not provably late is never on time: a
    submission's lateness is unknown, a later change counts as late (not requested)."""
    after = u.state
    changed = {c for c in set(before[1]) | set(after[1]) if before[1].get(c) != after[1].get(c)}
    for path in paths:  # an evidence file changed: the criteria that cite it changed
        rel = "/".join(path.split("/")[3:])
        changed |= before[2].get(rel, set()) | after[2].get(rel, set())
    criteria = tuple(sorted(changed, key=_id_key))
    late = clock.after_deadline(when)
    submitting = after[0] == "submitted" and u.submitted_at is None and not u.baseline_submitted
    settled = (u.submitted_at is not None or u.baseline_submitted) and not submitting
    unverified = untrusted if untrusted and not late and (submitting or settled) else ""
    late_criteria: tuple[str, ...] = ()
    if late and settled:
        late_criteria = tuple(c for c in criteria if not clock.requested(requests, c, when))
    elif unverified and settled:  # its date may be back-dated: no request can cover it
        late_criteria = criteria
    event = "submitted" if submitting else ("changed" if u.seen else "created")
    u.seen = True
    if submitting:
        u.submitted_at, u.submit_commit, u.submit_verified = when, sha, not unverified
    u.changes.append(
        Change(
            commit=sha,
            date=when,
            author=author,
            files=tuple(sorted(paths)),
            criteria=criteria,
            event=event,  # type: ignore[arg-type]
            after_deadline=late,
            requested=bool(late and settled and criteria and not late_criteria),
            late_criteria=late_criteria,
            unverified=unverified,
        )
    )


def _result(
    data: CycleData,
    units: dict[str, _Unit],
    clock: Clock,
    tip: Any,
    boundary: tuple[str, datetime] | None,
    notes: list[str],
) -> CycleHistory:
    tip_date = clock.local(tip.committed_datetime)
    ids = list(data.assessment.units) if data.assessment else sorted(units)
    out: dict[str, UnitHistory] = {}
    for uid in ids:
        u = units.get(uid) or _Unit()
        late: bool | None = None
        reference: str | None = None  # the commit whose state counts at the deadline
        if u.submitted_at is not None:
            late = clock.after_deadline(u.submitted_at) if clock.deadline else None
            late = late if u.submit_verified else None  # back-dated maybe: never "on time"
            reference = u.submit_commit if late else u.last_on_time
        elif u.baseline_submitted:  # submitted at or before the boundary: when, unknown
            on_time = boundary is not None and not clock.after_deadline(boundary[1])
            late = False if on_time and clock.deadline else None
            reference = u.last_on_time if on_time else (boundary[0] if boundary else None)
        elif clock.after_deadline(tip_date):  # not submitted, and the deadline has passed
            late = True
        unverified = any(c.unverified for c in u.changes)
        out[uid] = UnitHistory(uid, u.submitted_at, late, tuple(u.changes), reference, unverified)
    if boundary is not None:
        notes.append(
            f"Kho Git là bản sao nông (shallow clone): lịch sử chỉ có từ commit {boundary[0][:7]} "
            f"({vn_datetime(boundary[1])}). Không biết các lần nộp, sửa trước mốc này; đơn vị "
            f"đã nộp trước mốc này mà mốc ở sau hạn nộp thì để trống 'nộp muộn'. "
            f"Chạy 'git fetch --unshallow' để có đủ lịch sử."
        )
    return CycleHistory(
        data.cycle,
        known=True,
        units=out,
        commit=tip.hexsha,
        commit_date=tip_date,
        notes=tuple(notes),
        shallow=boundary is not None,
    )
