"""Secrets at rest: Fernet (AES-128-CBC with an HMAC-SHA256 tag, from ``cryptography``) under the
keys in settings.ENCRYPTION_KEYS, so a database dump or backup does not reveal what they guard.

Encrypt on write; decrypt only where the plaintext is used (the SigV4 check for access keys; a
publish target's AWS credentials when it calls AWS). The first key encrypts, every key decrypts:
to rotate, put a new key first, re-encrypt (``rotate``), then drop the old one. Keys come from
``SYMPHONY_ENCRYPTION_KEY`` or, on the embedded default, ``var/encryption_key`` (symphony/settings.py).
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt", "encrypt", "rotate"]


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "SYMPHONY_ENCRYPTION_KEY must be one or more comma-separated Fernet keys (32 url-safe "
            "base64-encoded bytes each, e.g. from `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`)."
        ) from None


def _current() -> MultiFernet:
    return _fernet(tuple(settings.ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """The plaintext; ``InvalidToken`` when no key opens it (a wrong key, or a tampered row)."""
    return _current().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """The same secret encrypted under the first key."""
    return _current().rotate(token.encode()).decode()
