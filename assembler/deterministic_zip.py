"""Make zip-based files (xlsx, docx) byte-for-byte reproducible.

openpyxl and python-docx stamp every member of the zip with the time of
writing, so two runs of the same generator give different bytes. This helper
rewrites a finished file in place: members sorted by name, each given the
same timestamp, the same compression and no extra fields.

Usage::

    from assembler.deterministic_zip import normalise_zip
    normalise_zip("inputs/data/funding.xlsx")
"""
from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

DEFAULT_DATE_TIME = (2024, 7, 31, 0, 0, 0)

# The members Office expects first; everything else follows in name order.
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def _order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name), "") if name in _FIRST else (len(_FIRST), name)


_CORE = "docProps/core.xml"
_CORE_DATE = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _pin_core_dates(data: bytes, date_time) -> bytes:
    """Set dcterms:created and dcterms:modified in docProps/core.xml to ``date_time``.

    openpyxl writes the time of saving into dcterms:modified whatever the
    workbook's properties say, so the date has to be pinned after saving.
    """
    stamp = "%04d-%02d-%02dT%02d:%02d:%02dZ" % tuple(date_time)
    return _CORE_DATE.sub(lambda m: m.group(1) + stamp.encode() + m.group(2), data)


def normalise_zip(path, date_time=DEFAULT_DATE_TIME, pin_core_dates: bool = True) -> None:
    """Rewrite the zip at ``path`` so that its bytes depend only on its content.

    Every member gets ``date_time``, fixed permissions and DEFLATE
    compression; members are written in a stable order ([Content_Types].xml
    and _rels/.rels first, as Office prefers, then by name). With
    ``pin_core_dates`` (the default) the created/modified dates in
    docProps/core.xml are also set to ``date_time``.
    """
    path = Path(path)
    with zipfile.ZipFile(path, "r") as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()
                   if not info.is_dir()]
    if pin_core_dates:
        members = [(n, _pin_core_dates(d, date_time) if n == _CORE else d) for n, d in members]
    members.sort(key=lambda m: _order(m[0]))

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".normalise-", suffix=path.suffix)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w") as dst:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=tuple(date_time))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0            # same on every platform
                info.external_attr = 0o644 << 16
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


if __name__ == "__main__":  # pragma: no cover - convenience: normalise files named on the command line
    import sys
    for arg in sys.argv[1:]:
        normalise_zip(arg)
