"""Problem codes: the catalogue of every code the loader and the rules can report.

Each code has a level, a Vietnamese message template (what the officer must change) and an
English explanation. `docs/problems.md` is generated from this table (`python -m builder docs`)
and a test keeps both in step; `tests/cases/invalid/` holds a failing example of each code.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.model import Level, Loc, Problem


class UsageError(Exception):
    """A problem with the command line or the environment (exit 2), not with the data."""


@dataclass(frozen=True)
class Code:
    code: str
    level: Level
    message: str  # str.format template, Vietnamese
    explanation: str  # English, for docs/problems.md
    family: str


_E: Level = "error"
_W: Level = "warning"

# One catalogue row per code reads better than one line per field: not formatted.
# fmt: off
_TABLE: list[tuple[str, str, Level, str, str]] = [
    # family, code, level, Vietnamese message, English explanation
    ("file", "file-unreadable", _E, "Không đọc được tệp: {reason}",
     "The file cannot be read: permissions, a broken symlink, a symlink out of the repository "
     "(to /dev/zero, /etc/…), a FIFO, a device or a folder. Only regular files inside the "
     "repository are ever opened, and never in a way that can block."),
    ("file", "file-too-large", _E,
     "Tệp quá lớn ({size} byte, tối đa {limit}); một phiếu chấm điểm chỉ vài KB",
     "Files above 2 MB are refused before reading (their size is asked of the file system or "
     "of Git) so one file cannot exhaust memory."),
    ("file", "yaml-too-many-nodes", _E,
     "Tệp có quá nhiều phần tử (hơn {limit}); hãy kiểm tra lại nội dung",
     "More than 200,000 YAML nodes: refused so one file cannot exhaust memory."),
    ("file", "not-utf8", _E,
     "Tệp không phải UTF-8; hãy lưu lại tệp với bảng mã UTF-8 (không dùng TCVN3/VNI)",
     "The bytes are not valid UTF-8 (often a file saved in a legacy Vietnamese encoding)."),
    ("file", "yaml-bom", _W, "Tệp bắt đầu bằng ký tự BOM; hãy lưu dạng 'UTF-8' không BOM",
     "A UTF-8 byte order mark was found and ignored; some tools mishandle it."),
    ("file", "yaml-tab", _E, "Dòng này thụt lề bằng phím Tab; YAML chỉ cho phép thụt lề bằng dấu cách",
     "YAML forbids tabs in indentation."),
    ("file", "yaml-syntax", _E, "Lỗi cú pháp YAML: {detail}",
     "The file is not valid YAML; the position is where the parser stopped."),
    ("file", "yaml-alias", _E,
     "Không dùng neo/bí danh YAML (&, *, <<); hãy viết đầy đủ giá trị",
     "Anchors, aliases and merge keys are refused: they hide data and can explode memory."),
    ("file", "yaml-tag", _E, "Không dùng thẻ YAML {tag}", "Explicit YAML tags are not needed."),
    ("file", "yaml-complex-key", _E, "Khóa phải là chuỗi đơn giản",
     "A mapping key is itself a list or mapping."),
    ("file", "duplicate-key", _E,
     "Khóa '{key}' bị lặp (đã có ở dòng {line}); YAML sẽ âm thầm bỏ giá trị trước",
     "A key appears twice in one mapping; PyYAML would silently keep only the last value."),
    ("file", "empty-file", _E, "Tệp rỗng", "The YAML file has no content."),
    ("shape", "unknown-key", _E, "Khóa '{key}' không hợp lệ ở đây{hint}",
     "A key that the format does not know, often a typo; the message suggests the closest."),
    ("shape", "missing-key", _E, "Thiếu khóa bắt buộc '{key}'", "A required key is absent."),
    ("shape", "wrong-type", _E, "'{what}' phải là {expected}",
     "A value has the wrong type (e.g. a list where a mapping belongs)."),
    ("shape", "not-a-number", _E, "'{what}' phải là một số (ví dụ 1 hoặc 0.5), không phải '{text}'",
     "A number was expected."),
    ("shape", "yaml-boolean", _E,
     "'{what}' là '{text}', YAML hiểu là giá trị đúng/sai; hãy viết số hoặc đặt trong ngoặc kép",
     "YAML 1.1 reads yes/no/on/off/true/false as booleans; where a number or text belongs "
     "this is almost always a mistake, never silently turned into 1 or 0."),
    ("shape", "decimal-comma", _E, "'{what}' dùng dấu phẩy thập phân '{text}'; hãy viết {fixed}",
     "Vietnamese writes 0,5 but YAML needs 0.5; a comma would make the value text."),
    ("shape", "number-not-finite", _E, "'{what}' không được là {text}",
     ".nan and .inf are not points."),
    ("shape", "yaml-comment-glued", _E,
     "'{what}' là '{text}': dấu '#' viết liền sau giá trị nên không phải ghi chú; hãy thêm một dấu "
     "cách trước '#': {fixed}",
     "YAML starts a comment only at a `#` after a space: `1#note` is the text \"1#note\", not the "
     "number 1 with a note."),
    ("shape", "number-not-ascii", _E,
     "'{what}' là '{text}', có chữ số không phải 0–9 (chữ số toàn khổ hoặc chữ số Ả Rập, thường do "
     "sao chép từ tệp khác); hãy gõ lại: {fixed}",
     "Full-width (`\uff11.\uff15`) or Arabic-Indic (`\u0663`) digits look like numbers but YAML "
     "reads them as text: an error, never read as the number, so no value depends on the script."),
    ("shape", "number-too-long", _E,
     "'{what}' có quá nhiều chữ số '{text}'; tối đa {whole} chữ số phần nguyên và {fraction} "
     "chữ số sau dấu chấm",
     "Points and other numbers have at most 6 digits before and 6 after the decimal point, "
     "so a slip of the keyboard cannot overflow a sum or make it inexact."),
    ("shape", "bad-number", _E,
     "'{what}' có dạng số không hợp lệ '{text}'; chỉ viết chữ số và dấu chấm thập phân",
     "Octal, hexadecimal, exponent, sexagesimal or underscored numbers are refused."),
    ("shape", "quoted-number", _W, "'{what}' là số đặt trong ngoặc kép '{text}'; hãy bỏ ngoặc",
     "A number written as a quoted string; it is read as the number."),
    ("shape", "bad-date", _E, "'{what}' phải là ngày dạng YYYY-MM-DD (ví dụ 2020-01-15), không phải '{text}'",
     "Dates are ISO dates."),
    ("shape", "bad-enum", _E, "'{what}' phải là một trong: {allowed} (không phải '{text}')",
     "A value outside a fixed list (status, kind, source…)."),
    ("shape", "id-control-char", _E,
     "'{what}' có ký tự điều khiển hoặc xuống dòng ({char}) trong '{text}'; hãy xóa ký tự đó",
     "Ids, unit and reviewer keys, groups and criterion keys are one line of visible text: "
     "a newline, a control character or a bidi override would make two things look the same."),
    ("shape", "bad-id", _E, "Mã '{text}' không hợp lệ: {rule}",
     "Unit and reviewer ids are lower-case ASCII kebab-case; criterion ids are dotted numbers."),
    ("assessment", "assessment-missing", _E,
     "Không có tệp criteria/{cycle}/assessment.yaml cho kỳ đánh giá {cycle}",
     "Every cycle folder needs its configuration."),
    ("assessment", "cycle-mismatch", _E, "cycle là '{found}' nhưng thư mục là kỳ '{expected}'",
     "The `cycle` key must equal the folder's cycle."),
    ("assessment", "tier-unknown", _E, "Cấp '{tier}' chưa khai báo trong tiers{hint}",
     "A unit refers to a tier that `tiers` does not declare."),
    ("assessment", "criteria-file-missing", _E, "Không có tệp bộ tiêu chí {file}",
     "A tier's criteria file does not exist."),
    ("assessment", "trusted-committer-bad", _E,
     "Người commit tin cậy '{text}' không đúng dạng 'Tên <email>', ví dụ "
     "'GitHub <noreply@github.com>'",
     "Each `trusted_committers` entry is a committer identity as Git prints it: a name, a "
     "space and an e-mail address in angle brackets."),
    ("assessment", "closed-bad", _E,
     "Mục '{what}' cần số quyết định (number) và ngày (date) dạng YYYY-MM-DD",
     "`closed` and each entry of `corrections` name the decision (number, date) that "
     "published or corrected the cycle's results."),
    ("assessment", "lineage-unknown", _E,
     "'{key}' nêu đơn vị '{id}' nhưng không kỳ nào trước kỳ {cycle} có đơn vị này{hint}",
     "`merged_from` and `renamed_from` name units of an earlier cycle (the 2025 mergers, a "
     "commune that changed its name), so year-over-year views can follow them."),
    ("assessment", "duplicate-id", _E, "Mã '{id}' bị trùng (đã dùng ở dòng {line})",
     "Two units, reviewers or criteria share an id."),
    ("assessment", "classification-order", _E,
     "Các mức xếp loại phải sắp từ cao xuống thấp: '{label}' ({min}) không nhỏ hơn mức trước",
     "Classification entries are listed highest first with strictly decreasing `min`."),
    ("assessment", "classification-floor", _W,
     "Mức xếp loại thấp nhất có min {min} > 0: đơn vị dưới mức này sẽ không được xếp loại",
     "Without a class at min 0 some indices get no class."),
    ("assessment", "timezone-unknown", _E, "Múi giờ '{tz}' không tồn tại (ví dụ Asia/Ho_Chi_Minh)",
     "`timezone` must be an IANA time zone name."),
    ("assessment", "reviewer-criterion-unknown", _E,
     "Tiêu chí '{id}' giao cho thành viên Hội đồng không có trong bộ tiêu chí nào{hint}",
     "A reviewer is assigned a criterion that no criteria set of the cycle has."),
    ("criteria", "max-total-mismatch", _E,
     "Tổng điểm tối đa các tiêu chí là {sum}, khác max_total {max_total}",
     "`max_total` must equal the sum of the leaves' maxima (bonus and deduction excluded)."),
    ("criteria", "criterion-id-nesting", _E,
     "Mã tiêu chí '{id}' phải bắt đầu bằng mã cha '{parent}.'",
     "A child's id extends its parent's id by one dotted part."),
    ("criteria", "criterion-shape", _E, "Tiêu chí '{id}': {detail}",
     "A node needs either `criteria` (children) or `max` (a leaf), and leaf options must agree."),
    ("criteria", "level-out-of-range", _E,
     "Tiêu chí '{id}': mức điểm {points} nằm ngoài khoảng [{low}, {high}]",
     "Every `levels` or `bands` entry must give points within the leaf's range."),
    ("criteria", "band-order", _E,
     "Tiêu chí '{id}': các khoảng (bands) phải sắp theo min giảm dần và khoảng cuối có min thấp nhất",
     "Bands are checked top-down; they must be listed with decreasing `min`."),
    ("criteria", "sheet-unreadable", _E, "Không đọc được bảng tính: {reason}",
     "`criteria import` could not open the file as a workbook (.xlsx, .xls, .ods) or a Word "
     "document (.docx), or it has no table."),
    ("criteria", "sheet-not-found", _E, "Không có trang tính '{sheet}' (có: {sheets})",
     "`--sheet` names a worksheet the workbook does not have."),
    ("criteria", "sheet-no-header", _E,
     "Không tìm thấy dòng tiêu đề có các cột id, name, max trong {rows} dòng đầu",
     "The criteria sheet needs a header row naming at least the id, name and max columns."),
    ("criteria", "sheet-unknown-column", _W, "Cột '{column}' không được dùng{hint}",
     "A header the importer does not know (often a typo); its column is ignored."),
    ("criteria", "sheet-empty", _E, "Bảng không có dòng tiêu chí nào dưới dòng tiêu đề",
     "The sheet has a header but no criteria rows."),
    ("criteria", "sheet-bad-id", _E, "Mã tiêu chí '{text}' không hợp lệ: {rule}",
     "Ids are dotted numbers written as text; a number cell would turn 1.10 into 1.1."),
    ("criteria", "sheet-duplicate-id", _E, "Mã '{id}' bị trùng (đã có ở dòng {row})",
     "Two rows of the sheet have the same id."),
    ("criteria", "sheet-no-parent", _E,
     "Tiêu chí '{id}' cần dòng của tiêu chí cha '{parent}' ở phía trên",
     "A criterion's parent row must come before it; rows are read top-down as a tree."),
    ("criteria", "sheet-bad-cell", _E, "Cột {column}: {detail}",
     "A cell's value cannot be read (a number, a yes/no, a kind or a source was expected), "
     "or it does not belong on this row."),
    ("criteria", "sheet-bad-rule", _E, "Cách chấm '{text}' không đọc được: {detail}",
     "The rule column holds levels ('1: Đúng hạn; 0: Muộn') or bands ('>=100: 2; >=80: 1')."),
    ("criteria", "sheet-max-sum", _E,
     "Tiêu chí '{id}': điểm tối đa {max} khác tổng điểm tối đa các tiêu chí con ({sum})",
     "A parent row's max, when given, must equal the sum of its children (bonus and "
     "deduction excluded), as published tables sometimes get wrong."),
    ("criteria", "sheet-header-incomplete", _E,
     "Không tìm thấy đủ các cột của phụ lục trong {rows} dòng đầu: thiếu cột {missing} "
     "(cần các cột {wanted})",
     "An annex (a table laid out as offices lay it out, with no plain id/name/max header) needs "
     "the columns STT, Lĩnh vực/Tiêu chí/Tiêu chí thành phần (or Nội dung) and Điểm tối đa."),
    ("criteria", "sheet-float-id", _W,
     "Ô STT là số {number} (Excel đã bỏ số 0 ở cuối); theo thứ tự các dòng đã đọc là '{id}'. "
     "Hãy kiểm tra, và định dạng cột STT là Văn bản (Text)",
     "A dotted id typed as a number loses its trailing zero (1.10 becomes 1.1); the importer "
     "recovers it from the row order and says so, since it cannot be sure."),
    ("criteria", "sheet-total-mismatch", _W,
     "Dòng tổng ghi {given} điểm nhưng tổng điểm tối đa các lĩnh vực là {sum}; hãy đối chiếu "
     "với bản giấy (bộ tiêu chí được nhập với tổng {sum})",
     "The annex's 'Tổng cộng' row differs from the sum of the fields (bonus and deduction "
     "excluded): a misprinted total or a misread row. The total row is never imported."),
    ("scorecard", "unit-folder-unknown", _E,
     "Thư mục '{folder}' không phải đơn vị đã đăng ký trong assessment.yaml{hint}",
     "Every folder under submissions/<cycle>/ must be a registered unit id."),
    ("scorecard", "unit-mismatch", _E, "unit là '{found}' nhưng tệp nằm trong thư mục '{expected}'",
     "A scorecard's `unit` must equal its folder."),
    ("scorecard", "status-mixed", _W,
     "Các tệp của phiếu có trạng thái khác nhau; phiếu được coi là 'draft' đến khi mọi tệp là 'submitted'",
     "A scorecard split over several files is submitted only when every part is."),
    ("scorecard", "criterion-unknown", _E, "Không có tiêu chí '{id}' trong {tier}{hint}",
     "The id is not in the tier's criteria set; keys are read as written (1.10 ≠ 1.1)."),
    ("scorecard", "criterion-not-leaf", _E,
     "Tiêu chí '{id}' có tiêu chí thành phần; hãy chấm điểm từng tiêu chí thành phần: {children}",
     "Only leaves are scored; a parent's points are the sum of its children."),
    ("scorecard", "criterion-not-for-unit", _E,
     "Tiêu chí '{id}' chỉ áp dụng cho {kinds}, không áp dụng cho đơn vị này",
     "The leaf's `applies_to` excludes the unit's kind."),
    ("scorecard", "criterion-scored-twice", _E, "Tiêu chí '{id}' đã được chấm ở {other}",
     "A criterion is scored in two files of one scorecard."),
    ("scorecard", "part-outside-department", _E,
     "Tiêu chí '{id}' không thuộc phần giao cho {reviewer} ({assigned}); tệp {part} chỉ được "
     "chấm các tiêu chí của phòng này",
     "In the district's own scorecard each part file `<reviewer>.yaml` is written by that "
     "department and may score only the criteria in the reviewer's `criteria`."),
    ("scorecard", "leaf-missing", _E, "Chưa chấm tiêu chí '{id}' ({name})",
     "A submitted scorecard must score every applicable leaf (a draft gets a warning)."),
    ("scorecard", "survey-self-scored", _E,
     "Tiêu chí '{id}' là điểm điều tra xã hội học; đơn vị không tự chấm, hãy xóa mục này",
     "`source: survey` leaves are scored only in an appraisal."),
    ("scorecard", "points-missing", _E, "Tiêu chí '{id}' chưa có điểm (points)",
     "A scored entry needs `points` unless it is marked not applicable."),
    ("scorecard", "score-above-max", _E, "Điểm {points} vượt điểm tối đa {max} của tiêu chí '{id}'",
     "Points above the leaf's max."),
    ("scorecard", "score-below-min", _E, "Điểm {points} nhỏ hơn mức thấp nhất {min} của tiêu chí '{id}'",
     "Points below 0 (below -max for a deduction)."),
    ("scorecard", "score-not-in-levels", _E,
     "Điểm {points} không thuộc các mức của tiêu chí '{id}': {levels}",
     "A leaf with `levels` accepts only the listed points."),
    ("scorecard", "score-precision", _E,
     "Điểm {points} có quá {precision} chữ số thập phân", "More decimals than `precision`."),
    ("scorecard", "value-missing", _E,
     "Tiêu chí '{id}' tính điểm theo {measure}: hãy ghi giá trị đo được (value)",
     "A leaf with `bands` needs the measured `value`."),
    ("scorecard", "band-mismatch", _E,
     "Với giá trị {value}, tiêu chí '{id}' được {expected} điểm, không phải {points}",
     "The points disagree with the band the value falls in."),
    ("scorecard", "value-not-expected", _W, "Tiêu chí '{id}' không tính theo giá trị đo; value bị bỏ qua",
     "`value` on a leaf without bands is ignored."),
    ("scorecard", "na-not-allowed", _E,
     "Tiêu chí '{id}' không được đánh dấu 'không áp dụng' (not_applicable)",
     "Only leaves with `na_allowed` may be marked not applicable."),
    ("scorecard", "na-no-reason", _E, "Tiêu chí '{id}' đánh dấu 'không áp dụng' nhưng thiếu lý do (reason)",
     "Not applicable needs a reason."),
    ("scorecard", "na-with-points", _E,
     "Tiêu chí '{id}' đã đánh dấu 'không áp dụng' thì không ghi điểm",
     "A not-applicable leaf carries no points."),
    ("scorecard", "evidence-missing", _E,
     "Tiêu chí '{id}' có điểm nhưng không có tài liệu kiểm chứng (evidence) và không có giải trình (explanation)",
     "The letter requires an explanation where evidence is missing."),
    ("scorecard", "evidence-no-link", _E,
     "Tài liệu kiểm chứng cần đường dẫn (url) hoặc tệp (file) trong thư mục của đơn vị",
     "Every evidence item points at a document."),
    ("scorecard", "evidence-incomplete", _W,
     "Tài liệu kiểm chứng thiếu {missing}; hãy bổ sung hoặc giải trình (explanation)",
     "The letter asks for complete document details (number, date, issuer) or an explanation."),
    ("scorecard", "evidence-bad-url", _E, "Đường dẫn '{url}' phải bắt đầu bằng http:// hoặc https://",
     "Only web links are accepted (no javascript:, file:, mailto:)."),
    ("scorecard", "evidence-file-outside", _E,
     "Tệp '{file}' nằm ngoài thư mục của đơn vị; chỉ dùng đường dẫn tương đối như evidence/ten-tep.pdf",
     "Evidence files are relative paths inside the unit's folder: no `..`, absolute paths or "
     "symlinks leaving it."),
    ("scorecard", "evidence-file-missing", _E, "Không tìm thấy tệp '{file}' trong thư mục của đơn vị",
     "The evidence file does not exist."),
    ("scorecard", "evidence-file-too-large", _E,
     "Tệp '{file}' quá lớn ({size}, tối đa {limit}); hãy nén hoặc chia nhỏ tệp, hoặc đăng ở nơi khác và ghi đường dẫn (url)",
     "Evidence files above the cycle's `evidence_max_mb` (default 50 MB) are refused and not "
     "published: one file must not make the repository and the site unusable."),
    ("scorecard", "evidence-file-type", _W,
     "Nội dung tệp '{file}' không phải tệp {kind} như đuôi tệp '.{suffix}' cho biết; hãy lưu lại đúng định dạng",
     "The first bytes do not match the extension (a `.pdf` that is not `%PDF-`, a `.docx`/"
     "`.xlsx` that is not a ZIP, an image whose signature differs…): often an error page saved "
     "instead of the document. The file is not published."),
    ("scorecard", "evidence-placeholder", _E,
     "Còn để chữ mẫu ({text}) ở {field}; hãy thay bằng thông tin thật",
     "A placeholder of the `new` scaffold (`\u2026`, `https://\u2026`, a bare `https://`) was left in an "
     "evidence item, an explanation, a reason or the approver's name: it would pass as real."),
    ("scorecard", "evidence-after-deadline", _W,
     "Văn bản kiểm chứng đề ngày {date}, sau hạn nộp phiếu {deadline}; hãy kiểm tra lại ngày "
     "hoặc văn bản",
     "A document dated after the cycle's deadline cannot have been evidence at the time of the "
     "self-assessment (often a typo in the year)."),
    ("scorecard", "evidence-not-https", _W,
     "Đường dẫn '{url}' dùng http://; hãy dùng đường dẫn https:// như hướng dẫn yêu cầu",
     "The README asks for `https://` links: `http://` can be altered on the way and browsers "
     "warn about it."),
    ("scorecard", "path-not-portable", _E,
     "Tên '{name}' không dùng được trên Windows ({why}); hãy đổi tên để cán bộ dùng Windows tải "
     "được kho dữ liệu",
     "A file or folder under `submissions/` whose name Windows cannot hold (`<`, `>`, `:`, `\"`, "
     "`\\`, `?`, `*`, the vertical bar, a control character, a trailing dot or space, CON, PRN, "
     "AUX, NUL, COM1\u20139, LPT1\u20139): a clone of the repository fails on Windows."),
    ("scorecard", "approval-missing", _E,
     "Phiếu đã nộp (submitted) phải có người phê duyệt (approved_by: name, title, date)",
     "The letter requires the unit's leader to approve the report."),
    ("appraisal", "reviewer-unknown", _E,
     "'{reviewer}' không phải thành viên Hội đồng trong assessment.yaml{hint}",
     "Appraisal files are named after a registered reviewer."),
    ("appraisal", "reviewer-mismatch", _E, "reviewer là '{found}' nhưng tệp tên là '{expected}'",
     "`reviewer` must equal the file name."),
    ("appraisal", "appraisal-unit-unknown", _E, "Không có đơn vị '{unit}' trong kỳ đánh giá{hint}",
     "An appraisal names a unit that is not registered."),
    ("appraisal", "appraisal-outside-assignment", _E,
     "Tiêu chí '{id}' không thuộc phần được giao cho {reviewer} ({assigned})",
     "A reviewer appraises only the criteria assigned to it."),
    ("appraisal", "appraisal-conflict", _E,
     "Tiêu chí '{id}' của đơn vị '{unit}' đã được {other} thẩm định {other_points} điểm",
     "Two reviewers gave different points for the same leaf of the same unit."),
    ("appraisal", "appraisal-unit-missing", _W, "Đơn vị '{unit}' chưa nộp phiếu tự đánh giá",
     "Appraised points for a unit that has no scorecard."),
    ("appraisal", "appraisal-no-comment", _W,
     "Điểm thẩm định {points} khác điểm tự chấm {self}: hãy ghi nhận xét (comment)",
     "A changed score should say why, so the unit can answer."),
    ("appraisal", "request-dates", _E, "Hạn bổ sung ({due}) phải sau ngày yêu cầu ({date})",
     "A supplement request's due date precedes its date."),
    ("history", "submitted-late", _W,
     "Phiếu chuyển sang 'submitted' ngày {date} (commit {commit}), sau hạn nộp {deadline}; "
     "Thủ trưởng đơn vị cần giải trình lý do nộp muộn",
     "Git history shows the scorecard first became submitted after the cycle's deadline "
     "(inclusive, in its timezone). Needs a repository; tested in tests/test_history.py."),
    ("history", "late-change", _W,
     "Tiêu chí '{id}' được sửa sau hạn nộp {deadline} (commit {commit}, ngày {date}) "
     "mà không có yêu cầu bổ sung của Hội đồng{hint}",
     "After the deadline only criteria under a supplement request (`requests`, until `due`) "
     "may change; `late_changes: freeze` scores the state at the deadline instead."),
    ("history", "not-owner", _E,
     "Tài khoản {actor} không phụ trách tệp này (người phụ trách: {owners})",
     "`check --actor` found a change to a file that the login does not own (units own their "
     "folder, reviewers their appraisal file, `admins` everything)."),
    ("history", "correction-missing", _E,
     "Điểm tiêu chí '{id}' của đơn vị '{unit}' ở kỳ đã đóng đổi từ {old} thành {new}: cần một "
     "mục 'corrections' (số, ngày quyết định đính chính, unit, criterion, old, new) khớp thay đổi này",
     "An administrator's change to a closed cycle must record each changed final score in "
     "`corrections` of assessment.yaml, with the old and new points, so that the site shows "
     "it as a correction."),
    ("history", "landing-time-unverifiable", _W,
     "Thời điểm nộp không kiểm chứng được: commit {commit} (ghi ngày {date}) {reason}, nên "
     "không được coi là nộp đúng hạn{hint}",
     "A first-parent commit on the main line that touched the unit was not made by one of "
     "`trusted_committers` (the platform merging a pull request), or is dated before its "
     "parent: its date may have been set by hand (GIT_COMMITTER_DATE, fast-forward), so it "
     "never counts as on time; `late` stays unknown and under `late_changes: freeze` its "
     "changes are not scored."),
    ("history", "evidence-link-broken", _W,
     "Đường dẫn '{url}' được thêm vào nhưng không mở được ({reason}, kiểm tra ngày {date}); hãy sửa "
     "đường dẫn hoặc nộp tệp trong thư mục evidence/",
     "Reported by `check` for a URL a pull request adds that the base branch's results file "
     "(`links/<cycle>.yaml`, written by `links`) records as broken. Needs a repository; tested "
     "in tests/test_links.py."),
    ("history", "cycle-closed", _E,
     "Kỳ {cycle} đã đóng theo Quyết định {number} ngày {date}: chỉ quản trị viên của huyện "
     "được sửa tệp này, kèm một mục 'corrections' ghi quyết định đính chính",
     "After `closed` in assessment.yaml, a change under the cycle's submissions/ or "
     "appraisals/ is allowed only to `admins` (`check --actor`) and, for a scorecard, only "
     "with a matching entry in `corrections`."),
]
# fmt: on

CODES: dict[str, Code] = {
    code: Code(code, level, message, explanation, family)
    for family, code, level, message, explanation in _TABLE
}


def problem(code: str, loc: Loc, level: Level | None = None, **fields: object) -> Problem:
    """Build a Problem from a registered code; an unknown code is a bug."""
    entry = CODES[code]
    fields.setdefault("hint", "")
    message = entry.message.format(**fields)
    return Problem(loc.path, loc.line, loc.col, level or entry.level, code, message)


def did_you_mean(word: str, candidates: object) -> str:
    """A ' (có lẽ bạn định viết X)' suffix for the closest candidate, or ''."""
    import difflib

    names = [str(c) for c in candidates]  # type: ignore[attr-defined]
    canonical = ".".join(p.lstrip("0") or "0" for p in word.split("."))
    if canonical != word and canonical in names:  # "01" → "1", "1.01" → "1.1"
        return f" (có lẽ bạn định viết '{canonical}')"
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if not close and "." in word:  # "3.2.10" → "3.2.1": compare the dotted parts
        close = [n for n in names if n.rsplit(".", 1)[0] == word.rsplit(".", 1)[0]][:1]
    return f" (có lẽ bạn định viết '{close[0]}')" if close else ""
