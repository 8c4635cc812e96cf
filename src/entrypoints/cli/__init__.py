"""The `nanoctl` command line, on cleo.

- ``main``: the process (streams, argv) and the answers given before cleo is imported
  (``--version``, the front page); the console script runs ``main.main``;
- ``table``: every command, global option and variable, as data;
- ``app``: the cleo application, whose loader builds each command of the table with its
  description and the run's container; ``boundary``: every failure as one line (or JSON)
  and its exit code;
- ``command``: what every command shares; then one module per command (``login``,
  ``logout``, ``status``, ``token``, ``exec``, ``help``, ``completions``), holding its
  options, its help page, its ``handle()``, its own lines and its JSON.
"""
