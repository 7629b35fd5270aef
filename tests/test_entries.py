"""History's reading of scorecard versions: parsing only the changed entries gives exactly what
reading each version whole gives, for usual and unusual layouts and broken files alike."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.git.entries import Versions, fingerprint, whole

PATH = "submissions/2019/xa-a/scorecard.yaml"

_ENTRY = st.sampled_from(
    [
        '  "{k}":\n    points: {p}\n    explanation: "Số liệu {p}"\n',
        "  {k}: {p}\n",
        '  "{k}": {{points: {p}, note: "ghi chú {p}"}}\n',
        '  "{k}":\n    points: {p}\n    evidence:\n      - {{title: "VB", file: "minh-chung/{p}.pdf"}}\n',
        "  # nhóm {p}\n  '{k}':\n    value: {p}\n    points: 1\n",
        '  "{k}":\n    points: {p}\n    note: |\n      dòng {p}\n      # không phải chú thích\n',
        '  "{k}": {{points: {p},\n    value: 1}}\n',
        '  "{k}":\n   points: {p}\n  oops\n',  # broken
        '  "{k}": "mở ngoặc {p}\n',  # unterminated quote
        '   "{k}": {p}\n',  # a different indentation
        '  "{k}":\n    points: &x {p}\n    value: *x\n',  # an anchor: read whole
        '  - "{k}"\n',  # a sequence
        "\t{k}: {p}\n",  # a tab
    ]
)
_TOP = st.sampled_from(
    [
        "unit: xa-a\nstatus: {s}\n",
        "unit: xa-a\nstatus: {s}  # trạng thái\nnote: >\n  dài\n",
        "# đầu tệp\nstatus: {s}\ncycle: '2019'\n",
        "status: [{s}\n",  # broken
        "status: {s}\nstatus: draft\n",  # duplicate key
        "",
    ]
)


@st.composite
def _versions(draw: st.DrawFn) -> list[bytes]:
    keys = draw(st.lists(st.sampled_from(["1.1", "1.2", "2.1", "1.10", "3"]), min_size=0, max_size=5))
    layout = [(k, draw(_ENTRY), draw(st.sampled_from(["0", "1", "1.0", "2.5"]))) for k in keys]
    top = draw(_TOP)
    versions = []
    for _ in range(draw(st.integers(1, 5))):
        status = draw(st.sampled_from(["draft", "submitted"]))
        if layout and draw(st.booleans()):  # change one entry's value or form
            i = draw(st.integers(0, len(layout) - 1))
            k, form, p = layout[i]
            layout[i] = (k, draw(st.one_of(st.just(form), _ENTRY)), draw(st.sampled_from(["0", "1", "3"])))
        if draw(st.booleans()):
            top = draw(_TOP)
        scores = "".join(form.format(k=k, p=p) for k, form, p in layout)
        tail = draw(st.sampled_from(["", "difficulties: không\n", "scores2: 1\n", "scores: {}\n"]))
        versions.append((top.format(s=status) + "scores:\n" + scores + tail).encode("utf-8"))
    return versions


@given(_versions())
@settings(max_examples=400, deadline=None)
def test_pieces_give_what_the_whole_file_gives(versions: list[bytes]) -> None:
    reader = Versions()
    for n, data in enumerate(versions):
        part, expected = reader.part(PATH, f"blob{n}", data), whole(PATH, data)
        assert (part.status, part.entries, part.files) == (expected.status, expected.entries, expected.files)


def test_only_the_changed_entry_is_parsed() -> None:
    card = 'unit: xa-a\nstatus: draft\nscores:\n  "1.1":\n    points: 1\n  "1.2": {points: 2}\n  "2.1": 0\n'
    reader = Versions()
    first = reader.part(PATH, "a", card.encode())
    assert reader.parsed == 1 and first.entries["1.2"] == fingerprint((("points", ("int", "2")),))
    changed = card.replace("{points: 2}", "{points: 3}").replace("draft", "submitted")
    second = reader.part(PATH, "b", changed.encode())
    assert reader.parsed == 3  # the top-level part (the status) and the one entry, nothing else
    assert second.status == "submitted" and second.entries["1.2"] == fingerprint((("points", ("int", "3")),))
    assert second.entries["1.1"] == first.entries["1.1"]


def test_what_history_keeps_of_many_files_is_shared() -> None:
    """Memory at 3,321 units: each criterion id is one object across every file and version,
    and every entry that cites no file shares one empty set (a set each was 32 MB there)."""
    reader = Versions()
    parts = []
    for n in range(3):
        card = f'unit: xa-{n}\nstatus: draft\nscores:\n  "1.1":\n    points: {n}\n  "1.2": 1\n'
        parts.append(reader.part(f"submissions/2019/xa-{n}/scorecard.yaml", f"a{n}", card.encode()))
        changed = card.replace(f"points: {n}", f"points: {n + 5}")  # a later version: one piece parsed
        parts.append(reader.part(f"submissions/2019/xa-{n}/scorecard.yaml", f"b{n}", changed.encode()))
    ids = [next(k for k in p.entries if k == "1.1") for p in parts]
    assert len({id(k) for k in ids}) == 1
    kept = [piece for _, answers in reader.latest.values() for piece in answers.entries.values()]
    assert len(kept) == 6 and len({id(files) for _, _, files in kept}) == 1
    assert len({id(cid) for cid, _, _ in kept if cid == "1.1"}) == 1
    card = b'status: draft\nscores:\n  "1.1":\n    evidence:\n      - {file: a.pdf}\n'
    cited = reader.part(PATH, "c", card)
    assert cited.files == {"a.pdf": {"1.1"}}
