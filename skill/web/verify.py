"""Check that a request really comes from Alexa, for this skill, and is fresh.

Amazon's own verifier (ask-sdk-webservice-support) cannot be imported on this
platform, so the rules of "Host a custom skill as a web service" are written
here on top of ``cryptography``: certificate URL, chain to a trusted root,
SAN, Signature-256 over the raw body, timestamp and application id.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import http.client
import logging
import posixpath
import socket
import ssl
import threading
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import shape
from .rejected import RequestRejected

# cryptography is imported where signatures are checked: a server with verification off
# (local testing, the simulator) never loads it.
if TYPE_CHECKING:
    from cryptography import x509

log = logging.getLogger(__name__)

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
SIGNING_DOMAIN = "echo-api.amazon.com"
TIMESTAMP_TOLERANCE = dt.timedelta(seconds=150)
CHAIN_FETCH_TIMEOUT = 3.0
CHAIN_MAX_BYTES = 64 * 1024
CHAIN_CACHE_SIZE = 32
#: How long a chain URL that failed is refused without another download.
FAILED_CHAIN_TTL = dt.timedelta(seconds=60)
FAILED_CACHE_SIZE = 256


def check_cert_url(url: str) -> str:
    """Apply Alexa's rules to the SignatureCertChainUrl header; return it normalised."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise RequestRejected("certificate URL is malformed") from exc
    if parts.scheme.lower() != "https":
        raise RequestRejected("certificate URL must use https")
    if (parts.hostname or "").lower() != "s3.amazonaws.com":
        raise RequestRejected("certificate URL host must be s3.amazonaws.com")
    path = posixpath.normpath(parts.path) if parts.path else ""
    if not path.startswith("/echo.api/"):
        raise RequestRejected("certificate URL path must start with /echo.api/")
    if port is not None and port != 443:
        raise RequestRejected("certificate URL port must be 443")
    return f"https://s3.amazonaws.com{path}"


def load_trusted_roots(pem_file: str | None = None) -> list[x509.Certificate]:
    """The root certificates a signing chain must lead to (certifi's bundle by default)."""
    from cryptography import x509
    from cryptography.utils import CryptographyDeprecationWarning

    if pem_file is None:
        import certifi

        pem_file = certifi.where()
    with open(pem_file, "rb") as fh, warnings.catch_warnings():
        # A few long-standing roots in public bundles carry non-positive serial numbers.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_pem_x509_certificates(fh.read())


def fetch_over_http(url: str, mirror: str | None = None) -> bytes:
    """Download a PEM chain within ``CHAIN_FETCH_TIMEOUT`` in all (name lookup, connect,
    headers and body), and at most ``CHAIN_MAX_BYTES``.

    The download runs in a helper thread so the whole of it has one deadline; at the
    deadline its socket is shut, which ends the helper too. ``mirror`` (a test-only
    setting) replaces the scheme and host, so a test can serve a chain it made from a
    local server in place of Amazon's S3.
    """
    if mirror:
        url = mirror.rstrip("/") + urlsplit(url).path
    parts = urlsplit(url)
    host = parts.hostname or ""
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(
            host,
            parts.port,
            timeout=CHAIN_FETCH_TIMEOUT,
            context=ssl.create_default_context(),
        )
    else:
        conn = http.client.HTTPConnection(host, parts.port, timeout=CHAIN_FETCH_TIMEOUT)
    outcome: dict = {}

    def download() -> None:
        try:
            conn.request("GET", parts.path or "/")
            resp = conn.getresponse()
            if resp.status != 200:
                raise OSError(f"HTTP {resp.status}")
            body = resp.read(CHAIN_MAX_BYTES + 1)
            if len(body) > CHAIN_MAX_BYTES:
                raise ValueError("certificate chain is too large")
            outcome["body"] = body
        except Exception as exc:  # handed to the caller below
            outcome["error"] = exc
        finally:
            conn.close()

    helper = threading.Thread(target=download, name="chain-download", daemon=True)
    helper.start()
    helper.join(CHAIN_FETCH_TIMEOUT)
    if helper.is_alive():
        if conn.sock is not None:
            with contextlib.suppress(OSError):
                conn.sock.shutdown(socket.SHUT_RDWR)
        raise TimeoutError("certificate chain download took too long")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["body"]


class _Chain:
    __slots__ = ("leaf_key", "not_before", "not_after")

    def __init__(self, leaf_key, not_before: dt.datetime, not_after: dt.datetime):
        self.leaf_key = leaf_key
        self.not_before = not_before
        self.not_after = not_after


class SigningCertificates:
    """Downloads, validates and caches signing chains, once per URL.

    A URL whose chain failed is refused for ``FAILED_CHAIN_TTL`` without another
    download, so many requests naming one bad URL cost one download.
    """

    def __init__(
        self,
        roots: list[x509.Certificate],
        fetch: Callable[[str], bytes] = fetch_over_http,
        clock: Callable[[], dt.datetime] | None = None,
    ):
        from cryptography.x509.verification import Store

        self._store = Store(roots)
        self._fetch = fetch
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._chains: dict[str, _Chain] = {}
        self._failed: dict[str, tuple[dt.datetime, str]] = {}
        self._lock = threading.Lock()

    def public_key_for(self, url: str):
        """The signing key behind ``url``, if its chain is valid right now."""
        now = self._clock()
        chain = self._chains.get(url)
        if chain is None:
            failed = self._failed.get(url)
            if failed is not None and now < failed[0]:
                raise RequestRejected(failed[1])
            try:
                chain = self._load(url, now)
            except RequestRejected as exc:
                self._remember_failure(url, now, exc.reason)
                raise
        if not chain.not_before <= now <= chain.not_after:
            self._chains.pop(url, None)
            raise RequestRejected("signing certificate is outside its validity dates")
        return chain.leaf_key

    def _remember_failure(self, url: str, now: dt.datetime, reason: str) -> None:
        with self._lock:
            self._failed.pop(url, None)
            if len(self._failed) >= FAILED_CACHE_SIZE:
                self._failed.pop(next(iter(self._failed)))
            self._failed[url] = (now + FAILED_CHAIN_TTL, reason)

    def _load(self, url: str, now: dt.datetime) -> _Chain:
        from cryptography import x509
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.verification import PolicyBuilder, VerificationError

        try:
            pem = self._fetch(url)
        except Exception as exc:
            log.warning("could not download certificate chain %s: %s", url, exc)
            raise RequestRejected("certificate chain could not be downloaded") from exc
        try:
            certs = x509.load_pem_x509_certificates(pem)
        except ValueError as exc:
            raise RequestRejected("certificate chain is not valid PEM") from exc
        leaf, intermediates = certs[0], certs[1:]
        if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
            raise RequestRejected("signing certificate is outside its validity dates")
        verifier = (
            PolicyBuilder()
            .store(self._store)
            .time(now)
            .build_server_verifier(x509.DNSName(SIGNING_DOMAIN))
        )
        try:
            path = verifier.verify(leaf, intermediates)
        except VerificationError as exc:
            log.warning("certificate chain %s rejected: %s", url, exc)
            if "subjectAltName" in str(exc):
                raise RequestRejected(f"signing certificate is not for {SIGNING_DOMAIN}") from exc
            raise RequestRejected("certificate chain does not lead to a trusted root") from exc
        if not _names_signing_domain(leaf):
            raise RequestRejected(f"signing certificate is not for {SIGNING_DOMAIN}")
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise RequestRejected("signing certificate does not hold an RSA key")
        chain = _Chain(
            key,
            max(c.not_valid_before_utc for c in path),
            min(c.not_valid_after_utc for c in path),
        )
        with self._lock:
            if len(self._chains) >= CHAIN_CACHE_SIZE:
                self._chains.pop(next(iter(self._chains)))
            self._chains[url] = chain
        return chain


def _names_signing_domain(leaf: x509.Certificate) -> bool:
    """The SAN lists echo-api.amazon.com itself; a wildcard such as *.amazon.com won't do."""
    from cryptography import x509

    try:
        san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    return SIGNING_DOMAIN in (name.lower() for name in san.get_values_for_type(x509.DNSName))


def check_signature(headers, body: bytes, certificates: SigningCertificates) -> None:
    """Check Signature-256 over the raw body with the key from the certificate chain."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.hashes import SHA256

    url = headers.get(CERT_URL_HEADER)
    signature = headers.get(SIGNATURE_HEADER)
    if not url:
        raise RequestRejected(f"missing {CERT_URL_HEADER} header")
    if not signature:
        raise RequestRejected(f"missing {SIGNATURE_HEADER} header")
    url = check_cert_url(url)
    try:
        raw_signature = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise RequestRejected("signature is not valid base64") from exc
    key = certificates.public_key_for(url)
    try:
        key.verify(raw_signature, body, padding.PKCS1v15(), SHA256())
    except InvalidSignature as exc:
        raise RequestRejected("signature does not match the request body") from exc


def check_timestamp(envelope: dict, now: dt.datetime | None = None) -> None:
    """Reject a request whose timestamp is more than 150 seconds from now, either way."""
    stamp = envelope["request"].get("timestamp")
    if not isinstance(stamp, str):
        raise RequestRejected("request timestamp is missing")
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError as exc:
        raise RequestRejected("request timestamp is not ISO 8601") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    if abs(now - when) > TIMESTAMP_TOLERANCE:
        raise RequestRejected("request timestamp is too far from the current time")


def check_application_id(envelope: dict, skill_id: str) -> None:
    """Reject a request meant for another skill."""
    try:
        app_id = envelope["context"]["System"]["application"]["applicationId"]
    except (KeyError, TypeError) as exc:
        raise RequestRejected("request has no application id") from exc
    if app_id != skill_id:
        raise RequestRejected("request is for a different skill")


class RequestGate:
    """Everything a request must pass before any skill code runs.

    Order matters: the signature is checked over the raw bytes before the body is
    parsed; the timestamp and application id are read from the parsed body, and the
    envelope's shape is checked last.
    """

    def __init__(
        self,
        skill_id: str | None,
        verify_signatures: bool,
        certificates: SigningCertificates | None,
    ):
        self.skill_id = skill_id
        self.verify_signatures = verify_signatures
        self.certificates = certificates

    def admit(self, headers, body: bytes) -> dict:
        """The parsed envelope of an acceptable request; RequestRejected otherwise."""
        if self.verify_signatures:
            if self.certificates is None:
                raise RequestRejected("signatures can't be checked: no certificates")
            check_signature(headers, body, self.certificates)
        return self._checked(shape.parse(body))

    def check(self, envelope: object) -> dict:
        """``admit`` for an envelope already parsed (a Lambda event): depth and reserved
        keys, then the same checks."""
        if not isinstance(envelope, dict):
            raise RequestRejected("body is not a JSON object")
        shape.check_tree(envelope)
        return self._checked(envelope)

    def _checked(self, envelope: dict) -> dict:
        request = envelope.get("request")
        if not isinstance(request, dict) or not isinstance(request.get("type"), str):
            raise RequestRejected("body has no request with a type")
        if self.verify_signatures:
            check_timestamp(envelope)
        if self.skill_id:
            check_application_id(envelope, self.skill_id)
        shape.check(envelope)
        return envelope
