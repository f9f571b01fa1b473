"""Office files (XLSX, DOCX) with fixed member times, so the same draft gives the same bytes.

openpyxl and python-docx stamp every zip member with the current time; the wizard's download and
`seloste record` must be byte-identical (the house rule for every output), so the package is
rewritten once with a fixed time and the members in their original order.
"""

from __future__ import annotations

import io
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def fixed_zip(data: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """`data` rewritten with fixed member times; members named in `replace` get new content."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            dst.writestr(member, replace.get(info.filename) or src.read(info.filename))
    return out.getvalue()
