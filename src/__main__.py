"""`python -m nanoctl ...` runs the same CLI as the `nanoctl` executable."""

from nanoctl.entrypoints.cli.main import main

raise SystemExit(main())
