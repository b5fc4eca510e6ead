#!/usr/bin/env bash
# Scores `koe phonemize --jsonl` against misaki's golden phonemes, American (a) and British (b),
# and prints score.py's SUMMARY lines. Builds nothing.
#
#   scripts/score_g2p.sh [path/to/koe]        # default: .build/release/koe
#
# Scores are reported, not asserted: the script fails only when koe crashes or is missing.
# SHARED (default ../shared next to the repository) holds g2p/score.py and the golden files.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KOE="${1:-$ROOT/.build/release/koe}"
SHARED="${SHARED:-$ROOT/../shared}"
if [ ! -x "$KOE" ]; then
  echo "score_g2p: no koe binary at $KOE (build it: swift build -c release --product koe)" >&2
  exit 2
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
status=0
for pair in "a:public_us.jsonl" "b:public_gb.jsonl"; do
  lang="${pair%%:*}"
  gold="$SHARED/g2p/${pair#*:}"
  # The golden lines carry "id" and "text"; koe passes the id through.
  "$KOE" phonemize --jsonl --language "$lang" < "$gold" > "$OUT/pred_$lang.jsonl" 2> "$OUT/err_$lang.txt"
  code=$?
  if [ "$code" -ge 128 ]; then
    echo "score_g2p: koe phonemize crashed (exit $code) on $gold" >&2
    tail -5 "$OUT/err_$lang.txt" >&2
    status=1
    continue
  fi
  python3 "$SHARED/g2p/score.py" "$OUT/pred_$lang.jsonl" "$gold" --show 0 --top-words 0 | grep '^SUMMARY'
done
exit $status
