#!/usr/bin/env bash
# `koe serve` against fastkokoro 0.7.0 (an OpenAI-compatible onnxruntime server), side by
# side in one run: same machine, model file, voice and texts, the same generic client
# (bench_server.py of the shared peers folder) against each server in turn. Prints one table
# with the ratios koe / fastkokoro: streamed time to first byte (short, medium, long text),
# latency per format, throughput at 1, 2 and 4 clients, server RSS.
#
#   bash scripts/bench_server.sh            # after a release build: swift build -c release
#
# Development tool only (the product never runs Python). The peer is provisioned once into
# $KOE_HOME/venv-fastkokoro (pip, pinned); nothing of it is committed. Each server is
# started, measured and stopped before the other starts, so neither competes with the other.
# Environment: KOE_HOME (default ~/.cache/koe), KOE_PEERS (the folder with bench_server.py
# and start_fastkokoro.sh, default /work/shared/peers), KOE_BIN (default .build/release/koe),
# BENCH_ARGS (extra arguments for the client, e.g. "--throughput-requests 2,4,4"), BENCH_OUT
# (where the clients' JSON and reports stay, default $KOE_HOME/bench-server), PEER_NICE (the
# niceness fastkokoro runs at, default 5: Koe's compute lane runs at nice 5, so on a machine
# shared with other work both servers' compute competes on the same footing).
set -euo pipefail
cd "$(dirname "$0")/.."
KOE_HOME=${KOE_HOME:-$HOME/.cache/koe}
PEERS=${KOE_PEERS:-/work/shared/peers}
KOE_BIN=${KOE_BIN:-.build/release/koe}
VENV=$KOE_HOME/venv-fastkokoro
MODEL=$KOE_HOME/kokoro-v1.0.int8.onnx
VOICES=$KOE_HOME/voices_ja.npz
BENCH_OUT=${BENCH_OUT:-$KOE_HOME/bench-server}
PEER_NICE=${PEER_NICE:-5}
FK_PORT=${FK_PORT:-8891}
KOE_PORT=${KOE_PORT:-8892}

for f in "$PEERS/bench_server.py" "$PEERS/start_fastkokoro.sh" "$MODEL" "$VOICES" "$KOE_BIN"; do
  [ -e "$f" ] || { echo "bench_server: missing $f" >&2; exit 1; }
done

# The peer, once: fastkokoro 0.7.0 with its CPU extra, and what the client needs.
if ! "$VENV/bin/python" -c 'import fastkokoro, openai, psutil, httpx' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'fastkokoro[cpu]==0.7.0' openai psutil httpx
fi

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
# start_fastkokoro.sh reads $MODEL_DIR/kokoro-v1.0.int8.onnx and $MODEL_DIR/voices.npz, and
# expects its venv at $PEERS_DIR/venv-fk: links, so $KOE_HOME is left as it is.
mkdir -p "$WORK/model"
ln -s "$MODEL" "$WORK/model/kokoro-v1.0.int8.onnx"
ln -s "$VOICES" "$WORK/model/voices.npz"
ln -s "$VENV" "$WORK/venv-fk"
export PEERS_DIR=$WORK MODEL_DIR=$WORK/model

client() {  # label port voice [extra client arguments]
  local label=$1 port=$2 voice=$3
  shift 3
  # shellcheck disable=SC2086
  "$VENV/bin/python" "$PEERS/bench_server.py" --base-url "http://127.0.0.1:$port/v1" --model kokoro \
    --voice "$voice" --label "$label" --out-json "$BENCH_OUT/$label.json" "$@" ${BENCH_ARGS:-} > "$BENCH_OUT/$label.txt"
}
mkdir -p "$BENCH_OUT"

echo "== koe serve ($(git rev-parse --short HEAD 2>/dev/null || echo dev)) on :$KOE_PORT" >&2
"$KOE_BIN" serve --port "$KOE_PORT" --model "$MODEL" --voices "$VOICES" --log-level warning > "$WORK/koe.log" 2>&1 &
KOE_PID=$!
PIDS+=("$KOE_PID")
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$KOE_PORT/ready" > /dev/null && break
  kill -0 "$KOE_PID" 2>/dev/null || { cat "$WORK/koe.log" >&2; exit 1; }
  sleep 0.1
done
client koe "$KOE_PORT" jf_alpha --server-pid "$KOE_PID"
kill -TERM "$KOE_PID"
wait "$KOE_PID" || true

echo "== fastkokoro 0.7.0 on :$FK_PORT" >&2
PORT=$FK_PORT nice -n "$PEER_NICE" bash "$PEERS/start_fastkokoro.sh" >&2
FK_PID=$(cat "$WORK/logs/fastkokoro.pid")
PIDS+=("$FK_PID")
client fastkokoro "$FK_PORT" jf_alpha_en --lang en-us --server-pid "$FK_PID"
kill -TERM "$FK_PID"

"$VENV/bin/python" - "$BENCH_OUT/koe.json" "$BENCH_OUT/fastkokoro.json" <<'PY'
import json, sys
koe, fk = (json.load(open(p)) for p in sys.argv[1:3])

def row(name, a, b, better):
    if a is None or b is None:
        print(f"| {name} | {a} | {b} | - | {better} |")
        return
    print(f"| {name} | {a:.2f} | {b:.2f} | {a / b:.2f}x | {better} |")

print("| measure | koe | fastkokoro | koe / fastkokoro | better |")
print("|---|---:|---:|---:|---|")
stream = lambda r: {x["text"]: x.get("ttfb_s") for x in r["stream"]}
for text in ("short", "medium", "long"):
    row(f"streamed first byte, {text} text (s)", stream(koe).get(text), stream(fk).get(text), "lower")
fmt = lambda r: {x["format"]: x.get("total_s") for x in r["formats"]}
for f in fmt(koe):
    row(f"latency, {f}, medium text, whole file (s)", fmt(koe)[f], fmt(fk).get(f), "lower")
# Audio seconds per wall second: requests per second times the length of the throughput text's
# audio (from the exact pcm of the streaming phase). The client reads a WAV's length from its
# header, and a streamed WAV (Kokoro-FastAPI's default "stream": true, which koe follows) has
# none, so its own audio_s_per_s is not used.
def thr(r):
    length = {x["text"]: x.get("audio_s") for x in r["stream"]}.get("short")
    return {x["concurrency"]: x["req_per_s"] * length if length and x.get("ok") else None for x in r["throughput"]}
for c in thr(koe):
    row(f"throughput, {c} client{'s' if c > 1 else ''}, short text (audio s per s)", thr(koe)[c], thr(fk).get(c), "higher")
foreign = lambda r: max([x.get("foreign_cpu_pct") or 0 for x in r["stream"] + r["throughput"]], default=0)
mem = lambda r, k: (r.get("server_mem_mb") or {}).get(k)
row("server RSS at the end (MB)", mem(koe, "VmRSS"), mem(fk, "VmRSS"), "lower")
row("server peak RSS (MB)", mem(koe, "VmHWM"), mem(fk, "VmHWM"), "lower")
for r in (koe, fk):
    print(f"{r['label']}: other processes used up to {foreign(r):.0f} % of the machine during its phases")
    oa = r.get("openai", {})
    ok = {k: v.get("ok") for k, v in oa.items() if isinstance(v, dict)}
    print(f"{r['label']}: {r['requests_sent']} requests in {r['wall_s']:.0f} s; openai SDK {oa.get('version', '-')}: {ok}")
PY
echo "client reports and JSON: $BENCH_OUT" >&2
cat "$BENCH_OUT/koe.txt" "$BENCH_OUT/fastkokoro.txt" >&2
