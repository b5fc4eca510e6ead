// Captions and timestamps of a speech, from its words' timestamps and code-point offsets:
// SRT and WebVTT cues (never across a sentence, two lines of 42 columns, 7 s at most) and
// the JSON file the CLI writes.

const SENTENCE_END = /[.!?…。！？]|\n/;
const LINE = 42;  // columns per line; a full-width character takes two
const CUE = 7;    // seconds a cue lasts at most, unless one word is longer

function isWide(cp) {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(cp);
}
function width(text) { let w = 0; for (const c of text) w += isWide(c) ? 2 : 1; return w; }

/** Groups words into caption cues: never across a sentence, at most two lines of 42 columns, at most 7 s. */
export function cues(text, words) {
  const cps = [...text];
  // Each word with the punctuation around it, and whether a space comes before it.
  const pieces = words.map((w, k) => {
    const prevEnd = k > 0 ? words[k - 1].charEnd : 0;
    const nextStart = k + 1 < words.length ? words[k + 1].charStart : cps.length;
    let lo = w.charStart;
    while (lo > prevEnd && !/\s/.test(cps[lo - 1])) lo--;
    let hi = w.charEnd;
    while (hi < nextStart && !/\s/.test(cps[hi])) hi++;
    const gap = cps.slice(w.charEnd, nextStart).join("");
    return { text: cps.slice(lo, hi).join(""), spaced: lo > 0 && /\s/.test(cps[lo - 1]), endsSentence: SENTENCE_END.test(gap) || k + 1 === words.length };
  });
  const out = [];
  let cue = null;
  const join = (line, p) => (line === "" ? p.text : line + (p.spaced ? " " : "") + p.text);
  words.forEach((w, k) => {
    const p = pieces[k];
    if (cue) {
      const line = cue.lines[cue.lines.length - 1];
      const fits = width(join(line, p)) <= LINE || line === "";
      if (w.end - cue.start > CUE || (!fits && cue.lines.length === 2)) { out.push(cue); cue = null; }
      else if (!fits) cue.lines.push("");
    }
    if (!cue) cue = { start: w.start, end: w.end, lines: [""] };
    cue.lines[cue.lines.length - 1] = join(cue.lines[cue.lines.length - 1], p);
    cue.end = w.end;
    if (p.endsSentence) { out.push(cue); cue = null; }
  });
  if (cue) out.push(cue);
  return out.map((c) => ({ ...c, lines: c.lines.filter((l) => l !== "") }));
}

function stamp(seconds, separator) {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const two = (n) => String(n).padStart(2, "0");
  return `${two(Math.floor(ms / 3600000))}:${two(Math.floor(ms / 60000) % 60)}:${two(Math.floor(ms / 1000) % 60)}${separator}${String(ms % 1000).padStart(3, "0")}`;
}

export function srt(text, words) {
  return cues(text, words).map((c, k) => `${k + 1}\n${stamp(c.start, ",")} --> ${stamp(c.end, ",")}\n${c.lines.join("\n")}\n`).join("\n");
}

export function vtt(text, words) {
  return "WEBVTT\n\n" + cues(text, words).map((c) => `${stamp(c.start, ".")} --> ${stamp(c.end, ".")}\n${c.lines.join("\n")}\n`).join("\n");
}

/** The CLI's timestamp file: words and sentences with times in milliseconds and code-point offsets. */
export function timestamps(text, words) {
  const cps = [...text];
  const item = (t, s, e, cs, ce) => ({ text: t, startMs: Math.round(s * 1000), endMs: Math.round(e * 1000), charStart: cs, charEnd: ce });
  const sentences = [];
  let first = 0;
  words.forEach((w, k) => {
    const nextStart = k + 1 < words.length ? words[k + 1].charStart : cps.length;
    if (SENTENCE_END.test(cps.slice(w.charEnd, nextStart).join("")) || k + 1 === words.length) {
      const a = words[first];
      let end = w.charEnd;
      while (end < nextStart && !/\s/.test(cps[end])) end++;
      sentences.push(item(cps.slice(a.charStart, end).join(""), a.start, w.end, a.charStart, end));
      first = k + 1;
    }
  });
  return JSON.stringify({ words: words.map((w) => item(w.text, w.start, w.end, w.charStart, w.charEnd)), sentences }, null, 1) + "\n";
}
