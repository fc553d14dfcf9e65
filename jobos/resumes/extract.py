"""A resume's type from its bytes (not its name) and its text, within limits against bombs."""
from __future__ import annotations

import io
import zipfile

from jobos.config import env_int

MAX_BYTES = 5 * 1024 * 1024
MAX_PAGES = 30
MAX_UNZIPPED = 30 * 1024 * 1024  # a DOCX's parts together, decompressed
MAX_TEXT = 200_000


class ResumeRefused(ValueError):
    """The upload is not a resume we read (type, size or limits); the message says why."""


def max_bytes() -> int:
    return env_int("JOBOS_RESUME_MAX_BYTES", MAX_BYTES)


def sniff(content: bytes) -> str | None:
    """Return 'pdf', 'docx' or 'text' from the content's own bytes, or None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        return "docx" if "word/document.xml" in names and "[Content_Types].xml" in names else None
    if b"\x00" in content[:8192]:
        return None
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text"


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text": "text/plain",
}


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise ResumeRefused("The PDF is encrypted: upload one that opens without a password")
        if len(reader.pages) > MAX_PAGES:
            raise ResumeRefused(f"The PDF has {len(reader.pages)} pages; a resume may have at most {MAX_PAGES}")
        parts, size = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            size += len(text)
            if size > MAX_TEXT:
                break
            parts.append(text)
    except ResumeRefused:
        raise
    except LimitReachedError:  # pypdf stops a stream that inflates past its limit (75 MB)
        raise ResumeRefused("The PDF unpacks to more than a resume holds") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        # A hostile or broken file makes the parser fail in many ways; none is our error.
        raise ResumeRefused(f"The PDF cannot be read ({type(exc).__name__})") from None
    return "\n".join(parts)


def _docx_text(content: bytes) -> str:
    import docx

    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        unzipped = sum(info.file_size for info in zf.infolist())
        if unzipped > MAX_UNZIPPED:  # declared sizes; the bomb's trick is a small file that grows
            raise ResumeRefused("The DOCX unpacks to more than 30 MB: that is not a resume")
        for info in zf.infolist():  # declared sizes can lie: read each part within the limit
            with zf.open(info) as part:
                if len(part.read(MAX_UNZIPPED + 1)) > MAX_UNZIPPED:
                    raise ResumeRefused("The DOCX unpacks to more than 30 MB: that is not a resume")
    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise ResumeRefused(f"The DOCX cannot be read: {type(exc).__name__}") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def extract(content: bytes) -> tuple[str, str]:
    """Return (kind, text) of an upload, or raise ResumeRefused with a sentence."""
    if not content:
        raise ResumeRefused("The upload is empty")
    if len(content) > max_bytes():
        raise ResumeRefused(f"The file is larger than {max_bytes() // (1024 * 1024)} MB")
    kind = sniff(content)
    if kind is None:
        raise ResumeRefused("Only PDF, DOCX and plain-text (UTF-8) resumes are read; this file is none of them")
    if kind == "pdf":
        text = _pdf_text(content)
    elif kind == "docx":
        text = _docx_text(content)
    else:
        text = content.decode("utf-8")
    text = text.replace("\x00", "")[:MAX_TEXT].strip()
    if not text:
        raise ResumeRefused("No text could be read from the file (a scanned PDF has none)")
    return kind, text
