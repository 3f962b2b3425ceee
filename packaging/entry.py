"""The bundle's entry point: the same as the `kestrel` command."""

from app.cli import main

raise SystemExit(main())
