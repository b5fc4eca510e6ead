// Koe's page. Speech comes as SSE events (`speech.audio.delta` with 16-bit PCM,
// `speech.words` with word timestamps); audio.js queues the audio on the Web Audio clock and
// the read-along follows that clock, never wall time, so pause and late chunks stay in sync.
import { Output, SpeechAudio } from "./audio.js";
import { srt, vtt, timestamps } from "./captions.js";

const $ = (id) => document.getElementById(id);
const page = { limit: null, voices: [], defaultVoice: "" };
const output = new Output();
let run = null;    // the speech being played
let last = null;   // { text, words, voice }: the last speech the server finished
const finished = [];  // past speeches' figures, for koe.past()

// ---- the API ----------------------------------------------------------------------------

function headers(json) {
  const h = {};
  if (json) h["Content-Type"] = "application/json";
  const key = $("api-key").value.trim();
  if (key) h.Authorization = `Bearer ${key}`;
  return h;
}

/** fetch() that turns the API's error JSON (or a network failure) into an Error with its message. */
async function api(path, body, signal) {
  const init = body === undefined ? { headers: headers(false), signal }
    : { method: "POST", headers: headers(true), body: JSON.stringify(body), signal };
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new Error(`Could not reach the server: ${e.message}`);
  }
  if (!response.ok) throw await apiError(response);
  return response;
}

async function apiError(response) {
  let detail = null;
  try { detail = (await response.json()).error; } catch (e) { /* not the API's JSON */ }
  return errorFrom(detail, `The server answered ${response.status} ${response.statusText}.`);
}

function errorFrom(detail, fallback) {
  const e = new Error(detail && detail.message ? detail.message : fallback);
  e.param = detail ? detail.param : null;
  e.code = detail ? detail.code : null;
  return e;
}

function speechBody(format, extra) {
  const body = { model: "kokoro", input: $("text").value, voice: voiceExpression(), speed: Number($("speed").value), response_format: format };
  const language = $("language").value;
  if (language) body.lang_code = language;
  return Object.assign(body, extra);
}

// ---- messages ---------------------------------------------------------------------------

function showError(e) {
  const box = $("error");
  box.textContent = String(e && e.message ? e.message : e);
  box.hidden = false;
  $("text").setAttribute("aria-invalid", e && e.param === "input" ? "true" : "false");
}

function hideError() {
  $("error").hidden = true;
  $("error").textContent = "";
  $("text").setAttribute("aria-invalid", "false");
}

function status(text) { $("status").textContent = text; }

// ---- text, voices and the blend -----------------------------------------------------------

function updateCount() {
  const n = [...$("text").value].length;  // code points, as the server counts
  const count = $("count");
  count.textContent = page.limit ? `${n} / ${page.limit} characters` : `${n} characters`;
  count.classList.toggle("over", page.limit !== null && n > page.limit);
}

function languageName(tag) {
  try { return new Intl.DisplayNames([navigator.language || "en", "en"], { type: "language" }).of(tag) || tag; }
  catch (e) { return tag; }
}

async function loadVoices() {
  const list = await (await api("/v1/audio/voices")).json();
  page.voices = list.voices;
  page.defaultVoice = list.default;
  const keep = [...$("blend").querySelectorAll("select")].map((s) => s.value);
  $("blend").textContent = "";
  addVoice(keep[0] || page.defaultVoice);
  for (const id of keep.slice(1)) addVoice(id);
  $("add-voice").disabled = false;
  status(`Ready: ${page.voices.length} voices`);
}

function voiceSelect(selected) {
  const select = document.createElement("select");
  const groups = new Map();
  for (const v of page.voices) {
    if (!groups.has(v.language)) groups.set(v.language, []);
    groups.get(v.language).push(v);
  }
  const sorted = [...groups.entries()].sort((a, b) => languageName(a[0]).localeCompare(languageName(b[0])));
  for (const [language, voices] of sorted) {
    const group = document.createElement("optgroup");
    group.label = languageName(language);
    for (const v of voices) group.append(new Option(`${v.name} (${v.gender}, ${v.id})`, v.id, false, v.id === selected));
    select.append(group);
  }
  return select;
}

function addVoice(id, weight = 1) {
  const li = document.createElement("li");
  const voice = document.createElement("label");
  voice.className = "voice";
  const select = voiceSelect(id || page.defaultVoice);
  voice.append(document.createElement("span"), select);
  const weightLabel = document.createElement("label");
  weightLabel.className = "weight";
  const input = document.createElement("input");
  Object.assign(input, { type: "number", min: "0.1", max: "100", step: "0.1", value: String(weight) });
  weightLabel.append("Weight", input);
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "remove";
  remove.textContent = "Remove";
  remove.addEventListener("click", () => {
    const next = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    renumber();
    if (next) next.querySelector("select").focus();
  });
  li.append(voice, weightLabel, remove);
  $("blend").append(li);
  renumber();
  return select;
}

function renumber() {
  const rows = [...$("blend").children];
  $("blend").classList.toggle("single", rows.length === 1);
  rows.forEach((li, k) => {
    const select = li.querySelector("select");
    select.id = k === 0 ? "voice" : `voice-${k + 1}`;
    li.querySelector(".voice span").textContent = rows.length === 1 ? "Voice" : `Voice ${k + 1}`;
    li.querySelector(".remove").setAttribute("aria-label", `Remove voice ${k + 1} from the blend`);
    li.querySelector(".weight input").setAttribute("aria-label", `Weight of voice ${k + 1}`);
  });
  updateExpression();
}

/** The voice in the API's syntax: `af_heart`, or a blend `af_heart(2)+af_bella(1)`. */
function voiceExpression() {
  const rows = [...$("blend").children];
  if (rows.length === 0) return page.defaultVoice || undefined;
  const terms = rows.map((li) => ({ id: li.querySelector("select").value, weight: li.querySelector(".weight input").value.trim() }));
  if (terms.length === 1) return terms[0].id;
  return terms.map((t) => `${t.id}(${t.weight || "0"})`).join("+");  // the server checks the weights
}

function updateExpression() { $("voice-expr").textContent = voiceExpression() || ""; }

// ---- the read-along -------------------------------------------------------------------------

function resetReading(r) {
  const box = $("reading");
  box.textContent = "";
  r.rest = document.createTextNode(r.text);
  box.append(r.rest);
  box.scrollTop = 0;
}

/** Wraps each new word in a span; words arrive in order, so only the tail is rebuilt. */
function addWords(r, words) {
  for (const w of words) {
    const start = Math.max(w.charStart, r.renderedTo), end = Math.max(w.charEnd, start);
    const span = document.createElement("span");
    span.className = "word";
    span.dataset.index = String(r.words.length);
    span.textContent = r.cps.slice(start, end).join("");
    r.rest.before(r.cps.slice(r.renderedTo, start).join(""), span);
    r.renderedTo = end;
    r.words.push(w);
    r.spans.push(span);
  }
  r.rest.textContent = r.cps.slice(r.renderedTo).join("");
}

function tick() {
  const r = run;
  if (!r) return;
  const u = r.audio.position(output.heardTime());
  // The word being heard, and every word that has ended.
  let now = -1;
  while (r.spokenTo < r.words.length && r.words[r.spokenTo].end <= u) r.spans[r.spokenTo++].classList.add("spoken");
  if (r.spokenTo < r.words.length && r.words[r.spokenTo].start <= u) now = r.spokenTo;
  if (now !== r.current) {
    if (r.current >= 0) r.spans[r.current].classList.remove("now");
    if (now >= 0) { r.spans[now].classList.add("now"); follow(r, r.spans[now]); }
    r.current = now;
  }
  const total = Math.max(1, r.cps.length);
  const heardTo = r.spokenTo > 0 ? r.words[r.spokenTo - 1].charEnd : 0;
  const spoken = now >= 0 ? r.words[now].charEnd : heardTo;
  const made = r.done ? total : r.words.length ? r.words[r.words.length - 1].charEnd : 0;
  showProgress(spoken / total, made / total, Math.max(0, u), r.audio.seconds, r.done);
  $("level").firstElementChild.style.width = `${Math.min(100, output.level() * 400)}%`;
  r.frame = requestAnimationFrame(tick);
}

/** Keeps the word in view: the read-along box scrolls with it, and so does the page unless
 *  the person has scrolled it themselves since Speak. */
function follow(r, span) {
  const box = $("reading");
  const behavior = window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
  const top = span.offsetTop, bottom = top + span.offsetHeight, margin = box.clientHeight / 4;
  let scroll = box.scrollTop;
  if (top < scroll + 4 || bottom > scroll + box.clientHeight - margin) {
    scroll = Math.max(0, Math.min(top - margin, box.scrollHeight - box.clientHeight));
    box.scrollTo({ top: scroll, behavior });
  }
  if (!r.followPage) return;
  // Where the word will be in the window once the box has scrolled.
  const view = window.innerHeight;
  const wordTop = box.getBoundingClientRect().top + box.clientTop + top - scroll, wordBottom = wordTop + span.offsetHeight;
  if (wordTop < 0) window.scrollBy({ top: wordTop - view / 4, behavior });
  else if (wordBottom > view) window.scrollBy({ top: wordBottom - view + view / 4, behavior });
}

function clockText(s) {
  const whole = Math.floor(s);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function showProgress(spoken, made, heard, received, done) {
  const bar = $("progress");
  $("spoken").style.width = `${(spoken * 100).toFixed(1)}%`;
  $("made").style.width = `${(made * 100).toFixed(1)}%`;
  bar.setAttribute("aria-valuenow", String(Math.round(spoken * 100)));
  bar.setAttribute("aria-valuetext", `${Math.round(spoken * 100)} % spoken, ${Math.round(made * 100)} % made`);
  $("clock").textContent = `${clockText(heard)} / ${clockText(received)}${done ? "" : " …"}`;
}

// ---- speaking -------------------------------------------------------------------------------

async function speak(event) {
  stop(true);
  hideError();
  const text = $("text").value;
  const r = run = {
    text, cps: [...text], words: [], spans: [], rest: null, renderedTo: 0, spokenTo: 0, current: -1,
    controller: new AbortController(), paused: false, done: false, frame: 0, voice: voiceExpression(),
    stats: { clickAt: event && event.timeStamp ? event.timeStamp : performance.now(), events: [] },
  };
  r.audio = new SpeechAudio(output, {
    onStart: (at) => { r.stats.clockAt = at; },
    onDrained: () => { if (r.done) finish(r); },
  });
  resetReading(r);
  r.followPage = true;
  showProgress(0, 0, 0, 0, false);
  setPlaying(true);
  status("Speaking…");
  try {
    const response = await api("/v1/audio/speech", speechBody("pcm", { stream_format: "sse" }), r.controller.signal);
    r.stats.responseAt = performance.now();
    await readEvents(response, (e) => onEvent(r, e));
    if (!r.done) throw new Error("The speech stream ended before the server finished it.");
  } catch (e) {
    if (e.name === "AbortError" || run !== r) return;
    showError(e);
    r.done = true;  // play what came; the page is idle once it has been heard
    r.outcome = "Failed";
    if (!r.audio.playing) finish(r);
    else status("Failed; playing what arrived");
  }
}

async function readEvents(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += value;
    let cut;
    while ((cut = pending.indexOf("\n\n")) >= 0) {
      const block = pending.slice(0, cut);
      pending = pending.slice(cut + 2);
      const data = block.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).replace(/^ /, "")).join("\n");
      if (data) onEvent(JSON.parse(data));
    }
  }
}

function onEvent(r, event) {
  if (run !== r) return;
  r.stats.events.push({ type: event.type, at: performance.now() });
  switch (event.type) {
    case "speech.audio.delta":
      if (!r.stats.firstDeltaAt) {
        r.stats.firstDeltaAt = performance.now();
        r.frame = requestAnimationFrame(tick);  // nothing moves before the first audio: no frames to draw
      }
      r.audio.push(event.audio);
      break;
    case "speech.words": addWords(r, event.words); break;
    case "speech.audio.done":
      r.done = true;
      r.stats.doneAt = performance.now();
      last = { text: r.text, words: r.words.slice(), voice: r.voice };
      for (const id of ["srt", "vtt", "json"]) $(id).disabled = false;
      if (!r.audio.playing) finish(r);
      break;
    case "error": throw errorFrom(event.error, "The server failed while speaking.");
  }
}

function finish(r) {
  if (run !== r) return;
  cancelAnimationFrame(r.frame);
  tick();  // one last frame: the last word marked spoken
  cancelAnimationFrame(r.frame);
  if (r.current >= 0) r.spans[r.current].classList.remove("now");
  run = null;
  r.audio.release();
  setPlaying(false);
  status(r.outcome || `Done: ${r.audio.seconds.toFixed(1)} s of speech`);
  finished.push(r);
  output.idleSoon();
}

/** Stops playback at once: scheduled audio is cut and the request cancelled. */
function stop(quiet) {
  const r = run;
  if (!r) return;
  run = null;
  r.controller.abort();
  cancelAnimationFrame(r.frame);
  r.audio.stop();
  $("clock").textContent = $("clock").textContent.replace(/ …$/, "");  // nothing more is coming
  if (r.current >= 0) r.spans[r.current].classList.remove("now");
  $("level").firstElementChild.style.width = "0";
  r.stats.stoppedAt = performance.now();
  finished.push(r);
  setPlaying(false);
  if (r.paused) output.open();
  if (!quiet) status("Stopped");
  output.idleSoon();
}

async function pause() {
  const r = run;
  if (!r) return;
  r.paused = !r.paused;
  $("pause").textContent = r.paused ? "Resume" : "Pause";
  $("pause").setAttribute("aria-pressed", String(r.paused));
  status(r.paused ? "Paused" : "Speaking…");
  if (r.paused) await output.ctx.suspend();
  else await output.ctx.resume();
}

function setPlaying(playing) {
  $("stop").disabled = !playing;
  $("pause").disabled = !playing;
  $("pause").textContent = "Pause";
  $("pause").setAttribute("aria-pressed", "false");
}

// ---- downloads ------------------------------------------------------------------------------

function save(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}

async function download() {
  hideError();
  const format = $("format").value, button = $("download");
  button.disabled = true;
  status(`Making the ${format.toUpperCase()} file…`);
  try {
    const response = await api("/v1/audio/speech", speechBody(format, { stream: false }));
    // As bytes without a type, so that no browser renames the file (Firefox saves audio/ogg as .ogx).
    save(new Blob([await response.arrayBuffer()], { type: "application/octet-stream" }), `koe-speech.${format}`);
    status(`Saved koe-speech.${format}`);
  } catch (e) {
    showError(e);
    status("Download failed");
  } finally {
    button.disabled = false;
  }
}


function saveCaptions(kind) {
  if (!last) return;
  const make = { srt: [srt, "application/x-subrip"], vtt: [vtt, "text/vtt"], json: [timestamps, "application/json"] }[kind];
  save(new Blob([make[0](last.text, last.words)], { type: make[1] }), `koe-speech.${kind}`);
}

// ---- wiring ---------------------------------------------------------------------------------

/** Whether an element is wholly inside the read-along box's visible part and the window. */
function inView(el) {
  const a = el.getBoundingClientRect(), box = $("reading").getBoundingClientRect();
  return a.top >= box.top - 1 && a.bottom <= box.bottom + 1 && a.top >= -1 && a.bottom <= window.innerHeight + 1;
}

/** What tests and the console may read: the state of the speech now, and figures of past ones. */
window.koe = Object.freeze({
  sample() {
    const r = run;
    const now = document.querySelector("#reading .now");
    return {
      state: r ? (r.paused ? "paused" : "speaking") : "idle",
      contextState: output.ctx ? output.ctx.state : "none",
      contextTime: output.ctx ? output.ctx.currentTime : 0,
      heardTime: output.heardTime(),
      highlighted: now ? Number(now.dataset.index) : -1,
      highlightedText: now ? now.textContent : "",
      inView: now ? inView(now) : null,
      readingScroll: $("reading").scrollTop,
      pageScroll: window.scrollY,
      progress: Number($("progress").getAttribute("aria-valuenow")),
      level: output.level(),
      words: r ? r.words.length : 0,
      segments: r ? r.audio.segments.map((s) => ({ ...s })) : [],
    };
  },
  current() { return run ? { words: run.words.length, stats: run.stats, done: run.done } : null; },
  past() { return finished.map((r) => ({ words: r.words.length, segments: r.audio.segments.length, seconds: r.audio.seconds, done: r.done, stats: r.stats })); },
  get last() { return last; },
  get limit() { return page.limit; },
});

$("text").addEventListener("input", () => {
  updateCount();
  if (!run) $("reading").textContent = $("text").value;  // the read-along shows the text to come
});
$("text").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); speak(e); }
});
document.addEventListener("keydown", (e) => { if (e.key === "Escape" && run) { e.preventDefault(); stop(); } });
// Scrolling by hand stops the page from following the read-along until the next Speak.
for (const type of ["wheel", "touchmove"]) window.addEventListener(type, () => { if (run) run.followPage = false; }, { passive: true });
window.addEventListener("keydown", (e) => {
  if (run && ["PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown", " "].includes(e.key) && e.target === document.body) run.followPage = false;
});
// Any first press starts the audio output, so that its start-up overlaps the request.
for (const type of ["pointerdown", "keydown"]) document.addEventListener(type, () => output.open(), { capture: true, once: true });
$("blend").addEventListener("input", updateExpression);
$("blend").addEventListener("change", updateExpression);
$("add-voice").addEventListener("click", () => {
  // The next voice not in the blend yet, of the first voice's language if there is one.
  const selects = [...$("blend").querySelectorAll("select")];
  const used = new Set(selects.map((s) => s.value));
  const language = (page.voices.find((v) => v.id === (selects[0] && selects[0].value)) || {}).language;
  const free = page.voices.filter((v) => !used.has(v.id));
  const next = free.find((v) => v.language === language) || free[0];
  addVoice(next ? next.id : page.defaultVoice).focus();
});
$("speed").addEventListener("input", () => { $("speed-value").textContent = `${Number($("speed").value).toFixed(2)}×`; });
$("speak").addEventListener("click", speak);
$("stop").addEventListener("click", () => stop());
$("pause").addEventListener("click", pause);
$("download").addEventListener("click", download);
for (const id of ["srt", "vtt", "json"]) $(id).addEventListener("click", () => saveCaptions(id));
$("api-key").addEventListener("change", () => {
  localStorage.setItem("koe.apiKey", $("api-key").value.trim());
  init();
});

async function init() {
  hideError();
  try {
    const doc = await (await api("/openapi.json")).json();
    const input = doc && doc.components && doc.components.schemas && doc.components.schemas.SpeechRequest;
    page.limit = input && input.properties && input.properties.input ? input.properties.input.maxLength || null : null;
    updateCount();
    await loadVoices();
  } catch (e) {
    if (e.code === "model_loading") {  // the server is up and loading its model: ask again soon
      status("The server is loading its model…");
      setTimeout(init, 2000);
      return;
    }
    status("Not connected");
    showError(e);
  }
}

$("api-key").value = localStorage.getItem("koe.apiKey") || "";
$("reading").textContent = $("text").value;
updateCount();
init();
