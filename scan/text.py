"""Text that every reader of ours can hold: browsers, spreadsheets and XML files.

XML 1.0 (and so every .xlsx and .docx) forbids the C0 control characters but
tab and line ends, lone surrogates, and U+FFFE and U+FFFF; Unicode also sets
aside U+FDD0..U+FDEF and the last two code points of every plane as
"non-characters", which no text is meant to carry. One such character typed by
an anonymous respondent made the workbook of every set they commented on
unreadable. So they are removed where text comes in (every form, see
scan.web.security) and again where a file is written (scan.exports), for
text stored before this rule. C1 controls (U+0080..U+009F) go as well: XML
allows them but discourages them, and no keyboard types them.
"""

from __future__ import annotations

import re

_PLANE_ENDS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}-{chr(plane * 0x10000 + 0xFFFF)}"
                      for plane in range(17))
XML_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _PLANE_ENDS + "]")


def xml_safe(text: str) -> str:
    """The text without the characters an XML file (or a spreadsheet) cannot hold;
    tabs and line ends stay."""
    return XML_UNSAFE.sub("", text)
