#!/usr/bin/env bash
# Rewrites what docs/ carries generated from the command table: the command list in
# docs/PROTOCOL.md and the OpenAPI document docs/openapi.json (pretty-printed; the server
# serves the same document at GET /openapi.json).
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
"$gen" --openapi | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), indent=2, ensure_ascii=False))' > docs/openapi.json
rm -f "$list"
