"""The one test of what counts as a colour in cxlab: ``#rgb`` or ``#rrggbb``.

client.yaml's branding, the culture questionnaire page and the report template all take a colour from
the user and write it into CSS; they accept exactly the same values through :func:`is_hex_colour`.
"""

from __future__ import annotations

import re

from .i18n import N_

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")

#: what the error messages say a colour looks like (a msgid of the settings catalog)
HEX_COLOUR_EXAMPLE = N_("a colour like #1f4e79 or #fff")


def is_hex_colour(value: object) -> bool:
    """True for ``#rgb`` and ``#rrggbb`` (either case); False for anything else, ``#zzzzzz`` included."""
    return isinstance(value, str) and _HEX_COLOUR.fullmatch(value) is not None
