"""What a file really is, from its bytes: a renamed .exe must not reach a parser."""

from __future__ import annotations

import zipfile
from io import BytesIO

from .model import ExtractionError

# A ZIP that inflates to more than this is a zip bomb, not a report.
MAX_UNZIPPED = 200_000_000

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
    if sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise ExtractionError("too_large", "Tệp giải nén quá lớn / the file inflates to too much data")
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
