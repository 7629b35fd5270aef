"""Links stage, the probe: HEAD (GET when refused), each redirect hop guarded, retries, capped reads."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from typing import Literal

import httpx

from builder.links.guard import Guard, NoSuchHost, Refused, ResolveFailed

State = Literal["ok", "broken", "unverifiable"]
PROJECT_URL = "https://github.com/TEN-TO-CHUC/chi-so-cchc"
REDIRECTS = (301, 302, 303, 307, 308)


def head_refused(status: int) -> bool:
    """A HEAD answer that a GET may not share (405, 501, a 403 or 404 for HEAD only): asked
    again with GET, so a server that mishandles HEAD never makes a link look broken. Not 429
    or other 5xx: asking again at once would only add load; those are retried with backoff."""
    return (400 <= status < 500 and status != 429) or status == 501


BROKEN_STATUS = (404, 410)


def user_agent(contact: str = PROJECT_URL) -> str:
    """An honest User-Agent: the tool, its version and where to read about it."""
    try:
        version = metadata.version("par-index-builder")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"par-index-builder/{version} (+{contact})"


@dataclass(frozen=True)
class Settings:
    timeout: float = 15.0  # seconds for each connect, read and write
    retries: int = 2  # after the first try, for timeouts, 5xx and 429
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    max_redirects: int = 10
    max_bytes: int = 64 * 1024  # a GET reads at most this much of the body
    workers: int = 8  # requests in flight overall
    per_host: int = 2  # requests in flight to one host
    user_agent: str = user_agent()


@dataclass(frozen=True)
class Outcome:
    """What one check of one URL found (before the grace rule of `store`)."""

    url: str
    state: State
    status: int | None
    reason: str  # a reason code: "ok", "http-404", "timeout", "blocked-address", …
    final_url: str | None = None
    bytes_read: int = 0
    retryable: bool = False


class Prober:
    """Checks URLs with one shared client; `sleep` is injectable so tests never wait."""

    def __init__(
        self,
        guard: Guard,
        settings: Settings | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.guard, self.settings, self.sleep = guard, settings or Settings(), sleep
        s = self.settings
        self.client = httpx.Client(
            timeout=httpx.Timeout(s.timeout),
            follow_redirects=False,  # by hand: every hop goes through the guard
            trust_env=False,  # no proxy from the environment: we connect to the checked address
            limits=httpx.Limits(max_connections=s.workers, max_keepalive_connections=s.workers),
            transport=transport,
        )
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def _host_slot(self, host: str) -> threading.Semaphore:
        with self._lock:
            return self._hosts.setdefault(host, threading.Semaphore(self.settings.per_host))

    def check_all(self, urls: Iterable[str]) -> dict[str, Outcome]:
        """Every URL once, at most `workers` at a time and `per_host` per host."""
        unique = sorted(set(urls))
        with ThreadPoolExecutor(max_workers=max(1, self.settings.workers)) as pool:
            return dict(zip(unique, pool.map(self.check, unique), strict=True))

    def check(self, url: str) -> Outcome:
        """One URL, retried with backoff while the failure may be passing (timeout, 5xx, 429)."""
        try:
            host = httpx.URL(url).host
        except (httpx.InvalidURL, ValueError):  # idna's errors are ValueErrors too
            return Outcome(url, "unverifiable", None, "bad-url")
        with self._host_slot(host):
            for attempt in range(self.settings.retries + 1):
                outcome = self._follow(url)
                if not outcome.retryable or attempt == self.settings.retries:
                    return outcome
                self.sleep(self.settings.backoff * 2**attempt)
        raise AssertionError("unreachable")

    def _follow(self, url: str) -> Outcome:
        try:
            current = httpx.URL(url)
        except (httpx.InvalidURL, ValueError):
            return Outcome(url, "unverifiable", None, "bad-url")
        method, seen = "HEAD", set()
        try:
            for _ in range(self.settings.max_redirects + 1):
                if str(current) in seen:
                    return Outcome(url, "broken", None, "redirect-loop", str(current))
                seen.add(str(current))
                status, location, read = self._hop(current, method)
                if method == "HEAD" and head_refused(status):
                    method = "GET"
                    status, location, read = self._hop(current, method)
                if status in REDIRECTS and location:
                    current = current.join(location)
                    continue
                return classify(url, status, str(current), read)
            return Outcome(url, "broken", None, "too-many-redirects", str(current))
        except Refused as e:
            return Outcome(url, "unverifiable", None, e.reason, str(current))
        except NoSuchHost:
            return Outcome(url, "broken", None, "no-such-host", str(current))
        except ResolveFailed:
            return Outcome(url, "unverifiable", None, "dns-error", str(current), retryable=True)
        except httpx.TimeoutException:
            return Outcome(url, "unverifiable", None, "timeout", str(current), retryable=True)
        except httpx.ConnectError as e:
            if _is_tls(e):
                return Outcome(url, "unverifiable", None, "tls-error", str(current))
            return Outcome(url, "unverifiable", None, "connect-error", str(current), retryable=True)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError):  # e.g. a Location: x--
            return Outcome(url, "unverifiable", None, "bad-url", str(current))
        except httpx.HTTPError:
            return Outcome(url, "unverifiable", None, "network-error", str(current), retryable=True)

    def _hop(self, url: httpx.URL, method: str) -> tuple[int, str | None, int]:
        """One request to an address the guard accepted (the name is not resolved again, so a
        DNS answer cannot change between the check and the connection); TLS still verifies
        the certificate against the name. A GET reads at most `max_bytes` of the body."""
        addresses = self.guard.addresses(url)
        headers = {
            "Host": url.netloc.decode("ascii"),
            "User-Agent": self.settings.user_agent,
            "Accept": "*/*",
        }
        extensions = {"sni_hostname": url.raw_host.decode("ascii")} if url.scheme == "https" else {}
        failure: httpx.ConnectError | None = None
        for address in addresses[:4]:
            request = self.client.build_request(
                method, url.copy_with(host=address), headers=headers, extensions=extensions
            )
            try:
                response = self.client.send(request, stream=True)
            except httpx.ConnectError as e:  # the next address of the name, as a browser would
                failure = e
                if _is_tls(e):
                    raise
                continue
            try:
                read = self._read(response) if method == "GET" else 0
            finally:
                response.close()
            return response.status_code, response.headers.get("location"), read
        assert failure is not None
        raise failure

    def _read(self, response: httpx.Response) -> int:
        read, deadline = 0, time.monotonic() + self.settings.timeout
        for chunk in response.iter_raw(16 * 1024):
            read += len(chunk)
            if read >= self.settings.max_bytes or time.monotonic() > deadline:
                break
        return min(read, self.settings.max_bytes)


def classify(url: str, status: int, final: str, read: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome(url, "ok", status, "ok", final, read)
    if status in BROKEN_STATUS:
        return Outcome(url, "broken", status, f"http-{status}", final, read)
    retry = status == 429 or status >= 500
    return Outcome(url, "unverifiable", status, f"http-{status}", final, read, retryable=retry)


def _is_tls(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE" in str(seen).upper() or "SSL" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
