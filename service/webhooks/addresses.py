"""Where a webhook may post: public addresses only, checked on the address actually used.

A URL's host is read the way the HTTP client reads it (``httpx.URL``: IDNA 2008, so
``faß.example`` is ``xn--fa-hia.example``, not IDNA 2003's ``fass.example``). At
registration a host written as an address, in any spelling the resolver would accept
(``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1``, full-width digits, ideographic
full stops...), is refused unless it is a public address in plain form. At each delivery
the name is resolved once, every address is checked, and the connection goes to the
checked address (``resolve``), with the original Host header and TLS server name, so a
name that changes its answer between check and connection (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Not refused by ``is_global`` on every Python version, yet reaching private space:
# NAT64 translates its last 32 bits to IPv4; IPv4-compatible addresses are deprecated.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")

NOT_ALLOWED = "address not allowed: the host is not a public address"


class TargetRefused(Exception):
    """The webhook's host is not a public address, and private targets are not allowed."""


def is_public(ip: IPAddress) -> bool:
    """Whether ``ip``, and any IPv4 address it carries, is a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)
        if ip in _NAT64:
            return is_public(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip in _IPV4_COMPATIBLE:
            return False
        if ip.sixtofour is not None and not is_public(ip.sixtofour):
            return False
        if ip.teredo is not None and not all(map(is_public, ip.teredo)):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def _numeric(host: str) -> IPAddress | None:
    """The address a host written as one stands for, in any spelling a resolver accepts."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def registration_problem(url: str) -> str | None:
    """Why a webhook may not post to this URL (``None`` if it may, as far as can be told).

    Names are checked again, resolved, at every delivery; this refuses what the URL
    itself shows to be private.
    """
    raw = urlsplit(url).hostname or ""
    try:
        host = httpx.URL(url).raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError):
        # httpx refuses e.g. full-width digits; the resolver may not: judge their NFKC form.
        host = unicodedata.normalize("NFKC", raw).replace("\u3002", ".")
    host = host.rstrip(".").lower()
    if not host.isascii():
        return "must have a host name this service can connect to"
    if host == "localhost" or host.endswith(".localhost"):
        return "must be a public address on this service"
    ip = _numeric(host)
    if ip is None:
        return None
    if not is_public(ip):
        return "must be a public address on this service"
    if host != str(ip) and not (ip.version == 6 and ":" in host):
        return f"write the address in plain form ({ip})"
    return None


@dataclass(frozen=True, slots=True)
class Target:
    """Where one attempt connects: the URL with the checked address as its host, and the
    Host header and TLS server name of the URL as registered."""

    url: httpx.URL
    host_header: str
    server_name: str


def resolve(url: str, *, allow_private: bool) -> Target:
    """Resolve the URL's host once; return where to connect, or raise TargetRefused.

    Every address the name resolves to must be public (unless ``allow_private``): one
    private answer among public ones refuses the attempt. The error never names the
    addresses, which would tell a registrant what internal names resolve to.
    """
    parsed = httpx.URL(url)
    host = parsed.raw_host.decode("ascii")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    if not addresses:
        raise TargetRefused(NOT_ALLOWED)
    if not allow_private and not all(map(is_public, addresses)):
        raise TargetRefused(NOT_ALLOWED)
    return Target(
        url=parsed.copy_with(host=str(addresses[0])),
        host_header=parsed.netloc.decode("ascii"),
        server_name=host,
    )
