"""PDF signatures with pyHanko: sign with the agency's certificate, verify a received PDF.

`sign(pdf)` adds an invisible PAdES signature made with the key and certificate in
`settings.ONEMST_SIGNING_DIR` (`key.pem`, `cert.pem`, the issuing `ca.pem`). A real
deployment puts its own there; when the directory is empty a TEST certificate is made
(`make_test_certificate`: a CA and a signer named "CHỨNG THƯ THỬ NGHIỆM / TEST"), so the
demo and the tests sign without any network. `verify(pdf)` answers "unsigned", "valid"
(the bytes are intact, the signature matches, and the chain leads to a trusted root:
`ca.pem` and any `trust/*.pem`) or "invalid", with the signer's name when there is one.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

UNSIGNED, VALID, INVALID = "unsigned", "valid", "invalid"
STATUSES = (
    (UNSIGNED, "Không có chữ ký số", "Unsigned"),
    (VALID, "Chữ ký số hợp lệ", "Valid signature"),
    (INVALID, "Chữ ký số không hợp lệ", "Invalid signature"),
)


@dataclass(frozen=True)
class Verdict:
    status: str
    signer: str = ""


def signing_dir() -> Path:
    configured = getattr(settings, "ONEMST_SIGNING_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "signing"


def make_test_certificate(directory: Path, organisation: str = "Bộ Khoa học và Công nghệ") -> None:
    """A throwaway CA and signing certificate (RSA 2048, ten years), as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = name("CA THỬ NGHIỆM / TEST CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
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
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("CHỨNG THƯ THỬ NGHIỆM / TEST"))  # CN: 64 bytes at most
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (directory / "ca.pem").write_bytes(ca.public_bytes(pem))
    (directory / "cert.pem").write_bytes(cert.public_bytes(pem))
    (directory / "key.pem").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def _ready() -> Path:
    directory = signing_dir()
    if not (directory / "key.pem").exists():
        make_test_certificate(directory)
    return directory


def sign(pdf: bytes, reason: str = "Phát hành văn bản / Document released") -> bytes:
    """The PDF with an invisible signature of the agency appended (an incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    directory = _ready()
    signer = signers.SimpleSigner.load(
        str(directory / "key.pem"), str(directory / "cert.pem"), ca_chain_files=(str(directory / "ca.pem"),)
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="ChuKyCoQuan", reason=reason)
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def _trust_roots() -> list:
    from pyhanko.keys import load_cert_from_pemder

    directory = _ready()
    files = [directory / "ca.pem", *sorted((directory / "trust").glob("*.pem"))]
    return [load_cert_from_pemder(str(f)) for f in files if f.exists()]


def verify(pdf: bytes) -> Verdict:
    """The first signature's verdict (a received PDF usually carries one)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # not a readable PDF: nothing we can call signed
        return Verdict(UNSIGNED)
    if not signatures:
        return Verdict(UNSIGNED)
    embedded = signatures[0]
    try:
        signer = embedded.signer_cert.subject.human_friendly
    except Exception:
        signer = ""
    try:
        status = validate_pdf_signature(embedded, ValidationContext(trust_roots=_trust_roots()))
    except Exception:  # a malformed signature is not a valid one
        return Verdict(INVALID, signer)
    return Verdict(VALID if status.bottom_line else INVALID, signer)
