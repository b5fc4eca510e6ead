"""A headless sound server and a recorder of what it plays, for the daemon tests and bench.

PulseAudio runs as the user with a 24 kHz mono null sink (`koe_test`) in a private
XDG_RUNTIME_DIR; a silent keepalive stream keeps the monitor running through idle time,
and `parec` records the monitor in 10 ms blocks, each stamped with its arrival time.
"""
import os, shutil, signal, subprocess, tempfile, threading, time, wave
import numpy as np

RATE = 24000
BLOCK = RATE // 100  # 10 ms


class SoundServer:
    def __init__(self, root):
        self.root = root
        self.runtime = os.path.join(root, "xdg")
        os.makedirs(self.runtime, mode=0o700, exist_ok=True)
        self.env = dict(os.environ, XDG_RUNTIME_DIR=self.runtime, PULSE_RUNTIME_PATH=os.path.join(self.runtime, "pulse"),
                        HOME=os.environ.get("HOME", root))
        self.env.pop("PULSE_SERVER", None)
        self.procs = []

    def start(self):
        subprocess.run(["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n",
                        "--load=module-null-sink sink_name=koe_test rate=24000 channels=1",
                        "--load=module-native-protocol-unix"], env=self.env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if subprocess.run(["pactl", "info"], env=self.env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0:
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("pulseaudio did not start")
        subprocess.run(["pactl", "set-default-sink", "koe_test"], env=self.env, check=True)
        keepalive = subprocess.Popen(["pacat", "-p", "-d", "koe_test", "--raw", "--format=s16le", "--rate=24000",
                                      "--channels=1", "/dev/zero"], env=self.env)
        self.procs.append(keepalive)
        return self

    def stop(self):
        for p in self.procs:
            p.kill()
            p.wait()
        subprocess.run(["pulseaudio", "--kill"], env=self.env, stderr=subprocess.DEVNULL)


class Recorder:
    """Records the sink's monitor; `samples()` is int16 audio, `times[k]` when block k arrived."""

    def __init__(self, server):
        self.proc = subprocess.Popen(["parec", "-d", "koe_test.monitor", "--raw", "--format=s16le",
                                      f"--rate={RATE}", "--channels=1", "--latency-msec=10"],
                                     env=server.env, stdout=subprocess.PIPE)
        self.data = bytearray()
        self.times = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 5
        while not self.times and time.monotonic() < deadline:
            time.sleep(0.01)

    def _read(self):
        pending = b""
        while True:
            chunk = self.proc.stdout.read1(4096) if hasattr(self.proc.stdout, "read1") else self.proc.stdout.read(960)
            if not chunk:
                return
            now = time.monotonic()
            with self.lock:
                self.data += chunk
                while len(self.times) < len(self.data) // (2 * BLOCK):
                    self.times.append(now)

    def samples(self):
        with self.lock:
            n = len(self.data) // 2
            return np.frombuffer(bytes(self.data[:2 * n]), dtype=np.int16).astype(np.float64)

    def now_index(self):
        with self.lock:
            return len(self.data) // 2

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait()
        self.thread.join(2)

    # Analysis on 10 ms blocks.
    def block_rms(self, start=0):
        s = self.samples()[start:]
        n = len(s) // BLOCK
        return np.sqrt((s[:n * BLOCK].reshape(n, BLOCK) ** 2).mean(axis=1)) if n else np.zeros(0)

    def first_sound_time(self, start_sample=0, threshold=200):
        """Arrival time of the first block after `start_sample` louder than `threshold`."""
        rms = self.block_rms(start_sample)
        loud = np.nonzero(rms > threshold)[0]
        if len(loud) == 0:
            return None
        with self.lock:
            return self.times[start_sample // BLOCK + loud[0]]

    def wait_for_sound(self, start_sample=0, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            t = self.first_sound_time(start_sample)
            if t is not None:
                return t
            time.sleep(0.01)
        raise AssertionError(f"no sound within {timeout} s")

    def last_sound_time(self, start_sample=0, threshold=200):
        rms = self.block_rms(start_sample)
        loud = np.nonzero(rms > threshold)[0]
        if len(loud) == 0:
            return None
        with self.lock:
            return self.times[start_sample // BLOCK + loud[-1]]


def read_wav(path):
    with wave.open(path) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64)


def locate(needle, haystack):
    """Best offset of `needle` in `haystack` by normalised cross-correlation, and its score."""
    n, m = len(needle), len(haystack)
    if m < n:
        return None, 0.0
    size = 1 << int(np.ceil(np.log2(n + m)))
    corr = np.fft.irfft(np.fft.rfft(haystack, size) * np.conj(np.fft.rfft(needle, size)), size)[:m - n + 1]
    c = np.concatenate(([0.0], np.cumsum(haystack ** 2)))
    window = c[n:] - c[:-n]
    reference = (needle ** 2).sum()
    score = corr / np.sqrt(np.maximum(window, 1e-9) * reference)
    score[window < 0.25 * reference] = 0  # near-silent windows: rounding noise, not a match
    k = int(np.argmax(score))
    return k, float(score[k])


def segment_offsets(reference, capture, seconds=0.25, min_rms=300):
    """Finds each loud segment of `reference` in `capture`: a list of (reference start,
    capture offset - reference start, score). A constant shift means gapless playback."""
    seg = int(seconds * RATE)
    found = []
    for start in range(0, len(reference) - seg, seg):
        piece = reference[start:start + seg]
        if np.sqrt((piece ** 2).mean()) < min_rms:
            continue
        k, score = locate(piece, capture)
        found.append((start, None if k is None else k - start, score))
    return found


def sound_span(x, threshold=200):
    """First and last sample of the blocks louder than `threshold`."""
    n = len(x) // BLOCK
    rms = np.sqrt((x[:n * BLOCK].reshape(n, BLOCK) ** 2).mean(axis=1))
    loud = np.nonzero(rms > threshold)[0]
    return (loud[0] * BLOCK, (loud[-1] + 1) * BLOCK) if len(loud) else (0, 0)
