#!/usr/bin/env python3
"""Reference measurement for `koe bench`: onnxruntime running the same Kokoro model on
the same phonemes, voice and speed, in the same run. Prints one JSON object:
{"load_s", "rtf", "synth_s", "audio_s", "peak_rss_mb", "threads", "runs", "ort_version"};
with --chunks-file (one chunk's phonemes per line, as Koe's pipeline cut a paragraph) also
"first_chunk_s" (the time to first audio of a chunked stream, text front end excluded),
"chunks_synth_s" and "chunks_audio_s" (the whole paragraph, chunk after chunk).
Development tool only; the product never runs Python."""
import argparse, json, resource, sys, time

import numpy as np
import onnxruntime as ort


def peak_rss_mb():
    """VmHWM resets at exec; ru_maxrss would carry the parent's peak across fork."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--voices", required=True)
    ap.add_argument("--vocab", required=True)
    ap.add_argument("--voice", required=True)
    ap.add_argument("--phonemes-file", required=True)
    ap.add_argument("--speed", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--chunks-file")
    a = ap.parse_args()
    vocab = json.load(open(a.vocab, encoding="utf-8"))["vocab"]
    ph = open(a.phonemes_file, encoding="utf-8").read().strip()
    pack = np.load(a.voices)[a.voice]

    def feeds_for(text):
        ids = [vocab[c] for c in text if c in vocab]
        style = pack[min(len(ids) - 1, len(pack) - 1)].reshape(1, 256).astype(np.float32)
        return ids, {names[0]: np.array([[0] + ids + [0]], dtype=np.int64), names[1]: style,
                     names[2]: np.array([a.speed], dtype=np.float32)}

    def timed(feeds):
        times = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            audio = sess.run(None, feeds)[0]
            times.append(time.perf_counter() - t0)
        return float(np.median(times)), audio.size / 24000.0
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = a.threads
    opts.inter_op_num_threads = 1
    t0 = time.perf_counter()
    sess = ort.InferenceSession(a.model, opts, providers=["CPUExecutionProvider"])
    load = time.perf_counter() - t0
    names = [i.name for i in sess.get_inputs()]
    ids, feeds = feeds_for(ph)
    sess.run(None, feeds)  # warm-up
    synth, audio_s = timed(feeds)
    rss = peak_rss_mb()
    result = {"load_s": load, "synth_s": synth, "audio_s": audio_s, "rtf": synth / audio_s,
              "peak_rss_mb": rss, "threads": a.threads, "runs": a.runs,
              "ort_version": ort.__version__, "phonemes": len(ids)}
    if a.chunks_file:
        chunks = [line.strip() for line in open(a.chunks_file, encoding="utf-8") if line.strip()]
        measured = [timed(feeds_for(c)[1]) for c in chunks]
        result.update({"first_chunk_s": measured[0][0], "chunks_synth_s": sum(m[0] for m in measured),
                       "chunks_audio_s": sum(m[1] for m in measured)})
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
