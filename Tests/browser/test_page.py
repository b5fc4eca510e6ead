#!/usr/bin/env python3
"""The web page of `koe serve` in real headless browsers: Chromium (Selenium + Debian's
chromedriver) and Firefox ESR (its built-in WebDriver BiDi), against `koe serve` with the
real model on a free loopback port, with a private PulseAudio (a null sink and a silent
keep-alive stream: Firefox's audio clock only runs with a sound server).

    python Tests/browser/test_page.py .build/release/koe    # prints figures and 'N passed, N failed'

Screenshots and logs go to $KOE_BROWSER_OUT (default .build/screenshots). Times are printed,
never asserted.
"""
import http.server, traceback, json, os, re, shutil, signal, statistics, subprocess, sys, tempfile, threading, time, urllib.request
from pathlib import Path
from drivers import Chromium, Firefox

HERE = Path(__file__).resolve().parent
KOE = sys.argv[1] if len(sys.argv) > 1 else ".build/release/koe"
OUT = Path(os.environ.get("KOE_BROWSER_OUT", ".build/screenshots")).resolve()
BROWSERS = (os.environ.get("KOE_BROWSERS") or "chromium,firefox").split(",")
VOICE, LANG = "jf_alpha", "a"  # jf_alpha speaks English text too
TEXT = ("The lighthouse keeper climbed the stairs at dusk. "
        "He had lit the lamp every night for forty years, through storms and calm seas alike. "
        "Tonight the sea was quiet, and the light turned slowly over the water.")
MAX_CHARS = 3000  # not the default, so the page's limit must come from the server
TOLERANCE = 0.1   # seconds between a highlighted word and the audio clock
results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    results["passed" if condition else "failed"] += 1
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f": {detail}"), flush=True)
    return condition


# ---- services: PulseAudio, koe serve, the bare tone page ---------------------------------------

class Services:
    def __init__(self, root):
        self.root = root
        self.procs = []
        runtime = Path(root, "xdg")
        runtime.mkdir(mode=0o700)
        self.env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), PULSE_RUNTIME_PATH=str(runtime / "pulse"))
        self.env.pop("PULSE_SERVER", None)

    def start_pulse(self):
        pulse = subprocess.Popen(["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--log-target=stderr",
                                  "--load=module-null-sink sink_name=koe_browser", "--load=module-native-protocol-unix"],
                                 env=self.env, stdout=subprocess.DEVNULL, stderr=open(OUT / "pulseaudio.log", "w"))
        self.procs.append(pulse)
        for _ in range(200):
            if subprocess.run(["pactl", "info"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
                break
            if pulse.poll() is not None:
                raise RuntimeError(f"pulseaudio exited with {pulse.returncode}; see {OUT / 'pulseaudio.log'}")
            time.sleep(0.05)
        else:
            raise RuntimeError("pulseaudio did not answer in 10 s")
        subprocess.run(["pactl", "set-default-sink", "koe_browser"], env=self.env, check=True, timeout=10)
        # Without a stream an idle null sink renders in 2 s blocks, and each new stream waits for one.
        self.procs.append(subprocess.Popen(["pacat", "--playback", "--raw", "--latency-msec=20", "/dev/zero"], env=self.env,
                                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def start_koe(self):
        self.koe_log = open(OUT / "koe-serve.log", "w")
        proc = subprocess.Popen([KOE, "serve", "--port", "0", "--max-input-chars", str(MAX_CHARS)], env=self.env,
                                stdout=subprocess.PIPE, stderr=self.koe_log, text=True)
        self.procs.append(proc)
        line = proc.stdout.readline()
        m = re.search(r":(\d+)\s*$", line)
        if not m:
            raise RuntimeError(f"koe serve printed {line!r} instead of its port; see {OUT / 'koe-serve.log'}")
        self.base = f"http://127.0.0.1:{m.group(1)}"
        end = time.monotonic() + 120
        while time.monotonic() < end:
            try:
                if urllib.request.urlopen(self.base + "/ready", timeout=2).status == 200:
                    return
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"koe serve exited with {proc.returncode}; see {OUT / 'koe-serve.log'}")
                time.sleep(0.1)
        raise RuntimeError("koe serve was not ready in 120 s")

    def start_tone_page(self):
        handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(HERE))
        http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.tone_url = f"http://127.0.0.1:{self.http.server_address[1]}/tone.html"

    def stop(self):
        if hasattr(self, "http"):
            self.http.shutdown()
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


# ---- the server seen directly -----------------------------------------------------------------

def post(base, body):
    req = urllib.request.Request(base + "/v1/audio/speech", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    return urllib.request.urlopen(req, timeout=120)


def server_speech(base, runs=1):
    """The speech the page will ask for, straight from the server: time to first byte (the
    median of `runs`) and the word timestamps."""
    body = {"input": TEXT, "voice": VOICE, "lang_code": LANG, "response_format": "pcm", "stream_format": "sse"}
    firsts, words = [], []
    for _ in range(runs):
        t0 = time.monotonic()
        with post(base, body) as r:
            first = r.read(1)
            firsts.append(time.monotonic() - t0)
            data = (first + r.read()).decode()
    events = [json.loads(b[6:]) for b in data.split("\n\n") if b.startswith("data: ")]
    for e in events:
        if e["type"] == "speech.words":
            words += e["words"]
    return statistics.median(firsts), words


def first_byte_metric(base):
    """The server's own total and count of times to first byte, from /metrics."""
    text = urllib.request.urlopen(base + "/metrics", timeout=30).read().decode()
    total = float(re.search(r"^koe_time_to_first_byte_seconds_sum\S* (\S+)$", text, re.M).group(1))
    count = float(re.search(r"^koe_time_to_first_byte_seconds_count\S* (\S+)$", text, re.M).group(1))
    return total, count


def api_error(base, body):
    """The message of the API's error for a request that must fail."""
    try:
        post(base, dict({"response_format": "pcm", "stream_format": "sse"}, **body)).read()
    except urllib.error.HTTPError as e:
        return json.loads(e.read())["error"]["message"]
    raise RuntimeError(f"the server accepted {body}")


# ---- files the page saves ----------------------------------------------------------------------

def wait_file(folder, name, timeout=60):
    path, end, size = Path(folder, name), time.monotonic() + timeout, -1
    while time.monotonic() < end:
        partial = [p for p in Path(folder).iterdir() if p.suffix in (".crdownload", ".part")]
        if path.exists() and not partial and path.stat().st_size == size and size > 0:
            return path
        size = path.stat().st_size if path.exists() else -1
        time.sleep(0.25)
    raise TimeoutError(f"no complete download {name} in {timeout} s (folder has {sorted(os.listdir(folder))})")


def parse_cues(text, vtt):
    """SRT or WebVTT cues as (start, end, text); raises ValueError on anything malformed."""
    sep = r"\." if vtt else ","
    stamp = rf"(\d\d):(\d\d):(\d\d){sep}(\d\d\d)"
    blocks = [b for b in text.replace("\r\n", "\n").strip("\n").split("\n\n")]
    if vtt:
        if not blocks or not blocks[0].startswith("WEBVTT"):
            raise ValueError("no WEBVTT header")
        blocks = blocks[1:]
    cues = []
    for k, block in enumerate(blocks):
        lines = block.split("\n")
        if not vtt:
            if lines[0] != str(k + 1):
                raise ValueError(f"cue {k + 1} is numbered {lines[0]!r}")
            lines = lines[1:]
        m = re.fullmatch(rf"{stamp} --> {stamp}", lines[0])
        if not m:
            raise ValueError(f"bad timing line {lines[0]!r}")
        g = [int(x) for x in m.groups()]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        if not lines[1:] or not all(l.strip() for l in lines[1:]):
            raise ValueError(f"cue {k + 1} has no text")
        if end <= start or (cues and start < cues[-1][1]):
            raise ValueError(f"cue {k + 1} runs {start}-{end} after {cues[-1][1] if cues else 0}")
        cues.append((start, end, " ".join(lines[1:])))
    if not cues:
        raise ValueError("no cues")
    return cues


def audio_seconds(path):
    """Decodes the whole file with ffmpeg (any error fails) and gives its duration."""
    dec = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True, timeout=60)
    if dec.returncode != 0 or dec.stderr.strip():
        raise ValueError(f"ffmpeg could not decode {path.name}: {dec.stderr.strip()[:300]}")
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                           capture_output=True, text=True, timeout=60)
    return float(probe.stdout.strip())


# ---- one browser ---------------------------------------------------------------------------------

def speech_time(segments, total, t):
    u = None
    for k, s in enumerate(segments):
        if t < s["at"]:
            break
        end = segments[k + 1]["offset"] if k + 1 < len(segments) else total
        u = min(s["offset"] + (t - s["at"]), end)
    return u


def set_text(b, text):
    b.js(f"(() => {{ const t = document.getElementById('text'); t.value = {json.dumps(text)};"
         " t.dispatchEvent(new Event('input')); return true; })()")


def tone_start(b, url):
    b.get(url)
    b.wait("window.results && window.results.ready", 20, "the tone page did not load")
    b.click("#play")
    b.wait("window.results.done", 20, "the tone page's audio clock did not move")
    return b.js("window.results.clockMs")


def run_browser(b, svc, figures, server):
    server_words, empty_message, voices = server["words"], server["empty"], server["voices"]
    name = b.name
    downloads = b.downloads
    tone_before = tone_start(b, svc.tone_url)

    b.get(svc.base + "/")
    b.wait("document.getElementById('status').textContent.startsWith('Ready')", 30, "the page did not list the voices")
    listed = b.js("[...document.querySelectorAll('#voice option')].map(o => o.value)")
    groups = b.js("[...document.querySelectorAll('#voice optgroup')].map(g => g.label)")
    languages = {v["language"] for v in voices}
    check(f"{name}: every voice listed, grouped by language", sorted(listed) == sorted(v["id"] for v in voices)
          and len(groups) == len(languages), f"{len(listed)} options in {groups}; server: {len(voices)} in {languages}")
    unlabelled = b.js("""[...document.querySelectorAll('button, select, input, textarea, [role=progressbar]')].filter(e => {
        const labels = e.labels ? [...e.labels].map(l => l.textContent.trim()).join('') : '';
        return !(labels || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.tagName === 'BUTTON' && e.textContent.trim()));
      }).map(e => e.id || e.outerHTML.slice(0, 60))""")
    check(f"{name}: every control has a label", unlabelled == [], unlabelled)

    # The blend builder writes the API's syntax, and the server takes it.
    b.js("document.getElementById('add-voice').click(), true")
    b.js("(() => { const w = document.querySelectorAll('#blend .weight input'); w[0].value = '2'; w[1].value = '1';"
         " document.getElementById('blend').dispatchEvent(new Event('input')); return true; })()")
    expr = b.js("document.getElementById('voice-expr').textContent")
    second = b.js("document.getElementById('voice-2').value")
    check(f"{name}: the blend builder writes a(2)+b(1)", expr == f"{server['default']}(2)+{second}(1)", expr)
    set_text(b, "A blended voice.")
    speeches = len(b.js("koe.past()"))
    b.click("#speak")
    b.until(f"koe.past().length > {speeches}", 60)
    blended = (b.js("koe.past()") or [{}])[-1]
    check(f"{name}: a blend speaks", blended.get("done") and blended.get("seconds", 0) > 0.5
          and b.js("document.getElementById('error').hidden"), (blended, b.js("document.getElementById('error').textContent")))
    b.js("(() => { document.querySelectorAll('#blend .weight input')[1].value = '0';"
         " document.getElementById('blend').dispatchEvent(new Event('input')); return true; })()")
    errors = b.console_errors()
    b.click("#speak")
    shown = b.until("!document.getElementById('error').hidden", 30) and b.js("document.getElementById('error').textContent")
    refused = b.console_errors()  # the browser logs the 400 itself
    errors += [e for e in refused if "400" not in e]
    expected = api_error(svc.base, {"input": "A blended voice.", "voice": f"{server['default']}(2)+{second}(0)"})
    check(f"{name}: a bad blend weight shows the API's error", shown == expected, f"{shown!r} vs {expected!r}")
    b.js("document.querySelector('#blend li:nth-child(2) .remove').click(), true")

    set_text(b, TEXT)
    b.js(f"(() => {{ document.getElementById('voice').value = '{VOICE}'; document.getElementById('language').value = '{LANG}';"
         " document.getElementById('blend').dispatchEvent(new Event('change')); return true; })()")
    count = b.js("document.getElementById('count').textContent")
    check(f"{name}: the character count shows the server's limit", count == f"{len(TEXT)} / {MAX_CHARS} characters", count)
    errors += b.console_errors()

    # The first speech on a small screen (360 x 420): the read-along box and the page must scroll.
    b.viewport(360, 420)
    time.sleep(0.3)
    overflow = b.js("document.documentElement.scrollWidth")
    check(f"{name}: usable at 360 px (nothing wider than the screen)", overflow <= 360, f"page is {overflow} px wide")
    b.js("window.scrollTo(0, 0), true")

    # Speak, and sample the audio clock and the highlighted word together, in the page. The
    # server's own time to first byte is taken just before (the machine's load varies).
    ttfb = server_speech(svc.base, runs=3)[0]
    before = first_byte_metric(svc.base)
    b.click("#speak")
    # Until the audio starts, poll gently: the driver's calls take CPU from the server's first chunk.
    b.wait("(koe.current() && koe.current().stats.clockAt) || koe.sample().state === 'idle'", 60, "the speech did not start", poll=0.25)
    samples, end = [], time.monotonic() + 90
    while time.monotonic() < end:
        s = b.js("koe.sample()")
        samples.append(s)
        if s["state"] == "idle" and len(samples) > 5:
            break
        time.sleep(0.015)
    past = b.js("koe.past()")[-1]
    after = first_byte_metric(svc.base)
    page_ttfb = (after[0] - before[0]) / (after[1] - before[1]) if after[1] > before[1] else None
    run = past["stats"]
    page_words = b.js("koe.last && koe.last.words") or []
    check(f"{name}: the whole text was spoken", past["done"] and len(page_words) == len(server_words) and past["seconds"] > 5,
          f"done={past['done']}, {len(page_words)} words (server {len(server_words)}), {past['seconds']:.2f} s")
    same = len(page_words) == len(server_words) and all(
        a["text"] == w["text"] and abs(a["start"] - w["start"]) < 0.05 for a, w in zip(page_words, server_words))
    check(f"{name}: the page got the server's word timestamps", same, f"{page_words[:3]} vs {server_words[:3]}")

    # Streaming: the audio clock ran before the chunk with the last sentence had even arrived.
    events = run["events"]
    deltas = [e["at"] for e in events if e["type"] == "speech.audio.delta"]
    words_at = [e["at"] for e in events if e["type"] == "speech.words"]
    last_chunk_audio = max((t for t in deltas if t < words_at[-1]), default=None) if words_at else None
    clock_at = run.get("clockAt")
    check(f"{name}: audio plays before the server has made the last sentence",
          len(deltas) >= 2 and clock_at is not None and last_chunk_audio is not None and clock_at < last_chunk_audio,
          f"{len(deltas)} audio deltas; clock moved at {clock_at}, last chunk's audio arrived at {last_chunk_audio}")

    # Read-along: each highlighted word against the audio clock, mapped through the page's schedule.
    total = past["seconds"]
    off, seen, order_ok, prev, lags = [], [], True, -1, []
    for s in samples:
        if s["highlighted"] < 0 or not s["segments"]:
            continue
        u = speech_time(s["segments"], total, s["contextTime"])
        w = server_words[s["highlighted"]] if s["highlighted"] < len(server_words) else None
        if w is None or u is None or not (w["start"] - TOLERANCE <= u <= w["end"] + TOLERANCE):
            off.append((s["highlighted"], s["highlightedText"], u, w and (w["start"], w["end"])))
        if s["highlighted"] < prev:
            order_ok = False
        if s["highlighted"] != prev:
            seen.append(s["highlighted"])
        prev = s["highlighted"]
        lags.append(s["contextTime"] - s["heardTime"])
    check(f"{name}: highlighted words match the audio clock within {int(TOLERANCE * 1000)} ms",
          len(seen) > 0 and not off, f"{len(off)} of {len(samples)} samples off, e.g. {off[:3]}")
    print(f"     {len(samples)} samples, {len(lags)} with a word highlighted; {len(seen)} of {len(server_words)} words seen;"
          f" {past['segments']} audio segment(s) (more: the server fell behind)")
    check(f"{name}: highlighted words advance in order through the text",
          order_ok and len(seen) >= 0.5 * len(server_words) and seen[-1] >= len(server_words) - 3,
          f"in order: {order_ok}; saw {len(seen)} of {len(server_words)} words, last {seen[-1] if seen else None}")
    shown = [s["inView"] for s in samples if s["highlighted"] >= 0]
    check(f"{name}: the read-along scrolls with the word (box and page)",
          max(s["readingScroll"] for s in samples) > 0 and max(s["pageScroll"] for s in samples) > 0
          and sum(shown) >= 0.8 * len(shown), f"box scrolled to {max(s['readingScroll'] for s in samples)},"
          f" page to {max(s['pageScroll'] for s in samples)}; word in view in {sum(shown)} of {len(shown)} samples")
    progress = [s["progress"] for s in samples]
    check(f"{name}: progress advances through the text to the end", progress == sorted(progress) and progress[-1] >= 95,
          progress[::max(1, len(progress) // 12)])
    b.viewport(900, 900)
    heard = [s["level"] for s in samples if s["state"] == "speaking"]
    check(f"{name}: the speech is audible at the page's output", max(heard, default=0) > 0.01, f"peak level {max(heard, default=0)}")
    errors += b.console_errors()

    # Downloads: captions and timestamps of that speech, then the audio in one format.
    for kind in ("srt", "vtt", "json"):
        b.click(f"#{kind}")
    try:
        srt = wait_file(downloads, "koe-speech.srt").read_text(encoding="utf-8")
        vtt = wait_file(downloads, "koe-speech.vtt").read_text(encoding="utf-8")
        stamps = json.loads(wait_file(downloads, "koe-speech.json").read_text(encoding="utf-8"))
        cues = parse_cues(srt, vtt=False)
        spoken = " ".join(c[2] for c in cues)
        ok = all(w["text"] in spoken for w in server_words) and abs(cues[-1][1] - server_words[-1]["end"]) < 0.01
        check(f"{name}: the SRT parses and covers every word ({len(cues)} cues)", ok, srt[:300])
        check(f"{name}: the VTT parses and has the SRT's cues", [c[:2] for c in parse_cues(vtt, vtt=True)] == [c[:2] for c in cues], vtt[:300])
        check(f"{name}: the JSON timestamps are the words, in ms",
              [(w["text"], w["startMs"]) for w in stamps["words"]] == [(w["text"], round(w["start"] * 1000)) for w in page_words]
              and len(stamps["sentences"]) == 3, json.dumps(stamps)[:300])
    except (ValueError, TimeoutError) as e:
        check(f"{name}: captions and timestamps download and parse", False, e)
    fmt = {"chromium": "mp3", "firefox": "opus"}.get(name, "flac")
    b.js(f"document.getElementById('format').value = '{fmt}', true")
    b.click("#download")
    try:
        seconds = audio_seconds(wait_file(downloads, f"koe-speech.{fmt}", timeout=120))
        check(f"{name}: the {fmt} download decodes and holds the whole speech ({seconds:.2f} s)",
              server_words[-1]["end"] <= seconds + 0.05 and abs(seconds - total) < 0.3, f"{seconds} s vs {total} s streamed")
    except (ValueError, TimeoutError) as e:
        check(f"{name}: the {fmt} download decodes", False, e)
    errors += b.console_errors()

    # Stop: speak again (from the keyboard), and once it is audible, stop; the output must fall silent.
    b.ctrl_enter("#text")
    spoke = b.until("koe.sample().level > 0.01 && koe.sample().highlighted >= 2", 60)
    if not check(f"{name}: Ctrl+Enter in the text speaks", spoke, b.js("koe.sample()")):
        b.click("#speak")
        b.wait("koe.sample().level > 0.01 && koe.sample().highlighted >= 2", 60, "the second speech did not become audible")
    b.js("window.scrollTo(0, 0), true")
    b.screenshot(OUT / f"{name}-speaking.png")
    if hasattr(b, "full_screenshot"):
        b.full_screenshot(OUT / f"{name}-speaking-full.png")
    warm = b.js("koe.current().stats")
    # Pause freezes the audio clock and the highlight; Resume runs both on.
    b.click("#pause")
    b.wait("koe.sample().contextState === 'suspended'", 10, "Pause did not suspend the audio")
    p1 = b.js("koe.sample()")
    time.sleep(0.5)
    p2 = b.js("koe.sample()")
    check(f"{name}: Pause stops the audio clock and the highlight", p1["state"] == p2["state"] == "paused"
          and p1["contextTime"] == p2["contextTime"] and p1["highlighted"] == p2["highlighted"], (p1, p2))
    b.click("#pause")
    b.wait("koe.sample().contextState === 'running'", 10, "Resume did not run the audio again")
    time.sleep(0.6)
    p3 = b.js("koe.sample()")
    check(f"{name}: Resume runs the clock on from where it stopped", p3["state"] == "speaking"
          and p3["contextTime"] > p2["contextTime"] + 0.3 and p3["progress"] >= p2["progress"], (p2, p3))
    b.click("#stop")
    time.sleep(0.3)
    after = [b.js("koe.sample()") for _ in range(10)]
    check(f"{name}: stop silences at once", all(s["state"] == "idle" and s["level"] < 1e-4 and s["highlighted"] < 0 for s in after),
          after[-1])
    b.viewport(360, 800)
    time.sleep(0.3)
    b.screenshot(OUT / f"{name}-360.png")
    if name == "chromium":
        b.dark(True)
        b.screenshot(OUT / "chromium-360-dark.png")
        b.dark(False)
    b.viewport(900, 900)
    errors += b.console_errors()
    check(f"{name}: no console errors", errors == [], errors)

    # An empty text: the API's own message is shown.
    set_text(b, "")
    b.click("#speak")
    shown = b.wait("!document.getElementById('error').hidden && document.getElementById('error').textContent", 30,
                   "no error shown for an empty text")
    check(f"{name}: an empty text shows the API's error", shown == empty_message, f"{shown!r} vs {empty_message!r}")
    b.screenshot(OUT / f"{name}-error.png")
    stray = [e for e in b.console_errors() if "400" not in e]  # the browser logs the 400 itself
    check(f"{name}: no console errors besides the 400", stray == [], stray)

    tone_after = tone_start(b, svc.tone_url)
    figures[name] = {
        "ttfb": ttfb * 1000,
        "page_ttfb": page_ttfb * 1000 if page_ttfb is not None else None,
        "speak_to_clock": run["clockAt"] - run["clickAt"] if clock_at else None,
        "page_first_delta": run["firstDeltaAt"] - run["clickAt"],
        "page_response": run["responseAt"] - run["clickAt"],
        "after_first_delta": run["clockAt"] - run["firstDeltaAt"] if clock_at else None,
        "tone": (tone_before + tone_after) / 2,
        "tone_runs": (tone_before, tone_after),
        "warm_speak_to_clock": warm["clockAt"] - warm["clickAt"] if warm.get("clockAt") else None,
        "output_lag": statistics.median(lags) if lags else None,
    }


def report_line(name, f):
    s, tone = f["speak_to_clock"], f["tone"]
    ttfb = f["page_ttfb"] if f["page_ttfb"] is not None else f["ttfb"]
    if s is None:
        return f"  {name}: the audio clock never moved"
    lag = f"{f['output_lag'] * 1000:.0f} ms" if f["output_lag"] is not None else "-"
    warm = f"{f['warm_speak_to_clock']:.0f} ms" if f["warm_speak_to_clock"] else "-"
    return (f"  {name}: Speak -> audio clock moving {s:.0f} ms | server's time to first byte {ttfb:.0f} ms for the page's request"
            f" (its /metrics; {f['ttfb']:.0f} ms from Python just before) | bare tone page {tone:.0f} ms (runs {f['tone_runs'][0]:.0f}, {f['tone_runs'][1]:.0f})\n"
            f"  {' ' * len(name)}  the page adds {s - ttfb - tone:+.0f} ms beyond ttfb + tone ({s - max(ttfb, tone):+.0f} beyond the larger);"
            f" its response came {f['page_response']:.0f} ms after Speak, the first delta {f['page_first_delta']:.0f} ms,"
            f" and the clock moved {f['after_first_delta']:.0f} ms after that\n"
            f"  {' ' * len(name)}  second Speak (audio context running): {warm}; output latency (clock - heard) {lag}")


def terminated(signum, frame):
    """CI's time-out sends SIGTERM: unwind through the finally blocks, which stop every process started here."""
    raise KeyboardInterrupt("SIGTERM")


def main():
    signal.signal(signal.SIGTERM, terminated)
    OUT.mkdir(parents=True, exist_ok=True)
    root = tempfile.mkdtemp(prefix="koe-browser-")
    svc = Services(root)
    figures = {}
    try:
        svc.start_pulse()
        svc.start_koe()
        svc.start_tone_page()
        catalog = json.loads(urllib.request.urlopen(svc.base + "/v1/audio/voices", timeout=30).read())
        post(svc.base, {"input": "Warm up.", "voice": VOICE, "lang_code": LANG, "response_format": "pcm"}).read()
        server_words = server_speech(svc.base)[1]
        server = {"words": server_words, "empty": api_error(svc.base, {"input": "", "voice": VOICE}), "voices": catalog["voices"], "default": catalog["default"]}
        for name in BROWSERS:
            downloads = Path(root, f"downloads-{name}")
            downloads.mkdir()
            started = time.monotonic()
            b = None
            try:
                b = Chromium(downloads, OUT) if name == "chromium" else Firefox(downloads, OUT, svc.env)
                b.downloads = downloads
                run_browser(b, svc, figures, server)
            except Exception as e:  # a browser that fails to start or hangs fails its checks, not the run
                check(f"{name}: the page test ran to the end", False, f"{type(e).__name__}: {e}")
                traceback.print_exc(limit=4)
                if b is not None:
                    try:
                        b.screenshot(OUT / f"{name}-failure.png")
                    except Exception:
                        pass
            finally:
                if b is not None:
                    b.close()
            print(f"     {name}: {time.monotonic() - started:.1f} s", flush=True)
        print("\nTime to sound (printed, never asserted):")
        for name, f in figures.items():
            print(report_line(name, f))
    finally:
        svc.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(f"screenshots: {OUT}")
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
