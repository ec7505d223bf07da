"""What an uploaded file really is, from its bytes, and which kinds a field accepts.

The client's content type and the file's extension are claims; an `.html` renamed
`.pdf` must not get in, and must never be served inline. `sniff` reads the bytes:
magic numbers (the `filetype` library), Pillow for images (the header says which
format, nothing is decoded), the zip directory for office documents, and a look at
text for markup (HTML, SVG, XML), which browsers would run as a page.

Pure Python, no Django: definitions import the groups to check what they declare.
"""

from __future__ import annotations

import re
import zipfile
from typing import IO

import filetype

PDF = "application/pdf"
JPEG, PNG, GIF, WEBP, BMP, TIFF = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/bmp",
    "image/tiff",
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOC, XLS, PPT = "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"
TEXT = "text/plain"
ZIP = "application/zip"
HTML, SVG, XML = "text/html", "image/svg+xml", "application/xml"
# What a file is shown as when it may not be shown as what it is (markup, unknown bytes).
OPAQUE = "application/octet-stream"

# Named groups a `File` field's `accept` may list, besides single MIME types.
GROUPS: dict[str, tuple[str, ...]] = {
    "pdf": (PDF,),
    "images": (JPEG, PNG, GIF, WEBP, BMP, TIFF),
    "office": (DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT),
    "text": (TEXT,),
}
DEFAULT_ACCEPT = ("pdf", "images", "office", "text")

# Shown inline in the browser; everything else is a download. Markup (SVG, HTML) never is:
# on our origin it would run script in the reader's session.
INLINE = frozenset({PDF, JPEG, PNG, GIF, WEBP, BMP})
MARKUP = frozenset({HTML, SVG, XML})

# How a person names each kind, for refusals ("no raw codes on screen").
GROUP_LABELS = {
    "pdf": ("PDF", "PDF"),
    "images": ("ảnh (JPEG, PNG, GIF, WebP, BMP, TIFF)", "images (JPEG, PNG, GIF, WebP, BMP, TIFF)"),
    "office": (
        "tài liệu Word, Excel, PowerPoint, OpenDocument",
        "Word, Excel, PowerPoint, OpenDocument files",
    ),
    "text": ("văn bản thuần (TXT, CSV)", "plain text (TXT, CSV)"),
}
EXTENSIONS = {
    PDF: "PDF", JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WebP", BMP: "BMP", TIFF: "TIFF",
    DOCX: "DOCX", XLSX: "XLSX", PPTX: "PPTX", ODT: "ODT", ODS: "ODS", ODP: "ODP",
    DOC: "DOC", XLS: "XLS", PPT: "PPT", TEXT: "TXT", ZIP: "ZIP", HTML: "HTML", SVG: "SVG", XML: "XML",
}  # fmt: skip

HEAD = 8192
_PILLOW_MIME = {"JPEG": JPEG, "PNG": PNG, "GIF": GIF, "WEBP": WEBP, "BMP": BMP, "TIFF": TIFF}
_ZIPPED = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
_ODF = {ODT, ODS, ODP}
_MARKUP_TAG = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|script|iframe|object|embed|meta|link|style|img|svg|a\s|"
    rb"form|frameset|base|title|math)\b|<!--",
    re.IGNORECASE,
)
_SVG_TAG = re.compile(rb"<\s*(svg:)?svg\b", re.IGNORECASE)


def expand(accept: tuple[str, ...]) -> frozenset[str]:
    """The MIME types an `accept` list names (groups expanded)."""
    types: set[str] = set()
    for item in accept or DEFAULT_ACCEPT:
        types.update(GROUPS.get(item, (item,)))
    return frozenset(types)


def check_accept(accept: tuple[str, ...]) -> None:
    """Refuse an `accept` list naming something sniffing cannot recognise (a typo)."""
    known = set(EXTENSIONS)
    unknown = [item for item in accept if item not in GROUPS and item not in known]
    if unknown:
        raise ValueError(f"accept: unknown file kinds {unknown}; use {sorted(GROUPS)} or {sorted(known)}")


def describe(accept: tuple[str, ...]) -> tuple[str, str]:
    """("PDF, ảnh ...", "PDF, images ...") for a refusal message."""
    vi, en = [], []
    for item in accept or DEFAULT_ACCEPT:
        label = GROUP_LABELS.get(item) or (EXTENSIONS.get(item, item),) * 2
        vi.append(label[0])
        en.append(label[1])
    return ", ".join(vi), ", ".join(en)


def sniff(stream: IO[bytes]) -> str | None:
    """The MIME type the bytes show, or None when they show nothing we know.

    Reads the head (and, for a zip, its directory) and puts the stream back where it was.
    """
    start = stream.tell() if stream.seekable() else 0
    try:
        stream.seek(0)
        head = stream.read(HEAD)
        return _sniff(stream, head)
    finally:
        stream.seek(start)


def _sniff(stream: IO[bytes], head: bytes) -> str | None:
    if not head:
        return None
    guessed = filetype.guess_mime(head)
    at = head.find(b"%PDF-", 0, 1024)
    if at >= 0 and guessed in (None, PDF) and not _MARKUP_TAG.search(head[:at]):
        return PDF  # the header may sit after a little junk (as readers accept), never after markup
    if guessed is None:
        return _text_kind(head)
    if guessed.startswith("image/"):
        return _image_kind(stream)
    if guessed == ZIP or guessed in (DOCX, XLSX, PPTX) or guessed in _ODF:
        return _zip_kind(stream)
    return guessed  # a known kind (an archive, a program, a video...): the allowlist decides


def _image_kind(stream: IO[bytes]) -> str | None:
    """Pillow reads the header only (no decoding): the format it names, or None if it cannot."""
    from PIL import Image

    try:
        stream.seek(0)
        with Image.open(stream) as image:
            return _PILLOW_MIME.get(image.format or "")
    except Exception:  # any failure means "not an image we can vouch for"
        return None


def _zip_kind(stream: IO[bytes]) -> str | None:
    """An office document is a zip with a known part; the directory says which, nothing inflates."""
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            for part, kind in _ZIPPED.items():
                if part in names:
                    return kind
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in _ODF:
                    return declared
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError):
        return None
    return ZIP


def _text_kind(head: bytes) -> str | None:
    """Text with no markup is plain text; markup is HTML or SVG; NUL bytes are unknown binary."""
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut by the head's end
            try:
                text = head.decode("cp1258")  # Vietnamese Windows text files
            except UnicodeDecodeError:
                return None
        else:
            text = head[: exc.start].decode("utf-8")
    data = text.encode("utf-8")
    if _SVG_TAG.search(data):
        return SVG
    if _MARKUP_TAG.search(data):
        return HTML
    if data.lstrip().startswith(b"<?xml"):
        return XML
    return TEXT
