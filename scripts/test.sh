#!/usr/bin/env bash
# The test command: provisions what the tests need (Debian packages, model files,
# the onnxruntime oracle environment and its reference dumps), then runs every test
# optimised (numeric tests are 10-100x slower in debug).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provision.sh --dev >/dev/null
bash scripts/make_test_data.sh >/dev/null
# Tests that measure the whole process or run against the clock (cooperative-pool latency,
# resident memory, the daemon's speaker and PulseAudio stream) run on
# their own afterwards, so that no other suite adds to what they measure.
solo='ComputeLaneResponsivenessTests|aTwentyThousandWordBookStreamsInBoundedMemory'
clocked='KoeDaemonTests'
swift test -c release -Xswiftc -enable-testing --skip "$solo|$clocked" "$@"
swift test -c release -Xswiftc -enable-testing --skip-build --filter "$solo"
swift test -c release -Xswiftc -enable-testing --skip-build --filter "$clocked"
# The integer convolutions and Linears again on the instruction set of CPUs without VNNI (16-bit pair
# sums in vpmaddubsw), whatever this machine has: oneDNN honours the limit.
DNNL_MAX_CPU_ISA=AVX2 swift test -c release -Xswiftc -enable-testing --skip-build \
  --filter 'QuantizedConvTests|QuantizedLinearTests|EndToEndTests'
