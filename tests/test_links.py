"""`links`: a local HTTP server on 127.0.0.1 serves every kind of answer; the SSRF guard, the
grace rule with fixed clocks, the results file, and its offline readers (`check`, the site)."""

from __future__ import annotations

import html
import io
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from gitkit import FULL, base_repo, isolate_git  # noqa: F401

from builder.cli.commands import links as links_command
from builder.cli.session import Session
from builder.links import store
from builder.links.guard import Guard, NoSuchHost, Refused
from builder.links.probe import Outcome, Prober, Settings
from builder.links.site import state_text
from builder.load.cycle import FolderTree
from conftest import run_cli, spy_reads

HUGE = 50 * 1024 * 1024
LOCAL = "127.0.0.1"
T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


class Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str]] = []  # (method, path, user agent)
    inflight, most = 0, 0  # requests to /hold being answered now, and the most at once
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def answer(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.route()

    def do_GET(self) -> None:
        self.route()

    def route(self) -> None:
        Handler.seen.append((self.command, self.path, self.headers.get("User-Agent", "")))
        p = self.path
        if p == "/ok":
            self.answer(200, body=b"%PDF-1.4 ok")
        elif p == "/moved":
            self.answer(301, {"Location": "/ok"})
        elif p == "/loop-a":
            self.answer(302, {"Location": "/loop-b"})
        elif p == "/loop-b":
            self.answer(302, {"Location": "/loop-a"})
        elif p == "/forbidden":
            self.answer(403)
        elif p == "/missing":
            self.answer(404)
        elif p == "/gone":
            self.answer(410)
        elif p == "/busy":
            self.answer(429, {"Retry-After": "1"})
        elif p == "/error":
            self.answer(503)
        elif p == "/no-head":
            self.answer(405 if self.command == "HEAD" else 200, body=b"ok")
        elif p == "/to-intranet":
            self.answer(301, {"Location": "http://intranet.example/secret"})
        elif p == "/to-file":
            self.answer(302, {"Location": "file:///etc/passwd"})
        elif p.startswith("/hold"):
            with Handler.lock:
                Handler.inflight += 1
                Handler.most = max(Handler.most, Handler.inflight)
            time.sleep(0.05)
            with Handler.lock:
                Handler.inflight -= 1
            self.answer(200)
        elif p == "/slow":
            time.sleep(2)
            self.answer(200)
        elif p == "/huge":
            if self.command == "HEAD":
                self.answer(405)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(HUGE // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:  # the client stopped reading: what we want
                pass
        else:
            self.answer(500)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer((LOCAL, 0), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://{LOCAL}:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


NAMES = {
    "intranet.example": ["10.1.2.3"],
    "mixed.example": ["93.184.215.14", "192.168.1.20"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "metadata.example": ["169.254.169.254"],
    "public.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
}


def fake_resolve(host: str, port: int) -> list[str]:
    if host not in NAMES:
        raise NoSuchHost(host)
    return NAMES[host]


def prober(allow: tuple[str, ...] = (LOCAL,), **kw: object) -> tuple[Prober, list[float]]:
    waits: list[float] = []
    settings = Settings(**{"timeout": 0.5, "retries": 1, "backoff": 0.01, "max_bytes": 32 * 1024, **kw})
    return Prober(Guard(allow, resolve=fake_resolve), settings, sleep=waits.append), waits


def test_each_answer_gets_its_state(server: str) -> None:
    p, waits = prober()
    paths = ["ok", "moved", "loop-a", "forbidden", "missing", "gone", "busy", "error", "no-head", "huge"]
    found = p.check_all(f"{server}/{x}" for x in paths)
    got = {url.rsplit("/", 1)[1]: (o.state, o.status, o.reason) for url, o in found.items()}
    assert got == {
        "ok": ("ok", 200, "ok"),
        "moved": ("ok", 200, "ok"),
        "loop-a": ("broken", None, "redirect-loop"),
        "forbidden": ("unverifiable", 403, "http-403"),
        "missing": ("broken", 404, "http-404"),
        "gone": ("broken", 410, "http-410"),
        "busy": ("unverifiable", 429, "http-429"),
        "error": ("unverifiable", 503, "http-503"),
        "no-head": ("ok", 200, "ok"),
        "huge": ("ok", 200, "ok"),
    }
    assert found[f"{server}/moved"].final_url == f"{server}/ok"
    # the huge body: a GET (HEAD was refused) that stopped at the cap
    assert 0 < found[f"{server}/huge"].bytes_read <= 32 * 1024
    # 429 and 503 were tried again once (with backoff), nothing else was
    assert len(waits) == 2
    retried = [path for method, path, _ in Handler.seen if path in ("/busy", "/error")]
    assert sorted(retried) == ["/busy", "/busy", "/error", "/error"]
    # HEAD first, GET only where HEAD was refused (403 on HEAD is retried as GET too)
    methods = [m for m, path, _ in Handler.seen if path == "/ok"]
    assert set(methods) == {"HEAD"}
    assert [m for m, path, _ in Handler.seen if path == "/forbidden"][:2] == ["HEAD", "GET"]
    assert all(ua.startswith("par-index-builder/") and "(+http" in ua for _, _, ua in Handler.seen)
    p.close()


def test_at_most_two_requests_at_once_to_one_host(server: str) -> None:
    p, _ = prober(workers=8, per_host=2)
    found = p.check_all(f"{server}/hold-{i}" for i in range(8))
    assert {o.state for o in found.values()} == {"ok"}
    assert 1 <= Handler.most <= 2
    p.close()


def test_a_slow_server_is_a_timeout_never_broken(server: str) -> None:
    p, waits = prober(timeout=0.2, retries=0)
    o = p.check(f"{server}/slow")
    assert (o.state, o.reason) == ("unverifiable", "timeout")
    p.close()


@pytest.mark.parametrize(
    "url",
    ["https://xn--/", "https://[::1/", "http://", "http://999.999.999.999/", "https://u:p@public.example/"],
)
def test_a_malformed_url_is_unverifiable_never_a_crash(url: str) -> None:
    p, _ = prober(allow=())
    assert (p.check(url).state, p.check(url).reason) == ("unverifiable", "bad-url")
    p.close()


def test_too_many_redirects_is_broken(server: str) -> None:
    p, _ = prober(max_redirects=0)
    o = p.check(f"{server}/moved")
    assert (o.state, o.reason) == ("broken", "too-many-redirects")
    p.close()


@pytest.mark.parametrize("host", ["intranet.example", "mixed.example", "mapped.example", "metadata.example"])
def test_a_name_with_any_private_address_is_refused(host: str) -> None:
    with pytest.raises(Refused) as e:
        Guard(resolve=fake_resolve).addresses(__import__("httpx").URL(f"https://{host}/x"))
    assert e.value.reason == "blocked-address"


def test_guard_refuses_literals_and_schemes_and_allows_named_hosts() -> None:
    import httpx

    g = Guard(resolve=fake_resolve)
    for url in [
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
    ]:
        with pytest.raises(Refused):
            g.addresses(httpx.URL(url))
    with pytest.raises(Refused) as e:
        g.addresses(httpx.URL("ftp://public.example/x"))
    assert e.value.reason == "blocked-scheme"
    assert g.addresses(httpx.URL("https://public.example/")) == NAMES["public.example"]
    assert Guard(["intranet.example"], resolve=fake_resolve).addresses(httpx.URL("http://intranet.example/"))
    with pytest.raises(NoSuchHost):
        g.addresses(httpx.URL("https://no-such-name.example/"))


def test_local_server_is_refused_unless_allowed_and_redirects_are_guarded(server: str) -> None:
    refused, _ = prober(allow=())
    o = refused.check(f"{server}/ok")
    assert (o.state, o.reason) == ("unverifiable", "blocked-address")
    allowed, _ = prober()
    # the first hop is allowed; the redirect to a private name is checked again and refused
    o = allowed.check(f"{server}/to-intranet")
    assert (o.state, o.reason, o.final_url) == (
        "unverifiable",
        "blocked-address",
        "http://intranet.example/secret",
    )
    o = allowed.check(f"{server}/to-file")
    assert (o.state, o.reason) == ("unverifiable", "blocked-scheme")
    assert allowed.check("https://no-such-name.example/a").reason == "no-such-host"
    refused.close()
    allowed.close()


def outcome(url: str, state: str, reason: str, status: int | None = None) -> Outcome:
    return Outcome(url, state, status, reason)  # type: ignore[arg-type]


def test_grace_rule_broken_only_after_two_failing_runs_a_day_apart() -> None:
    url = "https://public.example/a.pdf"
    run1 = store.merge({}, {url: outcome(url, "broken", "http-404", 404)}, T0)
    assert (run1[url].state, run1[url].first_failure, run1[url].watching) == ("unverifiable", T0, True)
    assert "đang theo dõi" in state_text(run1[url])
    run2 = store.merge(run1, {url: outcome(url, "broken", "http-404", 404)}, T0 + timedelta(hours=23))
    assert (run2[url].state, run2[url].first_failure) == ("unverifiable", T0)
    run3 = store.merge(run2, {url: outcome(url, "broken", "http-404", 404)}, T0 + timedelta(days=1))
    assert (run3[url].state, run3[url].first_failure) == ("broken", T0)
    assert state_text(run3[url]).startswith("❌ hỏng: không tìm thấy trang (404)")
    back = store.merge(run3, {url: outcome(url, "ok", "ok", 200)}, T0 + timedelta(days=2))
    assert (back[url].state, back[url].first_failure) == ("ok", None)
    # a server that was down (timeout) and is fine again never becomes broken
    down = store.merge({}, {url: outcome(url, "unverifiable", "timeout")}, T0)
    later = store.merge(down, {url: outcome(url, "unverifiable", "timeout")}, T0 + timedelta(days=3))
    assert (later[url].state, later[url].watching) == ("unverifiable", False)


def test_results_file_round_trips_sorted_and_stable(tmp_path: Path) -> None:
    records = store.merge(
        {},
        {
            "https://b.example/": outcome("https://b.example/", "ok", "ok", 200),
            "https://a.example/": outcome("https://a.example/", "broken", "http-410", 410),
        },
        T0,
        {"https://a.example/": ["xa-b", "xa-a"], "https://b.example/": ["xa-a"]},
    )
    path = store.write(tmp_path, "2019", records)
    text = path.read_text(encoding="utf-8")
    assert text.index("https://a.example/") < text.index("https://b.example/")
    assert "checked_at: '2026-12-01T02:00:00Z'" in text and "units:\n  - xa-a\n  - xa-b" in text
    assert store.parse(text) == records
    assert store.dumps("2019", store.parse(text) or {}) == text  # a second write changes nothing
    assert not [p for p in path.parent.iterdir() if p.name != "2019.yaml"]  # no temporary left
    assert store.parse("links: {not: a list}") is None and store.parse(None) == {}


# --- the command, on a small repository --------------------------------------------------------

EVIDENCE = (
    '  "{cid}": {{points: {p}, evidence: [{{title: "Văn bản", number: "1/KH", date: 2019-12-01, '
    'issuer: "UBND", url: "{url}"}}]}}'
)


def card(unit: str, urls: dict[str, str]) -> str:
    lines = [
        f"unit: {unit}",
        'cycle: "2019"',
        "status: submitted",
        'approved_by: {name: "Nguyễn Văn A", title: "Chủ tịch UBND xã", date: 2020-01-10}',
        "scores:",
    ]
    for cid, p in FULL.items():
        lines.append(
            EVIDENCE.format(cid=cid, p=p, url=urls[cid]) if cid in urls else f'  "{cid}": {{points: {p}}}'
        )
    return "\n".join(lines) + "\n"


def session(root: Path, *extra: str) -> Session:
    from builder.cli.main import parser

    args = parser().parse_args(["links", "--root", str(root), "--timeout", "0.5", "--retries", "0", *extra])
    return Session(args, root, FolderTree(root), io.StringIO(), io.StringIO())


def small_repo(tmp_path: Path, server: str):
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"])
    repo.write(
        "submissions/2019/xa-a/scorecard.yaml",
        card("xa-a", {"1.1": f"{server}/ok", "1.2": f"{server}/missing"}),
    )
    repo.write("submissions/2019/xa-b/scorecard.yaml", card("xa-b", {"1.1": f"{server}/forbidden"}))
    repo.commit("2020-01-15T08:00:00+07:00", "Các đơn vị nộp phiếu")
    return repo


def test_links_command_writes_the_states_and_applies_the_grace_rule(tmp_path: Path, server: str) -> None:
    repo = small_repo(tmp_path, server)
    s = session(repo.path, "--allow-host", LOCAL)
    assert links_command.run(s, now=T0) == 0
    first = store.read(FolderTree(repo.path), "2019")
    assert {u.rsplit("/", 1)[1]: (r.state, r.reason) for u, r in first.items()} == {
        "ok": ("ok", "ok"),
        "missing": ("unverifiable", "http-404"),  # watched: one bad run is not enough
        "forbidden": ("unverifiable", "http-403"),
    }
    assert "Kỳ 2019: đã kiểm tra 3 đường dẫn" in s.err.getvalue()
    s = session(repo.path, "--allow-host", LOCAL)
    assert links_command.run(s, now=T0 + timedelta(days=1, hours=1)) == 0
    second = store.read(FolderTree(repo.path), "2019")
    missing = second[f"{server}/missing"]
    assert (missing.state, missing.status, missing.first_failure, missing.units) == (
        "broken",
        404,
        T0,
        ("xa-a",),
    )
    assert f"hỏng: {server}/missing (không tìm thấy trang (404); xa-a)" in s.out.getvalue()


def test_without_allow_host_the_local_server_is_refused(tmp_path: Path, server: str) -> None:
    repo = small_repo(tmp_path, server)
    run = run_cli("links", "--root", str(repo.path), "--timeout", "0.5", "--retries", "0")
    assert run.code == 0
    found = store.read(FolderTree(repo.path), "2019")
    assert {r.reason for r in found.values()} == {"blocked-address"}
    assert "địa chỉ nội bộ" in run.out
    assert run_cli("links", "--root", str(repo.path), "--workers", "0").code == 2


def test_check_warns_about_a_broken_link_a_pull_request_adds(tmp_path: Path, server: str) -> None:
    repo = small_repo(tmp_path, server)
    for when in (T0, T0 + timedelta(days=2)):
        links_command.run(session(repo.path, "--allow-host", LOCAL), now=when)
    repo.commit("2020-01-16T08:00:00+07:00", "Kết quả kiểm tra đường dẫn")
    repo.git("checkout", "-q", "-b", "pr")
    # xa-b adds the link that the results file knows is broken, and a new one never checked
    repo.write(
        "submissions/2019/xa-b/scorecard.yaml",
        card(
            "xa-b", {"1.1": f"{server}/forbidden", "1.2": f"{server}/missing", "2.1": "https://new.example/x"}
        ),
    )
    repo.commit("2020-01-17T08:00:00+07:00")
    run = run_cli("check", "--root", str(repo.path), "--base", "main")
    assert run.code == 0, run.err
    where = "submissions/2019/xa-b/scorecard.yaml:7:33"
    line = f"{where}: warning [evidence-link-broken] Đường dẫn '{server}/missing'"
    assert line in run.out
    assert "1 đường dẫn mới chưa được kiểm tra" in run.out
    broken = [ln for ln in run.out.split("###")[0].splitlines() if "[evidence-link-broken]" in ln]
    assert broken and not any("forbidden" in ln for ln in broken)  # unverifiable: not warned about


def test_unit_page_shows_each_links_state_and_a_count(tmp_path: Path, server: str) -> None:
    repo = small_repo(tmp_path, server)
    for when in (T0, T0 + timedelta(days=2)):
        links_command.run(session(repo.path, "--allow-host", LOCAL), now=when)
    run = run_cli("build", "--root", str(repo.path))
    assert run.code == 0, run.err
    page = html.unescape((repo.path / "build/docs/2019/units/xa-a.md").read_text(encoding="utf-8"))
    assert f'<a href="{server}/ok">Văn bản</a> · ✅ mở được, kiểm tra ngày 03/12/2026' in page
    assert "· ❌ hỏng: không tìm thấy trang (404), lỗi từ ngày 01/12/2026, kiểm tra ngày 03/12/2026" in page
    assert "- **Đường dẫn kiểm chứng:** 2 đường dẫn: 1 mở được, 1 hỏng\n" in page
    other = html.unescape((repo.path / "build/docs/2019/units/xa-b.md").read_text(encoding="utf-8"))
    assert "· ⚠️ chưa kiểm chứng được: máy chủ từ chối máy kiểm tra (403), kiểm tra ngày 03/12/2026" in other


# --- evidence files: SHA-256 and size, type and size checks ---------------------------------


def test_evidence_files_sha256_and_size_in_the_json_export_and_on_the_page(tmp_path: Path) -> None:
    import hashlib
    import json

    from casekit import materialize

    root = materialize(None, tmp_path / "repo")
    pdf = root / "submissions/2019/xa-an-binh/evidence/bc-30.pdf"
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    run = run_cli("export", "--root", str(root), "--format", "json", "--out", str(tmp_path / "out"))
    assert run.code == 0, run.err
    units = {u["unit"]: u for u in json.loads((tmp_path / "out/ket-qua-2019.json").read_text())["units"]}
    assert units["xa-an-binh"]["evidence_files"] == [
        {"criterion": "1.1.2", "file": "evidence/bc-30.pdf", "size": pdf.stat().st_size, "sha256": sha}
    ]
    assert units["tt-ben-cau"]["evidence_files"] == []
    assert units["xa-an-binh"]["final_total"] is not None  # the existing keys are all still there
    assert run_cli("build", "--root", str(root)).code == 0
    record = json.loads((root / "build/docs/2019/data/units/xa-an-binh.json").read_text())
    assert record["evidence_files"][0]["sha256"] == sha
    page = html.unescape((root / "build/docs/2019/units/xa-an-binh.md").read_text(encoding="utf-8"))
    assert f"{pdf.stat().st_size} byte, SHA-256 <code>{sha}</code>" in page


def test_a_file_that_is_not_what_its_name_says_is_reported_and_not_published(tmp_path: Path) -> None:
    from casekit import materialize

    root = materialize(None, tmp_path / "repo")
    pdf = root / "submissions/2019/xa-an-binh/evidence/bc-30.pdf"
    pdf.write_bytes(b"<html><body>404 Not Found</body></html>")
    run = run_cli("validate", "--root", str(root))
    assert "warning [evidence-file-type] Nội dung tệp 'evidence/bc-30.pdf' không phải tệp PDF" in run.out
    assert run_cli("build", "--root", str(root)).code == 0
    page = html.unescape((root / "build/docs/2019/units/xa-an-binh.md").read_text(encoding="utf-8"))
    assert "(tệp evidence/bc-30.pdf không đăng lên trang: nội dung không khớp đuôi tệp)" in page
    assert not (root / "build/docs/2019/files/xa-an-binh/evidence/bc-30.pdf").exists()


@pytest.mark.parametrize(
    ("name", "content", "fits"),
    [
        ("a.pdf", b"%PDF-1.7\n", True),
        ("a.PDF", b"PK\x03\x04", False),
        ("a.docx", b"PK\x03\x04rest", True),
        ("a.xlsx", b"%PDF-1.7", False),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", True),
        ("a.png", b"\x89PNG\r\n\x1a\n", True),
        ("a.jpg", b"GIF89a", False),
        ("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", True),
        ("a.txt", b"\x00\x01", True),  # no signature to check
    ],
)
def test_signatures(name: str, content: bytes, fits: bool) -> None:
    from builder.rules.evidence_files import matches

    assert matches(name.rsplit(".", 1)[1].lower(), content[:16]) is fits


def test_the_links_workflows_run_weekly_and_on_demand_with_least_rights() -> None:
    from test_workflows import GITLAB, builder_calls, load, run_lines

    from conftest import ROOT

    path = ROOT / ".github/workflows/links.yml"
    data = load(path)
    assert data["on"]["schedule"][0]["cron"].endswith("* * 1") and "workflow_dispatch" in data["on"]
    assert data["permissions"] == {"contents": "read"}
    assert data["jobs"]["links"]["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert [c[0] for c in builder_calls(path)] == ["links"]
    lines = run_lines(path)
    assert any("gh pr create" in line for line in lines) and not any("main" in line for line in lines)
    assert not any("${{" in line for line in lines)  # event data reaches the shell as env only
    job = load(GITLAB)["links"]
    assert "schedule" in job["rules"][0]["if"]
    assert "links/" in job["artifacts"]["paths"]
    assert any("merge_request.create" in line for line in job["script"])


def test_a_host_is_resolved_once_a_run() -> None:
    import httpx

    calls: list[str] = []

    def counting(host: str, port: int) -> list[str]:
        calls.append(host)
        return fake_resolve(host, port)

    g = Guard(resolve=counting)
    for i in range(5):
        g.addresses(httpx.URL(f"https://public.example/{i}"))
        with pytest.raises(NoSuchHost):
            g.addresses(httpx.URL(f"https://gone.example/{i}"))
    assert calls == ["public.example", "gone.example"]


def test_size_limit_read_from_a_commit_without_reading_the_blob(tmp_path: Path, monkeypatch) -> None:
    from gitkit import GitRepo

    from builder.git.repo import GitTree
    from casekit import materialize

    root = materialize(None, tmp_path / "repo")
    config = root / "criteria/2019/assessment.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "evidence_max_mb: 0.001\n", encoding="utf-8")
    (root / "submissions/2019/xa-an-binh/evidence/bc-30.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 4000)
    repo = GitRepo(root)
    repo.commit("2020-01-15T08:00:00+07:00")
    (root / "submissions/2019/xa-an-binh/evidence/bc-30.pdf").write_bytes(b"%PDF-1.4 small")  # not committed
    read = spy_reads(monkeypatch, GitTree)
    run = run_cli("validate", "--root", str(root), "--rev", "HEAD")
    assert (
        "error [evidence-file-too-large] Tệp 'evidence/bc-30.pdf' quá lớn (4009 byte, tối đa 1048 byte)"
        in run.out
    )
    assert not [p for p in read if p.endswith(".pdf")]  # judged by its size, never read
    assert "evidence-file-too-large" not in run_cli("validate", "--root", str(root)).out  # the folder: small
