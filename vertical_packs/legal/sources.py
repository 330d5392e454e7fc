"""Read a `source` slot: either a path to a readable document (.txt, .md, .docx, .pdf) or the text itself.

The same slot serves "list the cases cited in brief.pdf" and a pasted paragraph, so the value is taken as a
path when it looks like one (one line, ends in a document suffix or names an existing file); a value that
looks like a path but names nothing readable is an error, never silently treated as text.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from intents.sdk import ParameterError

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".rst", ".csv", ".log", ".html", ".htm", ".xml", ".json"}
DOC_SUFFIXES = {".docx", ".pdf"}
REFUSED_SUFFIXES = {".doc": "legacy Word .doc files are not supported; save it as .docx or PDF",
                    ".rtf": "RTF is not supported; save it as .docx, PDF or plain text",
                    ".pages": "Pages files are not supported; export to .docx or PDF"}
MAX_FILE_BYTES = 25 * 1024 * 1024  # a long brief with exhibits as PDF is a few MB; more is likely a mistake
MAX_TEXT_CHARS = 5_000_000  # ~1,500 pages of text
_PATHLIKE = re.compile(r"^[^\n\r]{1,1024}\.[A-Za-z0-9]{1,9}$")


@dataclass
class Source:
    text: str
    path: Path | None = None  # None when the text was given inline
    kind: str = "text"  # text, docx, pdf, inline
    pages: int | None = None

    @property
    def label(self) -> str:
        return str(self.path) if self.path else f"text given inline ({len(self.text)} characters)"


def looks_like_path(value: str) -> bool:
    value = value.strip()
    if not value or "\n" in value or len(value) > 1024:
        return False
    if os.path.exists(os.path.expanduser(value)):
        return True
    if not _PATHLIKE.match(value):
        return False
    suffix = Path(value).suffix.lower()
    if suffix in TEXT_SUFFIXES | DOC_SUFFIXES | set(REFUSED_SUFFIXES):
        # "1 F.4th 1" has no document suffix; "see Exhibit.pdf" with spaces and a suffix is still a path
        return True
    return False


def read_source(value: str, param: str = "source") -> Source:
    """The text of `value` (a path or the text itself); ParameterError(param) for anything unusable."""
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(param, "give a file path or the text itself; it was empty")
    if not looks_like_path(value):
        if len(value) > MAX_TEXT_CHARS:
            raise ParameterError(param, f"the text is {len(value):,} characters; the limit is {MAX_TEXT_CHARS:,}")
        return Source(text=value, kind="inline")
    return read_file(Path(os.path.expanduser(value.strip())), param)


def read_file(path: Path, param: str = "source") -> Source:
    if not path.exists():
        raise ParameterError(param, f"no such file: {path}")
    if path.is_dir():
        raise ParameterError(param, f"{path} is a folder; give one document (.txt, .md, .docx or .pdf)")
    if not path.is_file():
        raise ParameterError(param, f"{path} is not a regular file")
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise ParameterError(param, f"{path.name}: {REFUSED_SUFFIXES[suffix]}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ParameterError(param, f"{path.name} is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if not os.access(path, os.R_OK):
        raise ParameterError(param, f"{path} is not readable (permission denied)")
    try:
        if suffix == ".docx":
            src = _read_docx(path, param)
        elif suffix == ".pdf":
            src = _read_pdf(path, param)
        else:
            src = Source(text=_read_text(path, param), path=path, kind="text")
    except PermissionError:
        raise ParameterError(param, f"{path} is not readable (permission denied)") from None
    if not src.text.strip():
        raise ParameterError(param, f"{path.name} contains no text")
    if len(src.text) > MAX_TEXT_CHARS:
        raise ParameterError(param, f"{path.name} holds {len(src.text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    return src


def _read_text(path: Path, param: str) -> str:
    data = path.read_bytes()
    head = data[:8192]
    if b"\x00" in head and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        raise ParameterError(param, f"{path.name} looks like a binary file, not text; give a .txt, .md, .docx or .pdf")
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ParameterError(param, f"{path.name} is not valid UTF-16 text") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Word-processor exports on Windows are often cp1252; latin-1 never fails, so it is the last resort
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _read_docx(path: Path, param: str) -> Source:
    from docx import Document

    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises zip, XML and package errors alike for a damaged file
        raise ParameterError(param, f"{path.name} is not a readable .docx file ({type(exc).__name__})") from None
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:  # contracts often keep parties and amounts in tables
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if cell.text not in cells:  # merged cells repeat their text
                    cells.append(cell.text)
            parts.append("\t".join(cells))
    return Source(text="\n".join(parts), path=path, kind="docx")


def _read_pdf(path: Path, param: str) -> Source:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParameterError(param, f"{path.name} is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ParameterError:
        raise
    except Exception as exc:  # PdfReadError, or lower-level errors from a damaged file
        raise ParameterError(param, f"{path.name} is not a readable PDF ({exc})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ParameterError(param, f"{path.name} has no text layer (a scan?); run OCR on it first")
    return Source(text=text, path=path, kind="pdf", pages=len(pages))


SOURCE_DESCRIPTION = "A file path (.txt, .md, .docx or .pdf) or the text itself"
