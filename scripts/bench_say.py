"""Latency of `koe say`: from the start of the `koe say` process to the first sound at the
sound server's sink, with a warm daemon and from a cold start (no daemon; model files in the
page cache). Runs its own headless PulseAudio with a null sink and records its monitor.

    python scripts/bench_say.py .build/release/koe [--runs 3]

The first sound is the first 10 ms block above the silence threshold, stamped when parec
delivers it (so the figures include up to ~10 ms of capture latency). "synthesis" is the
daemon's own time from accepting the text to the first chunk (the library's first audio),
read from its log; the difference is what the client, socket and audio path add. A whole
`koe status` process is timed too: most of what the client adds is starting the process.
"""
import argparse, os, re, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "daemon"))
from harness import RATE, SoundServer, Recorder, read_wav, sound_span  # noqa: E402

TEXT = "The lighthouse keeper climbed the stairs at dusk, as he had done for forty years."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("koe")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--voice", default="jf_alpha")
    args = ap.parse_args()
    koe = os.path.abspath(args.koe)
    root = tempfile.mkdtemp(prefix="koe-bench-say-")
    server = SoundServer(root).start()
    env = dict(server.env, XDG_STATE_HOME=os.path.join(root, "state"))
    log = os.path.join(root, "state", "koe", "daemon.log")

    def run(*a, **kw):
        return subprocess.run([koe, *a], env=env, capture_output=True, text=True, check=True, **kw)

    def last_synthesis():
        lines = [l for l in open(log, encoding="utf-8", errors="replace") if "first audio" in l]
        m = re.search(r"synthesis_s=([0-9.]+)", lines[-1]) if lines else None
        return float(m.group(1)) if m else float("nan")

    def one(rec):
        mark = rec.now_index()
        t0 = time.monotonic()
        run("say", "-v", args.voice, TEXT)
        t = rec.wait_for_sound(mark, timeout=60) - t0
        time.sleep(0.3)
        run("stop")
        time.sleep(0.05)  # the log line is written before the first chunk is queued
        return t, last_synthesis()

    # The speech itself starts with a pause (Kokoro's leading pad): that much of the wait for
    # the first sound is the audio, not the path it takes.
    ref = os.path.join(root, "ref.wav")
    run("synthesize", TEXT, "--voice", args.voice, "--output", ref)
    lead = sound_span(read_wav(ref))[0] / RATE

    rec = Recorder(server)
    results = {"cold": [], "warm": []}
    try:
        for _ in range(args.runs):
            run("kill")
            results["cold"].append(one(rec))
        run("say", "--wait", "-v", args.voice, "Warming up.")
        for _ in range(args.runs):
            results["warm"].append(one(rec))
        client = []
        for _ in range(5):
            t0 = time.monotonic()
            run("status")
            client.append(time.monotonic() - t0)
    finally:
        subprocess.run([koe, "kill"], env=env, capture_output=True)
        rec.stop()
        server.stop()

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"koe say latency: {len(TEXT.split())}-word sentence, voice {args.voice}, {os.cpu_count()} cores ({cpu})")
    # The daemon does not play an utterance's leading silence: it keeps 20 ms before the first sound.
    kept = min(lead, 0.02)
    print(f"the synthesis starts with {lead:.3f} s of silence, of which the daemon plays {kept:.3f} s; "
          "'added' is what remains after that and the synthesis")
    print(f"{'start':6} {'say → first sound (s)':>22} {'synthesis (s)':>14} {'added (s)':>10}")
    for kind, rows in results.items():
        totals = [t for t, _ in rows]
        synth = [s for _, s in rows]
        added = [t - s - kept for t, s in rows]
        print(f"{kind:6} {statistics.median(totals):22.3f} {statistics.median(synth):14.3f} {statistics.median(added):10.3f}"
              f"   runs: {', '.join(f'{t:.3f}' for t in totals)}")
    print(f"a whole `koe status` process (start, connect, one reply, exit): {statistics.median(client):.3f} s median of 5")


if __name__ == "__main__":
    main()
