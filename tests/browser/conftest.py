"""Browser fixtures: Debian's chromium driven by Playwright (never a downloaded browser), the
sample and payload sites built once per session and served from 127.0.0.1, and pages whose
every request off this machine is refused and recorded."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from site_repo import built_site

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL = {"127.0.0.1", "localhost"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def _missing(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where .ci/run installs what is needed."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: .ci/run must install it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing("no /usr/bin/chromium: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Any]:
    servers: dict[Path, http.server.ThreadingHTTPServer] = {}

    def start(folder: Path) -> str:
        if folder not in servers:
            handler = functools.partial(_Quiet, directory=str(folder))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[folder] = server
        return f"http://127.0.0.1:{servers[folder].server_port}"

    yield start
    for server in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> tuple[Path, str]:
    """The repository's sample data built into a temporary folder: (repository copy, URL)."""
    if not (ROOT / "criteria").is_dir():
        pytest.skip("no sample data in criteria/")
    root = built_site(tmp_path_factory.getbasetemp(), "sample", sample=ROOT)
    return root, serve(root / "site")


@pytest.fixture(scope="session")
def payload_site(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> tuple[Path, str]:
    root = built_site(tmp_path_factory.getbasetemp(), "xss", payload=True)
    return root, serve(root / "site")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; `page.external` lists every request that tried to leave the machine
    (all refused), `page.dialogs` every alert/confirm/prompt that opened."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    external: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname not in LOCAL:
            external.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    p = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    p.on("dialog", on_dialog)
    p.external = external
    p.dialogs = dialogs
    yield p
    context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from tests/browser/node_modules, installed with npm when missing."""
    script = HERE / "node_modules/axe-core/axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            _missing("npm is needed to install axe-core for the accessibility tests")
        command = [
            str(npm),
            "ci" if (HERE / "package-lock.json").exists() else "install",
            "--no-audit",
            "--no-fund",
        ]
        done = subprocess.run(command, cwd=HERE, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not script.exists():
            _missing(f"npm could not install axe-core: {done.stderr[-500:]}")
    return script
