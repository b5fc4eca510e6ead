#!/usr/bin/env bash
# The test command: provisions what the tests need (Debian packages, model files,
# the onnxruntime oracle environment and its reference dumps), then runs every test
# optimised (numeric tests are 10-100x slower in debug).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provision.sh --dev >/dev/null
bash scripts/make_test_data.sh >/dev/null
swift test -c release -Xswiftc -enable-testing "$@"
