"""Links stage, the SSRF guard: only http(s) to public addresses, every resolved address checked."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class Refused(Exception):
    """The guard will not connect: `reason` is a reason code of the results file."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason, self.detail = reason, detail


class NoSuchHost(Exception):
    """The name does not exist (NXDOMAIN): the link is broken, not merely unverifiable."""


class ResolveFailed(Exception):
    """The name could not be resolved now (a DNS server down): unverifiable."""


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for a host (IPv4 and IPv6), in its order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        if e.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
            raise NoSuchHost(host) from e
        raise ResolveFailed(str(e)) from e
    except (UnicodeError, OSError) as e:
        raise ResolveFailed(str(e)) from e
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def forbidden(address: Address) -> bool:
    """Loopback, private, link-local, multicast, reserved, unspecified or otherwise not
    globally reachable; an IPv4-mapped or 6to4/Teredo IPv6 address is judged by its IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if inner is not None and forbidden(inner):
            return True
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


@dataclass
class Guard:
    """Decides, for each hop of a request, which address to connect to (or refuses)."""

    allow_hosts: Iterable[str] = ()
    resolve: Resolver = system_resolve
    _allowed: set[str] = field(init=False)
    _known: dict[tuple[str, int], list[str] | None] = field(init=False)  # one answer per run
    _lock: threading.Lock = field(init=False)

    def __post_init__(self) -> None:
        self._allowed = {h.strip().lower().strip("[]") for h in self.allow_hosts}
        self._known, self._lock = {}, threading.Lock()

    def lookup(self, host: str, port: int) -> list[str]:
        """The resolver's answer, kept for the run: a host with many links is resolved once
        (and always judged on the same addresses); a temporary failure is not kept."""
        with self._lock:
            known = self._known.get((host, port), [])
        if known is None:
            raise NoSuchHost(host)
        if known:
            return known
        try:
            found = self.resolve(host, port)
        except NoSuchHost:
            with self._lock:
                self._known[(host, port)] = None
            raise
        with self._lock:
            self._known[(host, port)] = found
        return found

    def addresses(self, url: httpx.URL) -> list[str]:
        """The addresses to try for `url`, all checked; raises Refused, NoSuchHost, ResolveFailed."""
        if url.scheme not in ("http", "https"):
            raise Refused("blocked-scheme", url.scheme)
        host = url.raw_host.decode("ascii").lower().strip("[]")
        if not host:
            raise Refused("bad-url", str(url))
        if url.userinfo:
            raise Refused("bad-url", "user:password@ in the link")
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            found = [str(ipaddress.ip_address(host))]
        except ValueError:
            found = self.lookup(host, port)
        if not found:
            raise NoSuchHost(host)
        if host in self._allowed:
            return found
        for text in found:  # every address: a name with one private address is refused whole
            if forbidden(ipaddress.ip_address(text.split("%", 1)[0])):
                raise Refused("blocked-address", f"{host} → {text}")
        return found
