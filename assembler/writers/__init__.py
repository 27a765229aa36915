"""The writers: one package per output format, each registered here once.

WRITERS is what `build`, `check-outputs` and the nothing-lost check loop over. A new output format is
a package under writers/ whose __init__.py defines its `WRITER` (writers/format.py says what it
holds), and one entry below. The order is the order the build writes them in.
"""

from assembler.writers import docx, pdf
from assembler.writers.format import OutputFormat

WRITERS: dict[str, OutputFormat] = {writer.name: writer for writer in (pdf.WRITER, docx.WRITER)}

__all__ = ["WRITERS", "OutputFormat"]
