#!/usr/bin/env python3
"""`koe serve` with clients that exist in the wild: the official `openai` SDK unchanged
(speech.create and with_streaming_response.create), and schemathesis against /openapi.json.

    python Tests/python/test_server.py .build/release/koe      # prints 'N passed, N failed'
"""
import io, json, os, re, signal, subprocess, sys, tempfile, time, urllib.request, wave

KOE = sys.argv[1] if len(sys.argv) > 1 else ".build/release/koe"
results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    results["passed" if condition else "failed"] += 1
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f": {detail}"), flush=True)


def start(*args):
    proc = subprocess.Popen([KOE, "serve", "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    port = int(re.search(r":(\d+)\s*$", line).group(1))
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if urllib.request.urlopen(base + "/ready").status == 200:
                return proc, base
        except Exception:
            time.sleep(0.05)
    raise SystemExit("koe serve did not become ready")


def openai_sdk():
    import openai
    proc, base = start()
    try:
        client = openai.OpenAI(base_url=base + "/v1", api_key="not-needed")
        text = "Hello from the official OpenAI SDK. This is a second sentence."
        speech = client.audio.speech.create(model="tts-1", voice="alloy", input=text, response_format="wav")
        with wave.open(io.BytesIO(speech.content)) as w:
            check("speech.create: a 24 kHz mono WAV", w.getframerate() == 24000 and w.getnchannels() == 1 and w.getnframes() > 24000,
                  f"{w.getframerate()} Hz, {w.getnframes()} frames")
        mp3 = client.audio.speech.create(model="tts-1-hd", voice="jf_alpha", input=text)
        check("speech.create: mp3 by default", mp3.content[:3] == b"ID3" or mp3.content[0] == 0xFF, mp3.content[:4])
        chunks, total, first = 0, 0, None
        t0 = time.monotonic()
        with client.audio.speech.with_streaming_response.create(model="gpt-4o-mini-tts", voice="jf_alpha", input=text,
                                                                response_format="pcm", instructions="ignored") as response:
            check("with_streaming_response: 200 and pcm's content type", response.status_code == 200 and "audio/L16" in response.headers["content-type"])
            for data in response.iter_bytes():
                first = first or time.monotonic() - t0
                chunks += 1
                total += len(data)
        check("with_streaming_response: pcm arrives in several pieces", chunks >= 2 and total % 2 == 0 and total > 48000, f"{chunks} pieces, {total} bytes")
        print(f"     first bytes after {first:.2f} s, {total / 48000:.2f} s of audio")
        with tempfile.TemporaryDirectory() as d:
            with client.audio.speech.with_streaming_response.create(model="tts-1", voice="nova", input="Saved to a file.", response_format="flac") as r:
                r.stream_to_file(os.path.join(d, "s.flac"))
            out = subprocess.run(["flac", "-t", "-s", os.path.join(d, "s.flac")])
            check("stream_to_file: a valid FLAC", out.returncode == 0)
        try:
            client.audio.speech.create(model="tts-1", voice="nobody", input="Hi.")
            check("a bad voice raises BadRequestError", False, "no error")
        except openai.BadRequestError as e:
            body = e.body if isinstance(e.body, dict) else {}
            check("a bad voice raises BadRequestError with OpenAI's error shape",
                  e.status_code == 400 and body.get("param") == "voice" and "jf_alpha" in body.get("message", ""), e.body)
        sse = client.audio.speech.create(model="kokoro", voice="jf_alpha", input="Events.", response_format="pcm",
                                         extra_body={"stream_format": "sse"})
        events = [json.loads(b[6:]) for b in sse.content.decode().split("\n\n") if b.startswith("data: ")]
        check("stream_format sse through extra_body: delta, words, done", [e["type"] for e in events][-1] == "speech.audio.done"
              and any(e["type"] == "speech.words" for e in events) and events[0]["type"] == "speech.audio.delta")
    finally:
        proc.send_signal(signal.SIGTERM)
        check("SIGTERM: exit 0", proc.wait(timeout=60) == 0)


def schemathesis_run():
    # A small input limit keeps each generated synthesis short; the document carries it.
    proc, base = start("--max-input-chars", "80", "--max-concurrent", "64")
    try:
        st = os.path.join(os.path.dirname(sys.executable), "schemathesis")
        cmd = [st, "run", base + "/openapi.json", "--url", base,
               "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance",
               "--max-examples", os.environ.get("KOE_SCHEMATHESIS_EXAMPLES", "15"), "--request-timeout", "120",
               "--exclude-checks", "ignored_auth", "--suppress-health-check", "all"]
        print("     " + " ".join(cmd[1:]), flush=True)
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
        tail = "\n".join(out.stdout.strip().splitlines()[-25:])
        print(tail)
        check("schemathesis: no 5xx, every response conforms to /openapi.json", out.returncode == 0, out.stderr[-2000:])
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


openai_sdk()
schemathesis_run()
print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
