"""Where an approvals webhook may point: a public address, unless the operator allows private ones
(``SYMPHONY_WEBHOOKS_ALLOW_PRIVATE=true``, e.g. a chat server on the same network).

A webhook URL is typed by a target's publisher and POSTed to by the server, so without this guard
it would reach what the server reaches and the publisher does not: the cloud's metadata service
(169.254.169.254), the database, Redis, an admin port on 127.0.0.1 (server-side request forgery).
The name is checked when the webhook is saved, and again at each delivery, which then connects to
the address it checked: a name whose DNS answer changes in between (DNS rebinding) cannot slip a
private address past the check."""

import ipaddress
import os
import socket
from urllib.parse import urlsplit

from django.conf import settings

SETTING = "SYMPHONY_WEBHOOKS_ALLOW_PRIVATE"


class AddressRefused(Exception):
    """The URL's host resolves to an address a webhook may not reach, or does not resolve."""


def allow_private() -> bool:
    value = getattr(settings, SETTING, None)
    if value is None:
        value = os.environ.get(SETTING, "").strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id is not part of the address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    # is_global excludes loopback, private (RFC 1918, fc00::/7), link-local (169.254/16, fe80::/10),
    # shared (100.64/10), reserved and unspecified ranges; multicast is no receiver either.
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> tuple[str, int]:
    """The address (and port) to connect to for ``url``: the first one its host resolves to, once
    every address it resolves to is allowed. Raises ``AddressRefused`` saying why not."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise AddressRefused("The URL names no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused("The URL's port is not a number from 0 to 65535.") from None
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(f"{host} does not resolve ({error}).") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise AddressRefused(f"{host} does not resolve.")
    if not allow_private():
        private = [address for address in addresses if not _public(address)]
        if private:
            raise AddressRefused(
                f"{host} resolves to {private[0]}, a loopback, private or link-local address; webhooks "
                f"reach public addresses only unless the operator sets {SETTING}=true."
            )
    return addresses[0], port
