from assembler.cli import entry_point

entry_point()
