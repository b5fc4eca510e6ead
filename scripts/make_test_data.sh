#!/usr/bin/env bash
# Build the reference data the tests compare against: onnxruntime oracle dumps
# for a few phoneme inputs and the de-quantised weights, written by the shared
# Python tools into $KOE_HOME/testdata. Needs `scripts/provision.sh --dev` first.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${KOE_SHARED:-$ROOT/../shared}"
KOE_HOME="${KOE_HOME:-$HOME/.cache/koe}"
OUT="${KOE_TEST_DATA:-$KOE_HOME/testdata}"
PY="$KOE_HOME/venv/bin/python"
export KOKORO_ONNX="$KOE_HOME/kokoro-v1.0.int8.onnx" KOKORO_VOICES="$KOE_HOME/voices_ja.npz" KOKORO_VOCAB="$KOE_HOME/vocab.json"
mkdir -p "$OUT"
stamp="$OUT/.complete-v2"
[ -f "$stamp" ] && { echo "$OUT"; exit 0; }

oracle() { # name voice speed phonemes
  "$PY" "$SHARED/kokoro/onnx_oracle.py" --voice "$2" --speed "$3" --phonemes "$4" --taps all --out "$OUT/$1.npz" --wav "$OUT/$1.wav" >/dev/null
}
oracle ja_short jf_alpha 1.0 "kˈoːkoɾo wa ɡenki desɯ."
oracle en_hello jf_alpha 1.0 "həlˈoʊ wˈɜːld! ðɪs ɪz kˈoʊ, ɐ spˈiːʧ sˈɪnθəsˌaɪzɚ."
oracle en_fast jm_kumo 1.3 "ðə kwˈɪk bɹˈaʊn fˈɑːks dʒˈʌmps ˌoʊvɚ ðə lˈeɪzi dˈɑːɡ."
"$PY" "$SHARED/kokoro/onnx_oracle.py" --voice jf_alpha --phonemes-file "$SHARED/kokoro/ph200.txt" --taps core --out "$OUT/ph200.npz" --wav "$OUT/ph200.wav" >/dev/null
"$PY" "$SHARED/kokoro/kokoro_onnx_weights.py" --model "$KOKORO_ONNX" --npz "$OUT/weights_f32.npz" >/dev/null
touch "$stamp"
echo "$OUT"
