#!/usr/bin/env bash
# The built bundle on a fresh SQLite file: the self-test (schema from the bundled
# migrations, demo store, a counter sale, its receipt to the preview printer, kestrel
# check), then the window itself, offscreen, signed in, until it is ready.
set -euo pipefail
BUNDLE=${1:-dist/kestrel/kestrel}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export KESTREL_HOME="$WORK/home" QT_QPA_PLATFORM=offscreen
DB="sqlite:///$WORK/smoke.sqlite"
"$BUNDLE" selftest --database "$DB"
KESTREL_PASSWORD=selftest-pass "$BUNDLE" --database "$DB" --sign-in admin --exit-when-ready
echo "bundle smoke test passed"
