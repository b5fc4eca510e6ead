"""End-to-end tests of `koe say` and its daemon through a headless PulseAudio.

    python Tests/daemon/test_daemon.py .build/release/koe [test names]

Each test records the null sink's monitor and checks what was heard. Ends with the line
`daemon: N passed, N failed`; exits non-zero if any failed.
"""
import json, os, signal, socket, subprocess, sys, tempfile, threading, time, traceback
import numpy as np
from harness import RATE, SoundServer, Recorder, read_wav, segment_offsets, sound_span

KOE = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/koe")
VOICE = "jf_alpha"
SHORT = "The quick brown fox jumps over the lazy dog."
LONG = ("The lighthouse keeper climbed the stairs at dusk, as he had done for forty years. "
        "He trimmed the wick, polished the lens and watched the ships pass in the dark.")
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Env:
    def __init__(self, server, root, **extra):
        self.server = server
        self.root = root
        self.extra = extra
        self.env = dict(server.env, XDG_STATE_HOME=os.path.join(root, "state"), **extra)
        if "KOE_IDLE_TIMEOUT" not in extra:
            self.env.pop("KOE_IDLE_TIMEOUT", None)
        if "KOE_EARLY_FIRST_AUDIO" not in extra:
            self.env.pop("KOE_EARLY_FIRST_AUDIO", None)
        self.sock = os.path.join(self.env["XDG_RUNTIME_DIR"], "koe", "koe.sock")

    def koe(self, *args, check=True, timeout=120, input=None):
        r = subprocess.run([KOE, *args], env=self.env, capture_output=True, text=True, timeout=timeout, input=input)
        if check and r.returncode != 0:
            raise AssertionError(f"koe {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")
        return r

    def start(self, *args):
        return subprocess.Popen([KOE, *args], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def status(self):
        return json.loads(self.koe("status", "--json").stdout)

    def request(self, raw, read=True):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        s.connect(self.sock)
        try:
            s.sendall(raw)
        except BrokenPipeError:
            pass  # the daemon refused the rest of a huge line; its reply is still there to read
        reply = s.makefile("rb").readline() if read else b""
        s.close()
        return json.loads(reply) if reply else None

    def kill_daemon(self):
        self.koe("kill")


def reference(env, text, cache={}):
    if text not in cache:
        path = os.path.join(tempfile.mkdtemp(), "ref.wav")
        env.koe("synthesize", text, "--voice", VOICE, "--output", path)
        cache[text] = read_wav(path)
    return cache[text]


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


# Underruns a loaded CPU may cause (total, seconds); each one is printed.
MAX_UNDERRUN = 0.3


def jumps_of(found):
    good = [(s, sh) for s, sh, sc in found if sc > 0.9]
    return [(s / RATE, (b - a) / RATE) for (_, a), (s, b) in zip(good, good[1:]) if abs(b - a) > 48]


def check_gapless(ref, cap, what):
    """Every loud quarter second of `ref` is in `cap`, in order, nothing skipped or repeated,
    with at most MAX_UNDERRUN seconds of gaps in all."""
    found = segment_offsets(ref, cap)
    assert found, f"{what}: reference has no loud segments"
    bad = [(s / RATE, round(sc, 3)) for s, _, sc in found if sc < 0.9]
    assert not bad, f"{what}: segments not found in the recording (ref second, score): {bad[:5]}"
    jumps = jumps_of(found)
    assert all(j > 0 for _, j in jumps), f"{what}: audio repeated or skipped: {jumps}"
    assert sum(j for _, j in jumps) <= MAX_UNDERRUN, f"{what}: gaps in playback {jumps}"
    if jumps:
        print(f"    {what}: underruns (ref s, gap s) {[(round(a, 2), round(b, 3)) for a, b in jumps]}")
    return found[0][1]


def check_length_and_level(ref, cap):
    """The sound heard lasts as long as the synthesis (within 5 %) at its level (within 1 dB)."""
    a, b = sound_span(ref)
    c, d = sound_span(cap)
    ratio = (d - c) / (b - a)
    assert abs(ratio - 1) <= 0.05, f"sound lasts {(d - c) / RATE:.2f} s, synthesis {(b - a) / RATE:.2f} s"
    level = 10 * np.log10((cap[c:d] ** 2).mean() / (ref[a:b] ** 2).mean())
    assert abs(level) <= 1.0, f"level differs by {level:.2f} dB"
    return (a, b), f"{(d - c) / RATE:.2f} s heard vs {(b - a) / RATE:.2f} s synthesised, level {level:+.2f} dB"


@test
def status_without_daemon(env):
    assert env.koe("status").stdout.strip() == "idle (no daemon)"
    assert json.loads(env.koe("status", "--json").stdout) == {"daemon": False, "state": "idle"}
    r = env.koe("pause", check=False)
    assert r.returncode != 0 and "no daemon" in r.stderr, r.stderr
    assert not os.path.exists(env.sock), "status must not start a daemon"


@test
def spoken_audio_matches_synthesis(env):
    ref = reference(env, LONG)
    rec = Recorder(env.server)
    env.koe("say", "--wait", "-v", VOICE, LONG)
    time.sleep(0.2)
    rec.stop()
    cap = rec.samples()
    _, heard = check_length_and_level(ref, cap)
    check_gapless(ref, cap, "say --wait")
    st = env.status()
    assert st["state"] == "idle", st
    mode = os.stat(os.path.dirname(env.sock)).st_mode & 0o777
    assert mode == 0o700, oct(mode)
    assert os.stat(env.sock).st_mode & 0o777 == 0o600
    print(f"    {heard}")


@test
def pause_silences_and_resume_continues(env):
    ref = reference(env, LONG)
    rec = Recorder(env.server)
    speaking = env.start("say", "--wait", "-v", VOICE, LONG)
    rec.wait_for_sound()
    time.sleep(1.5)
    st = env.status()
    assert st["state"] == "playing" and st["text"] == LONG and st["position"] > 0.5, st
    env.koe("pause")
    paused_at = time.monotonic()
    mark = rec.now_index()
    time.sleep(1.5)
    st1 = env.status()
    time.sleep(0.3)
    st2 = env.status()
    assert st1["state"] == "paused" and st1["position"] == st2["position"], (st1, st2)
    last = rec.last_sound_time(max(0, mark - RATE // 2))
    late = (last - paused_at) if last else -1
    assert late <= 0.1, f"sound {late * 1000:.0f} ms after pause returned"
    env.koe("resume")
    rec.wait_for_sound(rec.now_index(), timeout=2)
    st3 = env.status()
    assert st3["state"] == "playing" and st3["position"] >= st2["position"], st3
    out, err = speaking.communicate(timeout=60)
    assert speaking.returncode == 0, err
    time.sleep(0.2)
    rec.stop()
    # Before the pause and after it, the recording holds the synthesis at two shifts whose
    # difference is the pause: nothing dropped, nothing repeated.
    found = segment_offsets(ref, rec.samples())
    missing = [(s / RATE, round(sc, 3)) for s, _, sc in found if sc <= 0.9]
    assert len(missing) <= 1, f"segments not heard (only the one cut by the pause may be): {missing}"
    jumps = sorted(jumps_of(found), key=lambda j: -j[1])
    assert jumps and all(j > 0 for _, j in jumps), f"audio repeated or skipped: {jumps}"
    gap = jumps[0][1]
    assert sum(j for _, j in jumps[1:]) <= MAX_UNDERRUN, f"gaps besides the pause: {jumps[1:]}"
    assert 1.2 < gap < 3.0, f"shift across the pause {gap:.2f} s"
    print(f"    last sound {late * 1000:.0f} ms after pause returned; pause gap {gap:.2f} s; {len(found)} segments found")


@test
def stop_silences(env):
    rec = Recorder(env.server)
    speaking = env.start("say", "--wait", "-v", VOICE, LONG)
    rec.wait_for_sound()
    time.sleep(0.8)
    env.koe("stop")
    stopped_at = time.monotonic()
    mark = rec.now_index()
    time.sleep(1.0)
    rec.stop()
    last = rec.last_sound_time(max(0, mark - RATE // 2))
    late = (last - stopped_at) if last else -1
    assert late <= 0.1, f"sound {late * 1000:.0f} ms after stop returned"
    _, err = speaking.communicate(timeout=10)
    assert speaking.returncode != 0 and "stopped" in err, err
    assert env.status()["state"] == "idle"
    print(f"    last sound {late * 1000:.0f} ms after stop returned")


@test
def interrupted_wait_stops_only_its_speech(env):
    rec = Recorder(env.server)
    speaking = env.start("say", "--wait", "-v", VOICE, LONG)
    rec.wait_for_sound()
    time.sleep(0.5)
    speaking.send_signal(signal.SIGTERM)
    speaking.wait(timeout=10)
    gone = time.monotonic()
    mark = rec.now_index()
    time.sleep(0.8)
    rec.stop()
    last = rec.last_sound_time(max(0, mark - RATE // 2))
    late = (last - gone) if last else -1
    assert late <= 0.1, f"sound {late * 1000:.0f} ms after the interrupted client exited"
    assert env.status()["state"] == "idle"
    say = lambda text: env.request(json.dumps({"v": 1, "cmd": "say", "text": text, "voice": VOICE}).encode() + b"\n")
    old, new = say(SHORT)["id"], say(LONG)["id"]
    assert env.request(json.dumps({"v": 1, "cmd": "stop", "id": old}).encode() + b"\n")["state"] == "playing"
    assert env.status()["id"] == new
    env.koe("stop")
    print(f"    last sound {late * 1000:.0f} ms after the interrupted client exited")


@test
def say_preempts_and_queue_appends(env):
    first, second, third = LONG, SHORT, "A third sentence comes last."
    refs = [reference(env, t) for t in (first, second, third)]
    rec = Recorder(env.server)
    env.koe("say", "-v", VOICE, first)
    rec.wait_for_sound()
    time.sleep(0.5)
    env.koe("say", "-v", VOICE, second)       # preempts the first
    waiter = env.start("say", "--wait", "--queue", "-v", VOICE, third)
    time.sleep(0.3)
    st = env.status()
    assert st["text"] == second and st["queued"] == 1, st
    waiter.communicate(timeout=60)
    assert waiter.returncode == 0
    time.sleep(0.2)
    rec.stop()
    cap = rec.samples()
    s2 = check_gapless(refs[1], cap, "preempting say")
    s3 = check_gapless(refs[2], cap, "queued say")
    assert s2 + sound_span(refs[1])[1] <= s3 + sound_span(refs[2])[0], "queued text overlapped the one before"
    found = segment_offsets(refs[0], cap)
    assert any(sc < 0.9 for _, _, sc in found), "the preempted text played to its end"


@test
def sigkill_then_say_recovers(env):
    env.koe("say", "--wait", "-v", VOICE, "Warm up.")
    pid = env.status()["pid"]
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z", 5, "the daemon to die")
    assert os.path.exists(env.sock), "a killed daemon leaves its socket (the case under test)"
    env.koe("say", "--wait", "-v", VOICE, SHORT)
    assert env.status()["pid"] != pid


def daemon_pids(env):
    pids = []
    for d in os.listdir("/proc"):
        try:
            cmd = open(f"/proc/{d}/cmdline", "rb").read().split(b"\0")
            envs = open(f"/proc/{d}/environ", "rb").read().split(b"\0")
            state = open(f"/proc/{d}/stat").read().split()[2]
        except (OSError, ValueError):
            continue
        if state != "Z" and len(cmd) > 1 and cmd[1] == b"daemon" and f"XDG_RUNTIME_DIR={env.env['XDG_RUNTIME_DIR']}".encode() in envs:
            pids.append(int(d))
    return pids


@test
def concurrent_launches_start_one_daemon(env):
    env.kill_daemon()
    clients = [env.start("say", "--queue", "-v", VOICE, f"Client {k}.") for k in range(4)]
    for c in clients:
        c.communicate(timeout=60)
        assert c.returncode == 0, c.stderr
    time.sleep(0.5)
    assert len(daemon_pids(env)) == 1, daemon_pids(env)
    env.koe("stop")


@test
def bad_protocol_input_gets_errors(env):
    env.koe("status")
    env.koe("say", "--wait", "-v", VOICE, "Ready.")
    cases = [(b"this is not json\n", "JSON"), (b"[1, 2]\n", "object"), (b'{"v": 99, "cmd": "say"}\n', "koe kill"),
             (b'{"v": 1, "cmd": "dance"}\n', "unknown command"), (b'{"v": 1}\n', "command"),
             (b'{"v": 1, "cmd": "say", "text": 5}\n', "text"), (b'{"v": 1, "cmd": "say", "text": "  "}\n', "text"),
             (b'{"v": 1, "cmd": "say", "text": "Hi.", "voice": "nobody"}\n', "nobody"),
             (b'{"v": 1, "cmd": "say", "text": "Hi.", "speed": 9}\n', "speed")]
    for raw, word in cases:
        reply = env.request(raw)
        assert reply["ok"] is False and word.lower() in reply["error"].lower(), (raw, reply)
    huge = env.request(b"x" * (9 << 20))
    assert huge["ok"] is False and "at most" in huge["error"], huge
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(env.sock)
    s.sendall(b'{"v": 1, "cmd": "st')  # half a line, then gone
    s.close()
    assert env.status()["state"] == "idle", "the daemon must live on"
    r = env.koe("say", "-v", "nobody", "Hello.", check=False)
    assert r.returncode != 0 and "nobody" in r.stderr, r.stderr


@test
def sigterm_exits_cleanly(env):
    env.koe("say", "-v", VOICE, LONG)
    pid = env.status()["pid"]
    os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not os.path.exists(env.sock), 5, "the socket to go")
    assert env.koe("status").stdout.strip() == "idle (no daemon)"


@test
def systemd_socket_activation(env):
    """LISTEN_FDS: the daemon serves the socket it is handed and leaves the file to its owner."""
    import shutil
    tool = shutil.which("systemd-socket-activate")
    assert tool, "systemd-socket-activate (Debian's systemd package) is needed for this test"
    act = Env(env.server, tempfile.mkdtemp())
    act.env["XDG_RUNTIME_DIR"] = tempfile.mkdtemp()
    os.makedirs(os.path.join(act.env["XDG_RUNTIME_DIR"], "koe"), mode=0o700)
    act.sock = os.path.join(act.env["XDG_RUNTIME_DIR"], "koe", "koe.sock")
    keep = ["XDG_RUNTIME_DIR", "XDG_STATE_HOME", "HOME", "PATH", "PULSE_RUNTIME_PATH", "KOE_HOME"]
    args = [tool, "-l", act.sock] + [f"-E{k}={act.env[k]}" for k in keep if k in act.env] + [KOE, "daemon"]
    listener = subprocess.Popen(args, env=act.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: os.path.exists(act.sock), 10, "the activation socket")
        act.koe("say", "--wait", "-v", VOICE, "Started by its socket.")
        st = act.status()
        assert st["pid"] == listener.pid, (st, listener.pid)  # the tool execs the daemon in place
        act.koe("kill")
        listener.wait(timeout=10)
        assert os.path.exists(act.sock), "the socket belongs to the service manager; the daemon must leave it"
    finally:
        if listener.poll() is None:
            listener.kill()


@test
def idle_exit(env):
    idle = Env(env.server, tempfile.mkdtemp(), KOE_IDLE_TIMEOUT="2s")
    idle.env["XDG_RUNTIME_DIR"] = tempfile.mkdtemp()
    idle.sock = os.path.join(idle.env["XDG_RUNTIME_DIR"], "koe", "koe.sock")
    idle.koe("say", "--wait", "-v", VOICE, "Soon I rest.")
    pid = idle.status()["pid"]
    started = time.monotonic()
    wait_until(lambda: not os.path.exists(idle.sock), 15, "the idle daemon to exit")
    waited = time.monotonic() - started
    assert waited >= 1.5, f"exited after {waited:.1f} s, before its 2 s timeout"
    assert idle.koe("status").stdout.strip() == "idle (no daemon)"
    print(f"    pid {pid} exited {waited:.1f} s after its last say")


@test
def text_from_standard_input(env):
    env.koe("say", "--wait", "-v", VOICE, input="Read from a pipe.")
    r = env.koe("say", check=False, input="   ")
    assert r.returncode != 0 and "text" in r.stderr


@test
def speech_dispatcher_speaks_through_koe(env):
    """spd-say -o koe through integrations/speech-dispatcher/koe.conf (sd_generic)."""
    import shutil
    assert shutil.which("speech-dispatcher") and shutil.which("spd-say"), "speech-dispatcher is provisioned by scripts/provision.sh --dev"
    root = tempfile.mkdtemp(prefix="koe-speechd-")
    os.makedirs(os.path.join(root, "conf", "modules"))
    conf = open(os.path.join(os.path.dirname(__file__), "..", "..", "integrations", "speech-dispatcher", "koe.conf")).read()
    # Only Japanese voices are provisioned here: map speech-dispatcher's voice types to jf_alpha.
    lines = [l for l in conf.splitlines() if not l.startswith(("AddVoice", "DefaultVoice"))]
    lines += ['AddVoice "en" "MALE1" "jf_alpha"', 'AddVoice "en" "FEMALE1" "jf_alpha"', 'DefaultVoice "jf_alpha"']
    open(os.path.join(root, "conf", "modules", "koe.conf"), "w").write("\n".join(lines) + "\n")
    open(os.path.join(root, "conf", "speechd.conf"), "w").write(
        'AddModule "koe" "sd_generic" "koe.conf"\nDefaultModule koe\nAudioOutputMethod "pulse"\nLogLevel 3\n')
    sock = os.path.join(root, "speechd.sock")
    spd_env = dict(env.env, PATH=os.path.dirname(KOE) + os.pathsep + env.env["PATH"], SPEECHD_ADDRESS=f"unix_socket:{sock}")
    daemon = subprocess.Popen(["speech-dispatcher", "-s", "-c", "unix_socket", "-S", sock, "-C", os.path.join(root, "conf"),
                               "-t", "0", "-L", root], env=spd_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: os.path.exists(sock), 10, "speech-dispatcher's socket")
        ref = reference(env, SHORT)
        rec = Recorder(env.server)
        r = subprocess.run(["spd-say", "-o", "koe", "-w", SHORT], env=spd_env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        time.sleep(0.2)
        rec.stop()
        found = segment_offsets(ref, rec.samples())
        heard = sum(sc > 0.9 for _, _, sc in found)
        assert heard >= 0.9 * len(found), f"only {heard} of {len(found)} segments of the synthesis heard through spd-say"
        print(f"    spd-say -o koe: {heard}/{len(found)} segments of the synthesis heard")
    finally:
        daemon.terminate()
        daemon.wait(10)


@test
def early_first_audio_is_heard(env):
    # The other tests compare what is heard with a one-pass synthesis sample by sample, so
    # their daemon renders every chunk in one pass (KOE_EARLY_FIRST_AUDIO=0). The default
    # daemon renders the first chunk's head on its own: close to the one pass, not the same.
    env.koe("kill", check=False)
    early = Env(env.server, env.root, **{k: v for k, v in env.extra.items() if k != "KOE_EARLY_FIRST_AUDIO"})
    try:
        ref = reference(env, LONG)
        rec = Recorder(early.server)
        early.koe("say", "--wait", "-v", VOICE, LONG)
        time.sleep(0.2)
        rec.stop()
        cap = rec.samples()
        (a, b), heard = check_length_and_level(ref, cap)
        found = segment_offsets(ref, cap)
        half = (a + b) / 2
        # The head's waveform differs from the one pass's (its spectrum is close): a looser match.
        rough = [(s / RATE, round(sc, 3)) for s, _, sc in found if sc < 0.4]
        assert not rough, f"segments not heard at all: {rough}"
        inexact = [(s / RATE, round(sc, 3)) for s, _, sc in found if s >= half and sc < 0.9]
        assert not inexact, f"after the first chunk's head the audio is the one pass's: {inexact}"
        print(f"    {heard}, lowest segment score {min(sc for _, _, sc in found):.3f}")
    finally:
        early.koe("kill", check=False)


def main():
    root = tempfile.mkdtemp(prefix="koe-daemon-test-")
    server = SoundServer(root).start()
    env = Env(server, root, KOE_EARLY_FIRST_AUDIO="0")
    passed = failed = 0
    try:
        only = sys.argv[2:]
        for fn in [t for t in TESTS if not only or t.__name__ in only]:
            started = time.monotonic()
            try:
                fn(env)
                passed += 1
                print(f"ok   {fn.__name__} ({time.monotonic() - started:.1f} s)", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL {fn.__name__}\n{traceback.format_exc()}", flush=True)
    finally:
        env.koe("kill", check=False)
        server.stop()
    print(f"daemon: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
