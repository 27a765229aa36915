"""assembler: turns partner agencies' returns into a finished, branded annual report."""

__version__ = "0.1.0"
