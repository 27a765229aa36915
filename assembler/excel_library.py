"""openpyxl, for every module that reads or writes Excel: import it from here, before its submodules.

When numpy is installed, openpyxl imports it (about 0.14 s, longer than openpyxl
itself) only so that cells accept numpy numbers. The assembler never gives it
any, so numpy is hidden while openpyxl loads, and importable again afterwards.
"""

from __future__ import annotations

import sys

_HIDE_NUMPY = "numpy" not in sys.modules
if _HIDE_NUMPY:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError, as when it is absent
try:
    import openpyxl
finally:
    if _HIDE_NUMPY:
        del sys.modules["numpy"]

__all__ = ["openpyxl"]
