"""One module per subcommand. Each defines NAME, HELP, add_arguments(parser) and run(args) -> exit code."""

# Print order in `assembler --help`: the yearly workflow, then the tools.
COMMAND_MODULES = ["templates", "send", "fetch", "check", "assign", "chase", "build", "serve", "check_outputs", "config", "schema"]
