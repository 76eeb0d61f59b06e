"""The exit codes of ``nnviz`` besides 0 (done), 1 (a user's error) and 2 (a bad option)."""

#: A bug caught by the last-resort handler (sysexits' EX_SOFTWARE).
EXIT_BUG = 70
#: Ctrl+C: 128 + SIGINT, as a shell reports it.
EXIT_INTERRUPTED = 130
