"""The partnership's own text is held to the same rule as the agencies': no placeholder ('xx%', 'TBC',
'[insert …]') reaches print. The published report this project learned from printed an 'xx%' in its
own introduction."""

from __future__ import annotations

from assembler.errors import InputError
from assembler.template_fields import find_placeholder


def placeholder_error(file: str, text: str, first_line: int = 1, field: str | None = None) -> InputError | None:
    """An error at the line of the first placeholder left in `text` (whose first line is `first_line` of
    the file), or None."""
    found = find_placeholder(text)
    if found is None:
        return None
    at = text.find(found)
    line = first_line + text[:at].count("\n") if at >= 0 else None
    return InputError(file, f"the placeholder '{found}' is still in the text", "write the real words or figure in its place",
                      line=line, field=field or "placeholder", code="placeholder_text")
