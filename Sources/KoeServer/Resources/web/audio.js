// Speech played through the Web Audio API: each PCM delta becomes an AudioBuffer queued
// right after the one before on the audio clock. This streams in Chromium and Firefox alike
// (Firefox's MediaSource takes no MP3), and the clock it runs on drives the read-along.

/** Kokoro's sample rate: the rate of the server's PCM deltas. Web Audio resamples. */
export const RATE = 24000;
/** Seconds from "now" on the audio clock to the start of a chunk that begins a queue. */
const LEAD = 0.02;
/** A queue that has less than this left is empty: the next chunk starts a new segment. */
const MARGIN = 0.01;
/** An idle audio context is suspended after this long, so that it stops using power. */
const IDLE_SUSPEND_MS = 30000;

/** The page's one audio context, with a level meter before the output. */
export class Output {
  constructor() {
    this.ctx = null;
    this.idleTimer = 0;
  }

  /** Creates the context on first use (it needs a user's click or key press) and wakes it. */
  open(resume = true) {
    if (!this.ctx) {
      this.ctx = new AudioContext({ latencyHint: "interactive" });
      this.analyser = this.ctx.createAnalyser();
      this.analyser.fftSize = 1024;
      this.analyser.connect(this.ctx.destination);
      this.scratch = new Float32Array(this.analyser.fftSize);
    }
    clearTimeout(this.idleTimer);
    if (resume && this.ctx.state === "suspended") this.ctx.resume().catch(() => {});
    return this.ctx;
  }

  idleSoon() {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => { if (this.ctx && this.ctx.state === "running") this.ctx.suspend(); }, IDLE_SUSPEND_MS);
  }

  /** Audio-clock time of what is heard now: the output timestamp where the browser gives one. */
  heardTime() {
    if (!this.ctx) return 0;
    const ctx = this.ctx;
    let t = ctx.currentTime;
    if (ctx.state === "running" && ctx.getOutputTimestamp) {
      const ts = ctx.getOutputTimestamp();
      if (ts.performanceTime > 0 && ts.contextTime > 0) {
        t = Math.min(t, ts.contextTime + Math.max(0, performance.now() - ts.performanceTime) / 1000);
      }
    }
    return t;
  }

  /** RMS of the last 1024 output samples. */
  level() {
    if (!this.ctx) return 0;
    this.analyser.getFloatTimeDomainData(this.scratch);
    let sum = 0;
    for (const x of this.scratch) sum += x * x;
    return Math.sqrt(sum / this.scratch.length);
  }
}

/** One speech's audio. A segment is a stretch of audio played without a break; a new one
 *  starts when the server falls behind, so the map from speech time to clock time stays exact. */
export class SpeechAudio {
  constructor(output, { onStart, onDrained }) {
    this.ctx = output.open();
    this.gain = this.ctx.createGain();
    this.gain.connect(output.analyser);
    this.segments = [];  // { at: audio-clock time, offset: seconds into the speech }
    this.sources = new Set();
    this.nextAt = 0;
    this.samples = 0;
    this.carry = new Uint8Array(0);
    this.onStart = onStart;
    this.onDrained = onDrained;
    this.stopped = false;
    this.watching = false;
  }

  get seconds() { return this.samples / RATE; }

  /** Decodes one base64 delta of 16-bit little-endian PCM and queues it. */
  push(base64) {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length + this.carry.length);
    bytes.set(this.carry);
    for (let i = 0; i < binary.length; i++) bytes[this.carry.length + i] = binary.charCodeAt(i);
    this.carry = bytes.length % 2 ? bytes.slice(-1) : new Uint8Array(0);
    const n = bytes.length >> 1;
    if (n === 0 || this.stopped) return;
    const ctx = this.ctx;
    const view = new DataView(bytes.buffer, 0, n * 2);
    const buffer = ctx.createBuffer(1, n, RATE);
    const channel = buffer.getChannelData(0);
    for (let i = 0; i < n; i++) channel[i] = view.getInt16(2 * i, true) / 32768;
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(this.gain);
    let at = this.nextAt;
    if (this.segments.length === 0 || at < ctx.currentTime + MARGIN) {
      at = ctx.currentTime + LEAD;
      this.segments.push({ at, offset: this.seconds });
    }
    source.start(at);
    source.onended = () => {
      this.sources.delete(source);
      if (this.sources.size === 0 && !this.stopped) this.onDrained();
    };
    this.sources.add(source);
    this.nextAt = at + n / RATE;
    this.samples += n;
    if (!this.watching) this.watchStart();
  }

  /** Reports (once) when the audio clock passes the start of the speech, polled finely. */
  watchStart() {
    this.watching = true;
    const start = this.segments[0].at;
    const poll = () => {
      if (this.stopped) return;
      if (this.ctx.currentTime >= start) this.onStart(performance.now());
      else setTimeout(poll, 1);
    };
    poll();
  }

  /** Seconds into the speech at audio-clock time `t`, or -1 before it starts. */
  position(t) {
    let u = -1;
    for (let k = 0; k < this.segments.length; k++) {
      const s = this.segments[k];
      if (t < s.at) break;
      const end = k + 1 < this.segments.length ? this.segments[k + 1].offset : this.seconds;
      u = Math.min(s.offset + (t - s.at), end);
    }
    return u;
  }

  get playing() { return this.sources.size > 0; }

  /** Cuts every queued buffer at once. */
  stop() {
    this.stopped = true;
    for (const s of this.sources) {
      try { s.stop(); } catch (e) { /* never started */ }
      s.disconnect();
    }
    this.sources.clear();
    this.gain.disconnect();
  }

  release() { this.gain.disconnect(); }
}
