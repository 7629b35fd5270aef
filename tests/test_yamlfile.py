"""Loading: positions, keys as written, exact numbers, and hostile files that never raise."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.load.cycle import FolderTree, load_cycle
from builder.load.reader import Reader
from builder.load.yamlfile import HAS_LIBYAML, YNode, read_yaml
from conftest import ROOT


def _load(text: str | bytes) -> tuple[YNode | None, list[str]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    loaded = read_yaml(Path("."), "f.yaml", data)
    return loaded.root, [p.text() for p in loaded.problems]


def test_the_c_loader_is_used() -> None:
    assert HAS_LIBYAML


def test_keys_are_read_as_written() -> None:
    root, problems = _load('scores:\n  1.10: 1\n  1.1: 2\n  "01": 3\n  1: 4\n')
    assert problems == []
    assert root is not None
    scores = root.get("scores")
    assert scores is not None
    assert list(scores.value) == ["1.10", "1.1", "01", "1"]


def test_every_value_knows_its_line_and_column() -> None:
    root, _ = _load('unit: xa-a\nscores:\n  "1.1": {points: 0.5}\n')
    assert root is not None
    node = root.get("scores").get("1.1").get("points")  # type: ignore[union-attr]
    assert (node.loc.line, node.loc.col, node.value) == (3, 19, "0.5")
    assert root.get("scores").key_loc("1.1").line == 3  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "value", "code"),
    [
        ("1.675", Decimal("1.675"), None),
        ("20.5", Decimal("20.5"), None),
        ("-0.25", Decimal("-0.25"), None),
        ("'1.5'", Decimal("1.5"), "quoted-number"),
        ("yes", None, "yaml-boolean"),
        ("on", None, "yaml-boolean"),
        (".nan", None, "number-not-finite"),
        ("-.inf", None, "number-not-finite"),
        ('"0,5"', None, "decimal-comma"),
        ("0x1F", None, "bad-number"),
        ("1_000", None, "bad-number"),
        ("1:30", None, "bad-number"),
        ("abc", None, "not-a-number"),
    ],
)
def test_numbers_are_exact_or_a_clear_problem(text: str, value: Decimal | None, code: str | None) -> None:
    root, problems = _load(f"points: {text}\n")
    assert root is not None and problems == []
    r = Reader("f.yaml")
    assert r.number(root.get("points"), "points") == value
    assert [p.code for p in r.problems] == ([code] if code else [])


def test_duplicate_keys_are_an_error_not_a_silent_overwrite() -> None:
    _, problems = _load("a: 1\nb: 2\na: 3\n")
    assert problems == [
        "f.yaml:3:1: error [duplicate-key] Khóa 'a' bị lặp (đã có ở dòng 1); YAML sẽ âm thầm bỏ giá trị trước"
    ]


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    root, problems = _load("\n".join(lines) + "\n")
    assert root is not None
    assert problems and all("[yaml-alias]" in p for p in problems)
    assert len(problems) < 200  # each alias reported once; nothing expanded


def test_bom_is_a_warning_and_the_file_is_still_read() -> None:
    root, problems = _load(b"\xef\xbb\xbfunit: xa-a\n")
    assert root is not None and root.get("unit").value == "xa-a"  # type: ignore[union-attr]
    assert problems == [
        "f.yaml:1:1: warning [yaml-bom] Tệp bắt đầu bằng ký tự BOM; hãy lưu dạng 'UTF-8' không BOM"
    ]


def test_legacy_encoding_gives_line_and_column() -> None:
    root, problems = _load(b"unit: xa-a\nname: X" + b"\xe3 B\n")
    assert root is None
    assert problems[0].startswith("f.yaml:2:8: error [not-utf8]")


def test_tab_indentation_is_named() -> None:
    _, problems = _load('scores:\n\t"1.1": 1\n')
    assert problems == [
        "f.yaml:2:1: error [yaml-tab] Dòng này thụt lề bằng phím Tab; YAML chỉ cho phép thụt lề bằng dấu cách"
    ]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_no_input_raises(data: bytes) -> None:
    loaded = read_yaml(Path("."), "f.yaml", data)
    assert loaded.root is not None or loaded.problems


# --- the ten commonest hand-editing mistakes: the cause named, at the line of the mistake ---

CARD = """\
unit: xa-an-binh
cycle: "2019"
status: draft
scores:
  "1.1.1":
    points: 1
    evidence:
      - title: "Kế hoạch CCHC năm 2019"
        number: "12/KH-UBND"
        date: 2018-12-20
        url: "https://example.org/kh-12.pdf"
  "1.3":
    points: 0.5
    explanation: "Mô hình tiếp nhận hồ sơ tại nhà"
  "2.1":
    points: 2.75
    evidence: [a, b]
difficulties: "Thiếu máy scan."
"""

# (mistake, the line as written, the line mistyped, (line, column), code, words of the message)
MISTAKES = [
    (
        "indent-one-space",
        "    points: 0.5\n",
        "     points: 0.5\n",
        (13, 6),
        "yaml-syntax",
        "dòng này thụt lề 5 dấu cách, lệch một dấu cách so với các dòng cùng cấp (thụt 4)",
    ),
    (
        "indent-one-less",
        "    points: 0.5\n",
        "   points: 0.5\n",
        (13, 4),
        "yaml-syntax",
        "dòng này thụt lề 3 dấu cách, lệch một dấu cách so với các dòng cùng cấp (thụt 4)",
    ),
    (
        "missing-closing-quote",
        '    explanation: "Mô hình tiếp nhận hồ sơ tại nhà"\n',
        '    explanation: "Mô hình tiếp nhận hồ sơ tại nhà\n',
        (14, 18),
        "yaml-syntax",
        'dấu ngoặc kép (") mở ở đây chưa được đóng; hãy thêm " ở cuối chuỗi',
    ),
    (
        "missing-closing-quote-at-the-end",
        'difficulties: "Thiếu máy scan."\n',
        'difficulties: "Thiếu máy scan.\n',
        (18, 15),
        "yaml-syntax",
        'dấu ngoặc kép (") mở ở đây chưa được đóng; hãy thêm " ở cuối chuỗi',
    ),
    (
        "missing-closing-quote-of-a-key",
        '  "1.3":\n',
        '  "1.3:\n',
        (12, 3),
        "yaml-syntax",
        'dấu ngoặc kép (") mở ở đây chưa được đóng; hãy thêm " ở cuối chuỗi',
    ),
    (
        "missing-colon",
        "    points: 0.5\n",
        "    points 0.5\n",
        (13, 11),
        "yaml-syntax",
        "thiếu dấu ':' sau tên khóa 'points' (viết 'points: 0.5')",
    ),
    (
        "no-space-after-colon",
        "    points: 0.5\n",
        "    points:0.5\n",
        (13, 12),
        "yaml-syntax",
        "sau dấu ':' cần một dấu cách (viết 'points: 0.5')",
    ),
    (
        "dash-without-space",
        '      - title: "Kế hoạch CCHC năm 2019"\n',
        '      -title: "Kế hoạch CCHC năm 2019"\n',
        (8, 7),
        "yaml-syntax",
        "sau dấu '-' của mục danh sách cần một dấu cách",
    ),
    ("tab", "    points: 0.5\n", "\tpoints: 0.5\n", (13, 1), "yaml-tab", "thụt lề bằng phím Tab"),
    (
        "unclosed-bracket",
        "    evidence: [a, b]\n",
        "    evidence: [a, b\n",
        (17, 15),
        "yaml-syntax",
        "dấu '[' mở ở đây chưa được đóng bằng ']'",
    ),
    (
        "unclosed-brace",
        "    evidence: [a, b]\n",
        "    evidence: {a: 1, b: 2\n",
        (17, 15),
        "yaml-syntax",
        "dấu '{' mở ở đây chưa được đóng bằng '}'",
    ),
    (
        "key-repeated",
        "    points: 2.75\n",
        "    points: 2.75\n    points: 3\n",
        (17, 5),
        "duplicate-key",
        "Khóa 'points' bị lặp (đã có ở dòng 16)",
    ),
    (
        "colon-in-value",
        'difficulties: "Thiếu máy scan."\n',
        "difficulties: Thiếu máy: scan.\n",
        (18, 24),
        "yaml-syntax",
        'hãy đặt cả giá trị trong ngoặc kép: difficulties: "Thiếu máy: scan."',
    ),
    (
        "list-item-indent",
        '        number: "12/KH-UBND"\n',
        '       number: "12/KH-UBND"\n',
        (9, 8),
        "yaml-syntax",
        "dòng này thụt lề 7 dấu cách, lệch một dấu cách so với các dòng cùng cấp (thụt 8)",
    ),
    (
        "list-item-indent-more",
        '        number: "12/KH-UBND"\n',
        '         number: "12/KH-UBND"\n',
        (9, 10),
        "yaml-syntax",
        "dòng này thụt lề 9 dấu cách, lệch một dấu cách so với các dòng cùng cấp (thụt 8)",
    ),
    (
        "apostrophe-in-single-quotes",
        '    explanation: "Mô hình tiếp nhận hồ sơ tại nhà"\n',
        "    explanation: 'Mô hình 'tại nhà''\n",
        (14, 28),
        "yaml-syntax",
        "nếu trong chuỗi có dấu ' thì hãy bao cả chuỗi bằng dấu \"",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "where", "code", "words"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES]
)
def test_a_hand_editing_mistake_is_named_at_its_line(
    old: str, new: str, where: tuple[int, int], code: str, words: str
) -> None:
    assert old in CARD
    _, problems = _load(CARD.replace(old, new, 1))
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"f.yaml:{where[0]}:{where[1]}: error [{code}] "), problems
    assert words in problems[0], problems


@pytest.mark.parametrize(("points", "fixed"), [("1#ghi chú", "1 #ghi chú"), ("0.5#đã sửa", "0.5 #đã sửa")])
def test_a_comment_glued_to_a_number_is_named(points: str, fixed: str) -> None:
    root, problems = _load(CARD.replace("points: 0.5\n", f"points: {points}\n", 1))
    assert problems == []
    reader = Reader("f.yaml")
    node = root.get("scores").get("1.3").get("points")  # type: ignore[union-attr]
    assert reader.number(node, "points") is None
    [found] = [p.text() for p in reader.problems]
    assert found.startswith("f.yaml:13:13: error [yaml-comment-glued] ")
    assert f"hãy thêm một dấu cách trước '#': {fixed}" in found


def test_an_unclosed_single_quote_is_named_as_such() -> None:
    _, problems = _load(CARD.replace('"Thiếu máy scan."', "'Thiếu máy scan."))
    assert problems == [
        "f.yaml:18:15: error [yaml-syntax] Lỗi cú pháp YAML: dấu nháy đơn (') mở ở đây "
        "chưa được đóng; hãy thêm ' ở cuối chuỗi"
    ]


def test_an_unclosed_quote_in_a_flow_mapping_is_named_where_it_opens() -> None:
    # the sample's own evidence style: the title's quote runs on to the next key's quote
    line = '      - {title: "Kế hoạch CCHC, number: "12/KH-UBND", url: "https://example.org/a.pdf"}\n'
    text = CARD.replace("    evidence: [a, b]\n", "    evidence:\n" + line)
    _, problems = _load(text)
    assert problems == [
        'f.yaml:18:17: error [yaml-syntax] Lỗi cú pháp YAML: dấu ngoặc kép (") mở ở đây '
        'chưa được đóng; hãy thêm " ở cuối chuỗi'
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(CARD)), st.integers(0, 3), st.sampled_from(list(" :\"'-[]{},#\t\n\\x"))),
        min_size=1,
        max_size=4,
    )
)
def test_a_mistyped_scorecard_never_raises_and_points_inside_the_file(
    edits: list[tuple[int, int, str]],
) -> None:
    """Characters typed, deleted or replaced anywhere: the explanation never raises and its
    position is a real line and column of the file."""
    text = CARD
    for at, cut, char in edits:
        text = text[:at] + char + text[at + cut :]
    loaded = read_yaml(Path("."), "f.yaml", text.encode("utf-8"))
    lines = text.splitlines()
    for p in loaded.problems:
        assert 1 <= p.line <= max(1, len(lines) + 1), (text, p)
        assert p.col >= 1


_SCALARS = st.sampled_from(
    ["", "~", "null", "Null", "true", "yes", "On", "n", "1", "-1", "+1.5", ".5", "0x1F", "0o7", "1_000",
     "1:30", "2019-12-15", "2019-12-15 10:00:00", ".inf", "-.Inf", ".NaN", "<<", "=", "!x", "&a", "*a",
     "Báo cáo", "xa-ban-bo", "1.10", "01", "-", "."]
)  # fmt: skip


@given(st.lists(_SCALARS | st.text(alphabet="0123456789.-+:_eEnNtTyYoOfFxXabc ~", max_size=8), max_size=6))
@settings(max_examples=300, deadline=None)
def test_the_fast_tag_resolution_gives_pyyaml_s_tags(values: list[str]) -> None:
    """Our composer's shortcut (`_Composer.resolve`) must type every plain scalar as PyYAML
    does: the kinds the rules read (int, float, bool, null, date, str) depend on it."""
    import yaml

    from builder.load.yamlfile import _Composer

    text = "".join(f"k{i}: {v}\n" for i, v in enumerate(values) if v.strip() == v and ":" not in v)
    try:
        theirs = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return
    ours = yaml.compose(text, Loader=_Composer)
    tags = [(k.value, v.tag) for k, v in theirs.value] if theirs else []
    assert tags == ([(k.value, v.tag) for k, v in ours.value] if ours else [])
    if ours:  # and twice, from the remembered tags
        again = yaml.compose(text, Loader=_Composer)
        assert [(k.value, v.tag) for k, v in again.value] == tags


def test_positions_are_kept_without_a_loc_per_node() -> None:
    """A node keeps line and column as integers; its `Loc` is made when asked, equal each time."""
    root, _ = _load('a: &x 1\nb:\n  - "q"\n  - {c: 2}\n')
    assert root is not None
    item = root.get("b").value[1]  # type: ignore[union-attr]
    assert not hasattr(item, "__dict__")  # slots: no per-node dictionary
    assert (item.line, item.col) == (4, 5) and item.loc == item.loc
    assert item.key_loc("c").col == 6 and item.key_loc("missing") == item.loc
    assert root.get("b").value[0].quoted  # type: ignore[union-attr]


def test_a_load_keeps_one_copy_of_a_repeated_text_and_number(tmp_path: Path) -> None:
    """Issue 11 (memory): a loaded cycle lives for the whole run, so a text that many files
    repeat (the issuer, a document number) is one string, and a number or a date one object;
    the values are the same as read separately, and the model objects carry no dictionary."""
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    shutil.copytree(ROOT / "submissions", tmp_path / "submissions")
    card = "submissions/2019/xa-ban-bo/scorecard.yaml"
    original = (tmp_path / card).read_text(encoding="utf-8")
    for name in ("xa-ban-bo", "xa-ban-giang"):
        text = original.replace("unit: xa-ban-bo", f"unit: {name}")
        body = f"""
  "1.1.1":
    points: 0.5
    evidence:
      - {{title: Báo cáo năm 2019, number: 12/BC-UBND, date: 2019-12-15, issuer: UBND xã Thử, url: "https://example.org/{name}.pdf"}}
"""
        text = text.split("\nscores:\n")[0] + "\nscores:" + body
        (tmp_path / f"submissions/2019/{name}/scorecard.yaml").write_text(text, encoding="utf-8")
    data = load_cycle(FolderTree(tmp_path), "2019")
    a, b = (data.scorecards[n].scores["1.1.1"] for n in ("xa-ban-bo", "xa-ban-giang"))
    ea, eb = a.evidence[0], b.evidence[0]
    assert ea.issuer == eb.issuer == "UBND xã Thử"
    assert ea.issuer is eb.issuer and ea.number is eb.number and ea.title is eb.title
    assert a.points == Decimal("0.5") and a.points is b.points
    assert ea.date is eb.date and str(ea.date) == "2019-12-15"
    assert ea.url != eb.url  # what differs stays different
    assert not hasattr(a, "__dict__") and not hasattr(ea, "__dict__") and not hasattr(a.loc, "__dict__")
    # a second load shares nothing with the first: the table lives for one load only
    again = load_cycle(FolderTree(tmp_path), "2019").scorecards["xa-ban-bo"].scores["1.1.1"]
    assert again.evidence[0].url == ea.url and again.evidence[0].url is not ea.url
