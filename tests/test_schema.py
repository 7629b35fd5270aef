"""Editor schemas: generated from the criteria, in step with the parser and the validator, and
understood by the real yaml-language-server (driven over stdio by tests/lsp/client.js)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from builder.editor.schema import SCHEMA_CODES
from builder.editor.schema_file import editor_view
from builder.editor.schemas import cycle_schemas
from builder.load import cycle as loader
from builder.load.parse import (
    APPRAISAL_KEYS,
    APPROVAL_KEYS,
    EVIDENCE_KEYS,
    REQUEST_KEYS,
    SCORE_KEYS,
    SCORECARD_KEYS,
)
from builder.load.yamlfile import read_yaml
from builder.rules.validate import validate
from casekit import case_dirs, materialize
from conftest import ROOT, run_cli

LSP = Path(__file__).parent / "lsp"


# --- helpers -------------------------------------------------------------------------------


def schemas_of(root: Path, cycle: str) -> dict[str, dict[str, Any]]:
    return cycle_schemas(loader.load_cycle(loader.FolderTree(root), cycle))


def checked_files(root: Path, cycle: str) -> list[tuple[str, str]]:
    """(file, schema path) for every scorecard part of a registered unit and every appraisal."""
    data = loader.load_cycle(loader.FolderTree(root), cycle)
    if data.assessment is None:
        return []
    found = []
    for folder, files in data.unit_folders.items():
        unit = data.assessment.units.get(folder)
        if unit is not None and unit.tier in data.criteria:
            found += [(f, f"schemas/{cycle}/{unit.tier}.schema.json") for f in files]
    base = root / "appraisals" / cycle
    for path in sorted(base.glob("*.y*ml")) if base.is_dir() else []:
        found.append((path.relative_to(root).as_posix(), f"schemas/{cycle}/appraisal.schema.json"))
    return found


def schema_errors(root: Path, relpath: str, schema: dict[str, Any]) -> list[str] | None:
    """The schema's complaints about a file (None when the file is not readable YAML)."""
    loaded = read_yaml(root, relpath)
    if loaded.root is None:
        return None
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(editor_view(loaded.root))
    ]


def repository_cycles(root: Path) -> list[str]:
    return loader.cycles(loader.FolderTree(root))


# --- generation ----------------------------------------------------------------------------


def test_schema_keys_follow_the_parser(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    schemas = schemas_of(root, "2019")
    card = schemas["schemas/2019/commune.schema.json"]
    assert list(card["properties"]) == SCORECARD_KEYS
    assert card["required"] == ["unit", "status"]
    entry = card["properties"]["scores"]["properties"]["1.1.1"]["anyOf"][-1]
    assert list(entry["properties"]) == SCORE_KEYS
    assert list(card["definitions"]["evidence"]["properties"]) == EVIDENCE_KEYS
    assert list(card["properties"]["approved_by"]["properties"]) == APPROVAL_KEYS
    appraisal = schemas["schemas/2019/appraisal.schema.json"]
    assert list(appraisal["properties"]) == APPRAISAL_KEYS
    assert list(appraisal["properties"]["requests"]["items"]["properties"]) == REQUEST_KEYS


def test_criterion_ids_carry_name_max_and_rule(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    card = schemas_of(root, "2019")["schemas/2019/commune.schema.json"]
    scores = card["properties"]["scores"]
    # every leaf a unit scores itself; parents (1, 1.1) and the survey leaf (3.1) are refused
    assert list(scores["properties"]) == ["1.1.1", "1.1.2", "1.2", "1.3", "1.4", "2.1", "2.2"]
    assert scores["additionalProperties"] is False
    leaf = scores["properties"]["1.1.1"]
    assert leaf["markdownDescription"].startswith("**1.1.1. Ban hành kế hoạch kịp thời**")
    assert "Điểm tối đa 1." in leaf["markdownDescription"]
    assert "- 0,5 điểm: Muộn dưới 15 ngày" in leaf["markdownDescription"]
    assert "Tài liệu kiểm chứng: Kế hoạch CCHC năm" in leaf["description"]
    bare = leaf["anyOf"][0]
    assert (bare["minimum"], bare["maximum"], bare["enum"]) == (0, 1, [1, 0.5, 0])
    deduction = scores["properties"]["1.4"]["anyOf"][0]
    assert (deduction["minimum"], deduction["maximum"]) == (-1, 0)
    banded = scores["properties"]["1.1.2"]
    assert [form.get("type") for form in banded["anyOf"]] == ["null", "object"]
    assert "từ 80 trở lên: 1 điểm" in banded["description"]


def test_committed_schemas_are_current() -> None:
    """CI fails when criteria changed but `python -m builder schema` was not run."""
    run = run_cli("schema", "--check", "--root", str(ROOT))
    assert run.code == 0, run.out + run.err


def test_check_names_stale_missing_and_orphan_files(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    assert run_cli("schema", "--check", "--root", str(root)).code == 1
    written = run_cli("schema", "--root", str(root))
    assert written.code == 0
    assert sorted(p.relative_to(root).as_posix() for p in (root / "schemas").rglob("*.json")) == [
        "schemas/2019/appraisal.schema.json",
        "schemas/2019/commune.schema.json",
    ]
    assert run_cli("schema", "--check", "--root", str(root)).code == 0
    criteria = root / "criteria/2019/commune.yaml"
    criteria.write_text(criteria.read_text(encoding="utf-8").replace("max: 3}", "max: 4}"), encoding="utf-8")
    (root / "schemas/2018").mkdir()
    (root / "schemas/2018/commune.schema.json").write_text("{}\n", encoding="utf-8")
    stale = run_cli("schema", "--check", "--root", str(root))
    assert stale.code == 1
    assert stale.out.splitlines() == [
        "schemas/2019/appraisal.schema.json: cũ, cần tạo lại",
        "schemas/2019/commune.schema.json: cũ, cần tạo lại",
        "schemas/2018/commune.schema.json: không còn bộ tiêu chí tương ứng, cần xóa",
    ]
    assert run_cli("schema", "--root", str(root)).code == 0
    assert not (root / "schemas/2018/commune.schema.json").exists()
    assert run_cli("schema", "--check", "--root", str(root)).code == 0


def test_schema_refuses_a_cycle_whose_criteria_do_not_load(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    (root / "criteria/2019/commune.yaml").write_text("fields: [\n", encoding="utf-8")
    run = run_cli("schema", "--root", str(root))
    assert run.code == 1
    assert "validate --cycle 2019" in run.err
    assert not (root / "schemas").exists()


def test_scaffold_points_at_the_generated_schema(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    assert run_cli("schema", "--root", str(root)).code == 0
    assert run_cli("new", "xa-cam-son", "--root", str(root)).code == 0
    card = root / "submissions/2019/xa-cam-son/scorecard.yaml"
    first = card.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schemas/2019/commune.schema.json"
    assert (card.parent / first.split("$schema=")[1]).resolve().is_file()
    # a fresh scaffold (empty points, no evidence yet) raises no complaint in the editor
    schema = schemas_of(root, "2019")["schemas/2019/commune.schema.json"]
    assert schema_errors(root, "submissions/2019/xa-cam-son/scorecard.yaml", schema) == []


# --- agreement with the validator ----------------------------------------------------------


def sample_roots() -> list[Path]:
    roots = [ROOT] if (ROOT / "submissions").is_dir() else []
    return roots


@pytest.mark.parametrize("root", sample_roots(), ids=lambda p: p.name)
def test_every_sample_file_passes_its_schema(root: Path) -> None:
    checked = 0
    for cycle in repository_cycles(root):
        schemas = schemas_of(root, cycle)
        for relpath, schema_path in checked_files(root, cycle):
            assert schema_errors(root, relpath, schemas[schema_path]) == [], relpath
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("case", case_dirs("valid"), ids=lambda p: p.name)
def test_every_valid_case_passes_its_schema(case: Path, tmp_path: Path) -> None:
    root = materialize(case, tmp_path / "repo")
    schemas = schemas_of(root, "2019")
    files = checked_files(root, "2019")
    assert files
    for relpath, schema_path in files:
        assert schema_errors(root, relpath, schemas[schema_path]) == [], relpath


def agreement(root: Path) -> list[str]:
    """Disagreements between the schema and `validate`, file by file (empty when they agree).

    The schema may reject only a file that `validate` complains about too, and must reject
    every file where `validate` reports an error of a code listed in SCHEMA_CODES."""
    disagreements = []
    for cycle in repository_cycles(root):
        data = loader.load_cycle(loader.FolderTree(root), cycle)
        problems = validate(data, loader.FolderTree(root))
        schemas = cycle_schemas(data)
        for relpath, schema_path in checked_files(root, cycle):
            if schema_path not in schemas:
                continue
            errors = schema_errors(root, relpath, schemas[schema_path])
            if errors is None:
                continue
            mine = [p for p in problems if p.path == relpath]
            expressible = [p.code for p in mine if p.level == "error" and p.code in SCHEMA_CODES]
            if errors and not mine:
                disagreements.append(f"{relpath}: schema rejects a file validate accepts: {errors}")
            if expressible and not errors:
                disagreements.append(f"{relpath}: schema accepts a file with {expressible}")
    return disagreements


@pytest.mark.parametrize("case", case_dirs("invalid"), ids=lambda p: p.name)
def test_schema_agrees_with_the_validator_on_the_corpus(case: Path, tmp_path: Path) -> None:
    root = materialize(case, tmp_path / "repo")
    assert agreement(root) == []


CARD_HEAD = 'unit: xa-an-binh\ncycle: "2019"\nstatus: draft\n'
EVIDENCE = '[{title: "KH", number: "1/KH", date: 2019-01-02, issuer: "UBND xã", url: "https://e.vn/1.pdf"}]'

# (name, scorecard text, the validator's code the schema must agree with)
OWN_INVALID = [
    ("above-max", CARD_HEAD + 'scores:\n  "2.1": 3.5\n', "score-above-max"),
    ("above-max-long", CARD_HEAD + 'scores:\n  "2.1": {points: 4, explanation: "x"}\n', "score-above-max"),
    ("deduction-positive", CARD_HEAD + 'scores:\n  "1.4": 0.5\n', "score-above-max"),
    ("below-min", CARD_HEAD + 'scores:\n  "1.4": -2\n', "score-below-min"),
    ("not-a-level", CARD_HEAD + 'scores:\n  "1.1.1": 0.75\n', "score-not-in-levels"),
    ("unknown-id", CARD_HEAD + 'scores:\n  "1.1.3": 1\n', "criterion-unknown"),
    ("id-as-written", CARD_HEAD + 'scores:\n  "2.10": 1\n', "criterion-unknown"),
    ("parent", CARD_HEAD + 'scores:\n  "1.1": 1\n', "criterion-not-leaf"),
    ("survey", CARD_HEAD + 'scores:\n  "3.1": 5\n', "survey-self-scored"),
    ("town-only", CARD_HEAD + 'scores:\n  "2.2": 1\n', "criterion-not-for-unit"),
    ("band-no-value", CARD_HEAD + 'scores:\n  "1.1.2": {points: 1, explanation: "x"}\n', "value-missing"),
    ("band-shorthand", CARD_HEAD + 'scores:\n  "1.1.2": 1\n', "value-missing"),
    (
        "band-mismatch",
        CARD_HEAD + 'scores:\n  "1.1.2": {value: 79.9, points: 1, explanation: "x"}\n',
        "band-mismatch",
    ),
    (
        "band-top",
        CARD_HEAD + 'scores:\n  "1.1.2": {value: 100, points: 1, explanation: "x"}\n',
        "band-mismatch",
    ),
    ("na-forbidden", CARD_HEAD + 'scores:\n  "2.1": {not_applicable: true, reason: "x"}\n', "na-not-allowed"),
    ("na-no-reason", CARD_HEAD + 'scores:\n  "1.2": {not_applicable: true}\n', "na-no-reason"),
    (
        "na-points",
        CARD_HEAD + 'scores:\n  "1.2": {not_applicable: true, reason: "x", points: 1}\n',
        "na-with-points",
    ),
    (
        "bad-url",
        CARD_HEAD + 'scores:\n  "2.1":\n    points: 1\n    evidence: [{title: "a", '
        'number: "1", date: 2019-01-01, issuer: "b", url: "javascript:alert(1)"}]\n',
        "evidence-bad-url",
    ),
    (
        "no-link",
        CARD_HEAD + 'scores:\n  "2.1":\n    points: 1\n    evidence: [{title: "a", '
        'number: "1", date: 2019-01-01, issuer: "b"}]\n',
        "evidence-no-link",
    ),
    ("bare-evidence", CARD_HEAD + 'scores:\n  "2.1": {points: 1, evidence: ["Kế hoạch"]}\n', "wrong-type"),
    (
        "bad-date",
        CARD_HEAD
        + f'scores:\n  "2.1": {{points: 1, evidence: {EVIDENCE.replace("2019-01-02", "2019-1-2")}}}\n',
        "bad-date",
    ),
    ("comma", CARD_HEAD + 'scores:\n  "2.1": {points: "0,5", explanation: "x"}\n', "decimal-comma"),
    ("yes", CARD_HEAD + 'scores:\n  "2.1": {points: yes, explanation: "x"}\n', "yaml-boolean"),
    ("text-points", CARD_HEAD + 'scores:\n  "2.1": {points: một, explanation: "x"}\n', "not-a-number"),
    ("typo-key", CARD_HEAD + 'scores:\n  "2.1": {point: 1, explanation: "x"}\n', "unknown-key"),
    ("typo-top", CARD_HEAD + 'score:\n  "2.1": 1\n', "unknown-key"),
    ("no-status", 'unit: xa-an-binh\ncycle: "2019"\nscores:\n  "2.1": 0\n', "missing-key"),
    ("bad-status", CARD_HEAD.replace("draft", "done") + 'scores:\n  "2.1": 0\n', "bad-enum"),
    ("other-cycle", CARD_HEAD.replace('"2019"', '"2018"') + 'scores:\n  "2.1": 0\n', "cycle-mismatch"),
    ("unapproved", CARD_HEAD.replace("draft", "submitted") + 'scores:\n  "2.1": 0\n', "approval-missing"),
    (
        "half-approval",
        CARD_HEAD + 'approved_by: {name: "A", title: "Chủ tịch"}\nscores:\n  "2.1": 0\n',
        "missing-key",
    ),
    ("scores-list", CARD_HEAD + 'scores:\n  - "2.1"\n', "wrong-type"),
]


@pytest.mark.parametrize(("name", "text", "code"), OWN_INVALID, ids=[c[0] for c in OWN_INVALID])
def test_schema_rejects_what_validate_rejects(name: str, text: str, code: str, tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    card = root / "submissions/2019/xa-an-binh/scorecard.yaml"
    card.write_text(text, encoding="utf-8")
    data = loader.load_cycle(loader.FolderTree(root), "2019")
    codes = {
        p.code for p in validate(data, loader.FolderTree(root)) if p.path == card.relative_to(root).as_posix()
    }
    assert code in codes, f"the validator should report {code}, found {sorted(codes)}"
    schema = cycle_schemas(data)["schemas/2019/commune.schema.json"]
    assert schema_errors(root, "submissions/2019/xa-an-binh/scorecard.yaml", schema)
    assert agreement(root) == []


def test_schema_accepts_the_long_and_short_forms(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    card = root / "submissions/2019/xa-an-binh/scorecard.yaml"
    card.write_text(
        CARD_HEAD + "scores:\n"
        '  "1.1.1": 0.5\n'
        f'  "1.1.2": {{value: 79.9, points: 0, evidence: {EVIDENCE}}}\n'
        '  "1.2": {not_applicable: true, reason: "Không tổ chức"}\n'
        '  "1.3":\n'
        '  "1.4": {points: -0.5, note: "phê bình 1 lần"}\n'
        '  "2.1": {points: 2.75, evidence: [{title: "a", file: "evidence/bc-30.pdf"}], explanation: "x"}\n',
        encoding="utf-8",
    )
    schema = schemas_of(root, "2019")["schemas/2019/commune.schema.json"]
    assert schema_errors(root, "submissions/2019/xa-an-binh/scorecard.yaml", schema) == []


# --- the real editor: yaml-language-server over stdio --------------------------------------


def lsp_client() -> Path:
    """tests/lsp with yaml-language-server installed (npm install on first use)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        if os.environ.get("CI"):
            pytest.fail("node and npm are needed for the editor test (apt-get install nodejs npm)")
        pytest.skip("node is not installed")
    if not (LSP / "node_modules" / "yaml-language-server").is_dir():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=LSP,
            check=True,
            timeout=600,
        )
    return LSP / "client.js"


def run_editor(
    document: Path, completions: list[tuple[int, int]], hovers: list[tuple[int, int]]
) -> dict[str, Any]:
    client = lsp_client()
    request = document.parent / "lsp-request.json"
    request.write_text(json.dumps({"file": str(document), "completions": completions, "hovers": hovers}))
    done = subprocess.run(["node", str(client), str(request)], capture_output=True, text=True, timeout=120)
    request.unlink()
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def editor_document(tmp_path: Path, lines: list[str]) -> Path:
    """The sample with its schemas generated, and xa-an-binh's 2019 scorecard replaced by `lines`."""
    root = materialize(None, tmp_path / "repo")
    assert run_cli("schema", "--root", str(root)).code == 0
    document = root / "submissions/2019/xa-an-binh/scorecard.yaml"
    document.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return document


def test_editor_completes_ids_and_flags_points_above_max(tmp_path: Path) -> None:
    document = editor_document(
        tmp_path,
        [
            "# yaml-language-server: $schema=../../../schemas/2019/commune.schema.json",
            "unit: xa-an-binh",
            'cycle: "2019"',
            "status: draft",
            "scores:",
            '  "1.1.1": 1',
            '  "2.1":',
            "    points: 3.5",
            '    explanation: "Niêm yết tại trụ sở"',
            "  ",
        ],
    )
    result = run_editor(document, completions=[(9, 2)], hovers=[(5, 4)])
    # completion offers the leaves not scored yet: no parent, no survey leaf, no duplicate
    ids = [label for label in result["completions"][0] if label[0].isdigit()]
    assert ids == ["1.1.2", "1.2", "1.3", "1.4", "2.2"]
    # and the snippet of a scored criterion with evidence (the schema's defaultSnippets)
    assert "tiêu chí có điểm và tài liệu kiểm chứng" in result["completions"][0]
    # hover on a criterion id shows its name, max and rule
    assert "**1.1.1. Ban hành kế hoạch kịp thời**" in result["hovers"][0]
    assert "0,5 điểm: Muộn dưới 15 ngày" in result["hovers"][0]
    above = [d for d in result["diagnostics"] if d["range"]["start"]["line"] == 7]
    assert [d["message"] for d in above] == ["Value is above the maximum of 3."]
    assert above[0]["range"]["start"]["character"] == 12
    assert len(result["diagnostics"]) == 1, result["diagnostics"]


def test_editor_reports_unknown_ids_and_band_mismatch(tmp_path: Path) -> None:
    document = editor_document(
        tmp_path,
        [
            "# yaml-language-server: $schema=../../../schemas/2019/commune.schema.json",
            "unit: xa-an-binh",
            'cycle: "2019"',
            "status: submitted",
            "scores:",
            '  "1.1.2": {value: 85, points: 2, explanation: "Báo cáo năm"}',
            '  "3.1": 9',
        ],
    )
    result = run_editor(document, completions=[], hovers=[])
    messages = sorted((d["range"]["start"]["line"], d["message"]) for d in result["diagnostics"])
    assert messages == [
        (1, 'Missing property "approved_by".'),
        (5, "Value is not accepted. Valid values: 1, null."),
        (6, "Property 3.1 is not allowed."),
    ]


def test_editor_diagnostics_are_in_vietnamese(tmp_path: Path) -> None:
    """yaml-language-server shows the schema's errorMessage for type, enum and pattern errors."""
    document = editor_document(
        tmp_path,
        [
            "# yaml-language-server: $schema=../../../schemas/2019/commune.schema.json",
            "unit: xa-an-binh",
            'cycle: "2018"',
            "status: da-nop",
            "scores:",
            '  "1.1.1":',
            '    points: "một"',
            "    evidence:",
            '      - {title: "Kế hoạch", date: 15/01/2019, url: "ftp://example.org/kh.pdf"}',
        ],
    )
    result = run_editor(document, completions=[], hovers=[])
    messages = {(d["range"]["start"]["line"], d["message"]) for d in result["diagnostics"]}
    expected = {
        (2, 'Kỳ đánh giá phải là "2019", trùng tên thư mục của kỳ'),
        (3, "status chỉ nhận draft (đang soạn) hoặc submitted (đã nộp)"),
        (8, "Ngày phải viết dạng năm-tháng-ngày YYYY-MM-DD, ví dụ 2020-01-15 (không viết 15/01/2020)"),
        (8, "Đường dẫn phải bắt đầu bằng http:// hoặc https://; tài liệu trên máy thì dùng file"),
    }
    assert expected <= messages, messages
    points = [message for line, message in messages if line == 6]
    assert any(m.startswith("Điểm tiêu chí 1.1.1 ") for m in points), messages


def test_error_messages_are_vietnamese_and_snippets_fit_the_schema(tmp_path: Path) -> None:
    import re

    schemas = schemas_of(ROOT, "2019")
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("errorMessage"), str):
                found.append(node["errorMessage"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for schema in schemas.values():
        walk(schema)
    assert len(found) > 50
    vietnamese = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]", re.I)
    assert all(vietnamese.search(m) for m in found), [m for m in found if not vietnamese.search(m)]
    commune = schemas["schemas/2019/commune.schema.json"]
    (snippet,) = commune["properties"]["scores"]["defaultSnippets"]
    body = json.dumps(snippet["body"])
    # the inserted text with each placeholder's default: a valid scored criterion with evidence
    filled = json.loads(re.sub(r'"\^?\$\{\d+:([^}]*)\}"', lambda m: json.dumps(m.group(1)), body))
    filled = {"1.1.1": filled["1.1.1"]}
    filled["1.1.1"]["points"] = 1
    filled["1.1.1"]["evidence"][0]["url"] = "https://example.org/kh.pdf"
    card = {"unit": "xa-ban-bo", "cycle": "2019", "status": "draft", "scores": filled}
    validator = jsonschema.Draft7Validator(commune)
    assert [e.message for e in validator.iter_errors(card)] == []
