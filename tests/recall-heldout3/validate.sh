#!/usr/bin/env bash
# Validity check for the third held-out recall corpus: see tests/recall-validate.sh (shared by
# every recall corpus folder). Usage: tests/recall-heldout3/validate.sh (KIKU=path/to/kiku).
exec "$(dirname "$0")/../recall-validate.sh" "$(dirname "$0")"
