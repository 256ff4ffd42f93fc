#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 does not install on 3.11+).
# Looks at $PYTHON310, python3.10 on PATH, then pyenv's versions folder.
set -u
is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for p in $(ls -d "$root"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V -r); do candidates+=("$p"); done
for p in /usr/bin/python3.10 /usr/local/bin/python3.10; do candidates+=("$p"); done
for p in "${candidates[@]}"; do
  if is_310 "$p"; then echo "$p"; exit 0; fi
done
echo "No Python 3.10 found: install it (e.g. 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10" >&2
exit 1
