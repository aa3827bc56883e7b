#!/usr/bin/env bash
# Rewrites the generated command list in docs/PROTOCOL.md from the command table.
# usage: docs/update-command-list.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
gen="${1:-build}/kyc-gen-docs"
list=$(mktemp)
"$gen" > "$list"
python3 - "$list" <<'PY'
import re, sys
doc = open("docs/PROTOCOL.md").read()
new = open(sys.argv[1]).read()
begin, end = "<!-- commands:begin -->\n", "<!-- commands:end -->"
i, j = doc.index(begin) + len(begin), doc.index(end)
open("docs/PROTOCOL.md", "w").write(doc[:i] + new + doc[j:])
PY
rm -f "$list"
