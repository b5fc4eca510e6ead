#!/usr/bin/env bash
# Scores `koe phonemize --language ja --jsonl` against misaki's Japanese golden phonemes
# (../shared/g2p/ja/public_ja.jsonl) and prints score.py's SUMMARY line. Builds nothing.
#
#   scripts/score_g2p_ja.sh [path/to/koe]        # default: .build/release/koe
#
# Koe's deliberate differences from misaki (README) count as errors here. The script fails
# when koe crashes or is missing, or when the scores miss PER <= 1.5 % or word match >= 95 %.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KOE="${1:-$ROOT/.build/release/koe}"
SHARED="${SHARED:-$ROOT/../shared}"
GOLD="$SHARED/g2p/ja/public_ja.jsonl"
if [ ! -x "$KOE" ]; then
  echo "score_g2p_ja: no koe binary at $KOE (build it: swift build -c release --product koe)" >&2
  exit 2
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$KOE" phonemize --jsonl --language ja < "$GOLD" > "$OUT/pred.jsonl" 2> "$OUT/err.txt"
code=$?
if [ "$code" -ne 0 ]; then
  echo "score_g2p_ja: koe phonemize failed (exit $code) on $GOLD" >&2
  tail -5 "$OUT/err.txt" >&2
  exit 1
fi
summary="$(python3 "$SHARED/g2p/score.py" "$OUT/pred.jsonl" "$GOLD" --show 0 --top-words 0 | grep '^SUMMARY')"
echo "$summary"
python3 - "$summary" <<'PY'
import re, sys
s = sys.argv[1]
per = float(re.search(r" PER=([\d.]+)%", s).group(1))
word = float(re.search(r"word_acc=([\d.]+)%", s).group(1))
if per > 1.5 or word < 95:
    sys.exit(f"score_g2p_ja: PER {per}% (limit 1.5) or word match {word}% (limit 95) missed")
PY
