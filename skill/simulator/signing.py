"""Alexa's request signing, stood in: a throwaway certificate authority, made with
``cryptography``, whose leaf for echo-api.amazon.com signs request bodies as Alexa does.

Tests and benchmarks that run with verification on trust its root instead of the public
ones (``ALEXA_TRUSTED_ROOTS_FILE``) and serve its chain from a local stand-in for S3."""

from __future__ import annotations

import base64
import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_KEYS: list = []


def _key():
    # Key generation is the slow part; a small pool keeps the suite quick.
    if len(_KEYS) < 6:
        _KEYS.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
        return _KEYS[-1]
    _KEYS.append(_KEYS.pop(0))
    return _KEYS[-1]


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _ca_extensions(builder, key, issuer_key):
    return (
        builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )


class StandInPKI:
    """A root, an intermediate and a signing certificate for echo-api.amazon.com."""

    def __init__(
        self,
        san: str = "echo-api.amazon.com",
        leaf_valid_days: tuple[int, int] = (-1, 30),
        root_name: str = "Test Root CA",
    ):
        now = dt.datetime.now(dt.UTC)
        self.root_key, self.mid_key, self.leaf_key = _key(), _key(), _key()
        self.root = _ca_extensions(
            x509.CertificateBuilder()
            .subject_name(_name(root_name))
            .issuer_name(_name(root_name))
            .public_key(self.root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=10))
            .not_valid_after(now + dt.timedelta(days=3650)),
            self.root_key,
            self.root_key,
        ).sign(self.root_key, hashes.SHA256())
        self.intermediate = _ca_extensions(
            x509.CertificateBuilder()
            .subject_name(_name("Test Intermediate CA"))
            .issuer_name(self.root.subject)
            .public_key(self.mid_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=10))
            .not_valid_after(now + dt.timedelta(days=1000)),
            self.mid_key,
            self.root_key,
        ).sign(self.root_key, hashes.SHA256())
        start, end = leaf_valid_days
        self.leaf = (
            x509.CertificateBuilder()
            .subject_name(_name(san))
            .issuer_name(self.intermediate.subject)
            .public_key(self.leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + dt.timedelta(days=start - 1))
            .not_valid_after(now + dt.timedelta(days=end))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=True,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.leaf_key.public_key()),
                critical=False,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.mid_key.public_key()),
                critical=False,
            )
            .sign(self.mid_key, hashes.SHA256())
        )

    def chain_pem(self) -> bytes:
        return b"".join(
            c.public_bytes(serialization.Encoding.PEM) for c in (self.leaf, self.intermediate)
        )

    def sign(self, body: bytes) -> str:
        signature = self.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()
