"""What a file really is, from its bytes: a renamed .exe must not reach a parser."""

from __future__ import annotations

import zipfile
from io import BytesIO

from .model import ExtractionError

# A ZIP that inflates to more than this is a zip bomb, not a report. A ZIP member's
# declared size is a real bound: zipfile stops inflating there (and then fails the CRC).
MAX_UNZIPPED = 200_000_000
# Parts a reader holds whole in memory (shared strings, a Word body): tighter, since their
# parsed form costs several times their XML. Sheets are streamed, so only the total counts.
MAX_WHOLE_PART = 50_000_000
WHOLE_PARTS = ("xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml", "word/document.xml")

_UNSUPPORTED = (
    "Định dạng tệp không được hỗ trợ; hãy tải lên XLSX, DOCX hoặc PDF "
    "/ unsupported file type; upload XLSX, DOCX or PDF"
)


def detect_format(data: bytes) -> str:
    """ "xlsx", "docx" or "pdf", or an :class:`ExtractionError` saying why not."""
    if not data:
        raise ExtractionError("corrupt", "Tệp rỗng / the file is empty")
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ExtractionError(
            "unsupported",
            "Tệp Office định dạng cũ (.xls/.doc) hoặc có mật khẩu; hãy lưu lại thành .xlsx/.docx "
            "/ legacy (.xls/.doc) or password-protected Office file; save it as .xlsx/.docx",
        )
    raise ExtractionError("unsupported", _UNSUPPORTED)


def _zip_format(data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ExtractionError(
            "corrupt", "Tệp bị hỏng hoặc tải lên không hết / the file is damaged or truncated"
        ) from exc
    if sum(i.file_size for i in infos) > MAX_UNZIPPED or any(
        i.file_size > MAX_WHOLE_PART for i in infos if i.filename in WHOLE_PARTS
    ):
        raise ExtractionError(
            "too_large",
            f"Tệp giải nén quá lớn (nén quá mức, tối đa {MAX_UNZIPPED // 1_000_000} MB) / "
            f"the file inflates to too much data ({MAX_UNZIPPED // 1_000_000} MB at most)",
        )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names:
        raise ExtractionError(
            "unsupported",
            "Tệp OpenDocument (.ods/.odt) chưa được hỗ trợ; hãy lưu thành .xlsx/.docx "
            "/ OpenDocument files are not supported; save as .xlsx/.docx",
        )
    raise ExtractionError("unsupported", _UNSUPPORTED)


def inflated_size(data: bytes) -> int:
    """What a ZIP-based file (XLSX, DOCX) declares it inflates to; its own size otherwise."""
    if not data.startswith(b"PK\x03\x04"):
        return len(data)
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            return sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return len(data)
