"""`links`: check every evidence URL of a cycle over the network and write links/<cycle>.yaml."""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import UTC, datetime

from builder.cli.safe_text import safe
from builder.cli.session import EXIT_OK, Session
from builder.links import store
from builder.links.guard import Guard
from builder.links.probe import PROJECT_URL, Prober, Settings, user_agent
from builder.links.site import label, reason_text
from builder.problems import UsageError

HELP = "kiểm tra các đường dẫn tài liệu kiểm chứng (cần mạng) và ghi kết quả vào links/<kỳ>.yaml"


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help="cho phép kiểm tra máy chủ này dù là địa chỉ nội bộ (lặp lại được; ví dụ 127.0.0.1 khi thử)",
    )
    p.add_argument(
        "--timeout", type=float, default=15.0, help="số giây chờ mỗi lần kết nối/đọc (mặc định 15)"
    )
    p.add_argument(
        "--retries", type=int, default=2, help="số lần thử lại khi quá giờ, lỗi 5xx, 429 (mặc định 2)"
    )
    p.add_argument(
        "--workers", type=int, default=8, help="số yêu cầu cùng lúc (mặc định 8; 2 cho mỗi máy chủ)"
    )
    p.add_argument(
        "--contact", default=PROJECT_URL, help="địa chỉ ghi trong User-Agent để chủ trang web liên hệ"
    )


def run(s: Session, now: datetime | None = None, prober: Prober | None = None) -> int:
    if s.args.timeout <= 0 or s.args.retries < 0 or s.args.workers < 1:
        raise UsageError("--timeout phải lớn hơn 0, --retries không âm và --workers ít nhất 1")
    cycle = s.cycle()
    data, _ = s.load(cycle)
    urls = store.cycle_urls(data)
    previous = store.parse(s.tree.read_bytes(store.path_of(cycle)))
    if previous is None:
        s.err.write(f"Ghi chú: không đọc được {store.path_of(cycle)}; tệp sẽ được ghi lại từ đầu.\n")
        previous = {}
    settings = Settings(
        timeout=s.args.timeout,
        retries=s.args.retries,
        workers=s.args.workers,
        user_agent=user_agent(s.args.contact),
    )
    own = prober is None
    prober = prober or Prober(Guard(s.args.allow_host), settings)
    try:
        outcomes = prober.check_all(urls)
    finally:
        if own:
            prober.close()
    when = now or datetime.now(UTC)
    units = {url: [uid for uid, _ in where] for url, where in urls.items()}
    records = store.merge(previous, outcomes, when, units)
    store.write(s.root, cycle, records)
    for url, rec in records.items():
        if rec.state != "ok":
            why = reason_text(rec.reason)
            s.out.write(safe(f"{label(rec)}: {url} ({why}; {', '.join(rec.units)})") + "\n")
    tally = Counter(label(r) for r in records.values())
    parts = ", ".join(f"{n} {name}" for name, n in sorted(tally.items(), key=lambda x: -x[1]))
    s.err.write(
        f"Kỳ {cycle}: đã kiểm tra {len(records)} đường dẫn ({parts or 'không có'}); "
        f"đã ghi {store.path_of(cycle)}.\n"
    )
    return EXIT_OK
