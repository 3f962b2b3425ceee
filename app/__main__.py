"""`python -m app` is the same as the `kestrel` command."""

from app.launch import main

raise SystemExit(main())
