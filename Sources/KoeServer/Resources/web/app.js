"use strict";
// Streams SSE events with pcm deltas, schedules them on the Web Audio clock (works in
// Chromium and Firefox alike), and highlights the word being spoken from speech.words.
const $ = (id) => document.getElementById(id);
let limit = 4096, ctx = null, controller = null, words = [], spans = [], startAt = 0, nextAt = 0, timer = 0, lastWords = [];

async function api(path, body) {
  const r = await fetch(path, body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {});
  if (!r.ok) {
    let message = `${r.status} ${r.statusText}`;
    try { message = (await r.json()).error.message; } catch (e) {}
    throw new Error(message);
  }
  return r;
}

function showError(e) { $("error").textContent = e ? String(e.message || e) : ""; }
function updateCount() { $("count").textContent = `(${[...$("text").value].length} / ${limit})`; }

async function init() {
  try {
    const doc = await (await api("/openapi.json")).json();
    limit = doc.components.schemas.SpeechRequest.properties.input.maxLength;
    const list = await (await api("/v1/audio/voices")).json();
    const groups = {};
    for (const v of list.voices) (groups[v.language] ||= []).push(v);
    for (const [language, voices] of Object.entries(groups)) {
      const g = document.createElement("optgroup");
      g.label = language;
      for (const v of voices) g.append(new Option(`${v.name} (${v.gender})`, v.id, v.id === list.default, v.id === list.default));
      $("voice").append(g);
    }
  } catch (e) { showError(e); }
  updateCount();
}

function render(text) {
  $("reading").textContent = "";
  spans = [];
  let last = 0;
  const cps = [...text];
  for (const w of words) {
    $("reading").append(cps.slice(last, w.charStart).join(""));
    const s = document.createElement("span");
    s.textContent = cps.slice(w.charStart, w.charEnd).join("");
    $("reading").append(s);
    spans.push(s);
    last = w.charEnd;
  }
  $("reading").append(cps.slice(last).join(""));
}

function tick() {
  if (!ctx) return;
  const t = ctx.currentTime - startAt;
  let now = -1;
  for (let i = 0; i < words.length; i++) if (words[i].start <= t && t < words[i].end) now = i;
  spans.forEach((s, i) => s.classList.toggle("now", i === now));
  if (now >= 0 && spans[now]) spans[now].scrollIntoView({ block: "nearest" });
  timer = requestAnimationFrame(tick);
}

function play(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const pcm = new Int16Array(bytes.buffer, 0, bytes.length >> 1);
  const buffer = ctx.createBuffer(1, pcm.length, 24000);
  const channel = buffer.getChannelData(0);
  for (let i = 0; i < pcm.length; i++) channel[i] = pcm[i] / 32768;
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  source.connect(ctx.destination);
  if (nextAt === 0) { startAt = ctx.currentTime + 0.05; nextAt = startAt; }
  source.start(nextAt);
  nextAt += buffer.duration;
}

async function speak() {
  stop();
  showError(null);
  const text = $("text").value;
  ctx = new AudioContext({ sampleRate: 24000 });
  controller = new AbortController();
  words = []; lastWords = []; nextAt = 0;
  render(text);
  $("stop").disabled = false; $("pause").disabled = false; $("captions").disabled = true;
  try {
    const r = await fetch("/v1/audio/speech", { method: "POST", signal: controller.signal, headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ input: text, voice: $("voice").value, speed: Number($("speed").value), response_format: "pcm", stream_format: "sse" }) });
    if (!r.ok) throw new Error((await r.json()).error.message);
    timer = requestAnimationFrame(tick);
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let pending = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += value;
      let cut;
      while ((cut = pending.indexOf("\n\n")) >= 0) {
        const block = pending.slice(0, cut); pending = pending.slice(cut + 2);
        if (!block.startsWith("data: ")) continue;
        const event = JSON.parse(block.slice(6));
        if (event.type === "speech.audio.delta") play(event.audio);
        else if (event.type === "speech.words") {
          words = words.concat(event.words); render(text);
          const end = event.words.length ? event.words[event.words.length - 1].charEnd : 0;
          $("progress").value = end / Math.max(1, [...text].length);
        } else if (event.type === "error") throw new Error(event.error.message);
        else if (event.type === "speech.audio.done") { $("progress").value = 1; lastWords = words; $("captions").disabled = false; }
      }
    }
  } catch (e) { if (e.name !== "AbortError") showError(e); }
}

function stop() {
  if (controller) controller.abort();
  if (ctx) ctx.close();
  ctx = null; controller = null;
  cancelAnimationFrame(timer);
  $("stop").disabled = true; $("pause").disabled = true; $("pause").textContent = "Pause";
}

async function pause() {
  if (!ctx) return;
  if (ctx.state === "running") { await ctx.suspend(); $("pause").textContent = "Resume"; }
  else { await ctx.resume(); $("pause").textContent = "Pause"; }
}

function save(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob); a.download = name; a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

async function download() {
  showError(null);
  const format = $("format").value;
  try {
    const r = await api("/v1/audio/speech", { input: $("text").value, voice: $("voice").value, speed: Number($("speed").value), response_format: format, stream: false });
    save(await r.blob(), `speech.${format}`);
  } catch (e) { showError(e); }
}

function srt() {
  const stamp = (s) => new Date(s * 1000).toISOString().slice(11, 23).replace(".", ",");
  const cues = lastWords.map((w, i) => `${i + 1}\n${stamp(w.start)} --> ${stamp(w.end)}\n${w.text}\n`);
  save(new Blob([cues.join("\n")], { type: "application/x-subrip" }), "speech.srt");
}

$("text").addEventListener("input", updateCount);
$("speak").addEventListener("click", speak);
$("stop").addEventListener("click", stop);
$("pause").addEventListener("click", pause);
$("download").addEventListener("click", download);
$("captions").addEventListener("click", srt);
init();
