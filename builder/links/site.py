"""Links stage, words for readers: a link's state and reason in Vietnamese, counts per unit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone

from builder.links.store import LinkRecord

VN = timezone(timedelta(hours=7))  # dates shown as the district reads them
STATE_VI = {"ok": "mở được", "broken": "hỏng", "unverifiable": "chưa kiểm chứng được"}
WATCHING_VI = "đang theo dõi"
UNCHECKED_VI = "chưa kiểm tra"
REASON_VI = {
    "ok": "",
    "no-such-host": "tên miền không tồn tại",
    "redirect-loop": "chuyển hướng vòng lặp",
    "too-many-redirects": "chuyển hướng quá nhiều lần",
    "timeout": "máy chủ không trả lời kịp",
    "tls-error": "lỗi chứng chỉ bảo mật (TLS)",
    "connect-error": "không kết nối được máy chủ",
    "dns-error": "không tra được tên miền lúc kiểm tra",
    "network-error": "lỗi mạng khi đọc trang",
    "blocked-address": "địa chỉ nội bộ, không được kiểm tra",
    "blocked-scheme": "không phải đường dẫn http/https",
    "bad-url": "đường dẫn không hợp lệ",
    "http-401": "cần đăng nhập (401)",
    "http-403": "máy chủ từ chối máy kiểm tra (403)",
    "http-404": "không tìm thấy trang (404)",
    "http-410": "trang đã bị gỡ (410)",
    "http-429": "máy chủ yêu cầu chờ (429)",
}


def vdate(value: datetime) -> str:
    return value.astimezone(VN).strftime("%d/%m/%Y")


def reason_text(reason: str) -> str:
    if reason in REASON_VI:
        return REASON_VI[reason]
    if reason.startswith("http-") and reason[5:].isdigit():
        code = int(reason[5:])
        return f"lỗi máy chủ ({code})" if code >= 500 else f"máy chủ trả mã {code}"
    return reason


def label(rec: LinkRecord | None) -> str:
    """The short state a reader sees: mở được, hỏng, đang theo dõi, chưa kiểm chứng được."""
    if rec is None:
        return UNCHECKED_VI
    return WATCHING_VI if rec.watching else STATE_VI[rec.state]


def state_text(rec: LinkRecord | None) -> str:
    """The state beside a link on the unit page, with why and since when (plain text, no
    markup: every part is ours, never the unit's)."""
    if rec is None:
        return "chưa kiểm tra"
    why = reason_text(rec.reason)
    checked = f"kiểm tra ngày {vdate(rec.checked_at)}"
    if rec.state == "ok":
        return f"✅ mở được, {checked}"
    since = f"lỗi từ ngày {vdate(rec.first_failure)}" if rec.first_failure else checked
    if rec.state == "broken":
        return f"❌ hỏng: {why}, {since}, {checked}"
    if rec.watching:
        return f"⏳ đang theo dõi: {why}, {since}; báo hỏng nếu lần kiểm tra sau vẫn lỗi"
    return f"⚠️ chưa kiểm chứng được: {why}, {checked}; có thể vẫn mở được bằng trình duyệt"


def counts(records: Mapping[str, LinkRecord], urls: Iterable[str]) -> dict[str, int]:
    """How many of a unit's links are in each reader's state (each URL once)."""
    found = {STATE_VI["ok"]: 0, STATE_VI["broken"]: 0, WATCHING_VI: 0, STATE_VI["unverifiable"]: 0}
    found[UNCHECKED_VI] = 0
    for url in set(urls):
        found[label(records.get(url))] += 1
    return found


def counts_text(found: Mapping[str, int]) -> str:
    """'3 đường dẫn: 2 mở được, 1 hỏng' (states with no link left out)."""
    total = sum(found.values())
    parts = [f"{n} {name}" for name, n in found.items() if n]
    return f"{total} đường dẫn: " + ", ".join(parts) if total else "không có đường dẫn"


def badge(records: Mapping[str, LinkRecord], url: str) -> str:
    """The state to show beside a link; '' while no run of `links` has written results."""
    if not records:
        return ""
    return state_text(records.get(url.strip()))


def unit_links_text(records: Mapping[str, LinkRecord], urls: Iterable[str]) -> str:
    """The count line of a unit page ('' while there are no results or no links)."""
    wanted = [u.strip() for u in urls if u.strip().lower().startswith(("http://", "https://"))]
    if not records or not wanted:
        return ""
    return counts_text(counts(records, wanted))
