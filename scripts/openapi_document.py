# Writes Sources/KoeServer/Resources/openapi.json (run after changing a route): python3 scripts/openapi_document.py
import json
err = {"$ref": "#/components/responses/Error"}
def errors(*codes):
    return {str(c): err for c in codes}
audio_types = ["audio/mpeg", "audio/ogg", "audio/aac", "audio/flac", "audio/wav", "audio/L16"]
binary = {"type": "string", "contentMediaType": "application/octet-stream"}
formats = ["mp3", "opus", "aac", "flac", "wav", "pcm"]
voice = {"description": "A Koe voice (`jf_alpha`), a blend (`af_heart(2)+af_bella(1)`, `a+b`, `a-b`), one of OpenAI's voice names (mapped to a loaded voice, see `/v1/audio/voices`), or OpenAI's `{\"id\": ...}` form. Default: the server's default voice.",
         "oneOf": [{"type": "string"}, {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}]}
speech_request = {
  "type": "object",
  "required": ["input"],
  "properties": {
    "model": {"type": "string", "description": "Any string; `kokoro`, `tts-1`, `tts-1-hd` and `gpt-4o-mini-tts` are listed by `/v1/models`. Default `kokoro`.", "examples": ["tts-1"]},
    "input": {"type": "string", "minLength": 1, "maxLength": 4096, "description": "The text to speak, at most the server's `--max-input-chars` characters (Unicode code points). Inline pronunciations `[word](/ipa/)` are honoured."},
    "voice": voice,
    "instructions": {"type": "string", "maxLength": 4096, "description": "Accepted for OpenAI compatibility and ignored: Kokoro has no style prompt."},
    "response_format": {"type": "string", "enum": formats, "default": "mp3", "description": "`pcm` is 24 kHz signed 16-bit little-endian mono without a header; `aac` is AAC-LC in ADTS frames; `opus` is Ogg Opus."},
    "speed": {"type": "number", "minimum": 0.25, "maximum": 4.0, "default": 1.0, "description": "Speaking rate, OpenAI's range, which Kokoro takes as it is: each sound's predicted duration is divided by the speed, with one frame (25 ms) at least, so past about 2.5 the speech shortens little more. Outside the range: 400."},
    "stream_format": {"type": "string", "enum": ["audio", "sse"], "default": "audio", "description": "`audio`: the audio itself, streamed by chunked transfer. `sse`: `speech.audio.delta` events (base64 audio), Koe's `speech.words` events, then `speech.audio.done` with `usage`."},
    "stream": {"type": "boolean", "default": True, "description": "Kokoro-FastAPI's field: false sends the whole file at once (with exact WAV/FLAC headers and the MP3 Xing/LAME tag)."},
    "lang_code": {"type": "string", "description": "Kokoro-FastAPI's language code (`a`, `b`, `e`, `f`, `h`, `i`, `p`, or `en-us`, `fr`...). Default: from the voice's first letter, else American English."},
    "volume_multiplier": {"type": "number", "minimum": 0, "maximum": 10, "default": 1.0, "description": "Kokoro-FastAPI's gain applied to the samples before encoding."},
    "normalization_options": {"type": "object", "description": "Kokoro-FastAPI's text normalisation switches, mapped onto the readings Koe's English front end has (other languages have none of them). Omitted switches are on.",
      "properties": {
        "normalize": {"type": "boolean", "default": True, "description": "false: every reading below off (addresses read as their words with dots and slashes silent, symbols silent)."},
        "url_normalization": {"type": "boolean", "default": True, "description": "Web addresses (`example.com/docs`) read with \"dot\" and \"slash\"."},
        "email_normalization": {"type": "boolean", "default": True, "description": "E-mail addresses (`ada@example.com`) read with \"at\" and \"dot\"."},
        "replace_remaining_symbols": {"type": "boolean", "default": True, "description": "`%`, `&`, `+` and `@` outside addresses read as words; false: silent."},
        "unit_normalization": {"type": "boolean", "default": False, "description": "Not honoured (type-checked only): Koe reads units as written (`5 km`: \"K M\")."},
        "phone_normalization": {"type": "boolean", "default": True, "description": "Not honoured (type-checked only): Koe reads a phone number's digit groups as numbers."},
        "optional_pluralization_normalization": {"type": "boolean", "default": True, "description": "Not honoured (type-checked only): `(s)` is read as written."},
      }},
    "return_download_link": {"type": "boolean", "description": "Kokoro-FastAPI's field; accepted, no download links are kept."},
    "return_timing": {"type": "boolean", "description": "Kokoro-FastAPI's field; accepted. Word timings come in SSE `speech.words` events and from the captioned routes."},
  },
}
speech_headers = {
  "X-Koe-Voice": {"description": "The voice expression used.", "schema": {"type": "string"}},
}
# In OpenAPI 3.1 the schema of an event stream describes one event: its `data` is one JSON
# object (`speech.audio.delta`, `speech.words`, `speech.audio.done` or `error`).
sse_event = {"type": "object", "required": ["data"], "properties": {"data": {"type": "string", "contentMediaType": "application/json"},
             "event": {"type": "string"}, "id": {"type": "string"}, "retry": {"type": "integer"}}}
speech_200 = {"description": "The audio (chunked, as it is synthesised) or SSE events.",
  "headers": speech_headers,
  "content": {**{t: {"schema": binary} for t in audio_types}, "text/event-stream": {"schema": sse_event}}}
timestamp = {"type": "object", "required": ["word", "start_time", "end_time"], "properties": {
  "word": {"type": "string", "description": "The word as written in the input."},
  "start_time": {"type": "number", "description": "Seconds from the start of the audio."},
  "end_time": {"type": "number"}}}
captioned = {"type": "object", "required": ["audio", "audio_format", "timestamps"], "properties": {
  "audio": {"type": "string", "contentEncoding": "base64"},
  "audio_format": {"type": "string", "enum": formats},
  "timestamps": {"type": "array", "items": {"$ref": "#/components/schemas/WordTimestamp"}}}}
model = {"type": "object", "required": ["id", "object", "created", "owned_by"], "properties": {
  "id": {"type": "string"}, "object": {"const": "model"}, "created": {"type": "integer"}, "owned_by": {"type": "string"}}}
voice_entry = {"type": "object", "required": ["id", "name", "language", "gender"], "properties": {
  "id": {"type": "string"}, "name": {"type": "string"}, "language": {"type": "string", "description": "BCP 47 tag from the voice's first letter."},
  "gender": {"type": "string", "enum": ["female", "male", "unknown"]}}}
error = {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["message", "type", "param", "code"], "properties": {
  "message": {"type": "string"}, "type": {"type": "string"}, "param": {"type": ["string", "null"]}, "code": {"type": ["string", "null"]}}}}}
json_body = lambda ref: {"required": True, "content": {"application/json": {"schema": {"$ref": ref}}}}
doc = {
 "openapi": "3.1.0",
 "info": {"title": "Koe speech server", "version": "1.0.0",
   "description": "OpenAI's speech API and Kokoro-FastAPI's extras, served by `koe serve` (Kokoro-82M on the CPU). Errors use OpenAI's shape. With `--api-key`, every route but `/health` needs `Authorization: Bearer <key>`."},
 "servers": [{"url": "/"}],
 "paths": {
  "/v1/audio/speech": {"post": {"operationId": "createSpeech", "summary": "Speak text (OpenAI's contract)", "requestBody": json_body("#/components/schemas/SpeechRequest"),
     "responses": {"200": speech_200, **errors(400, 401, 413, 415, 429, 503)}}},
  "/v1/audio/captioned_speech": {"post": {"operationId": "createCaptionedSpeech", "summary": "Speech with word timestamps (Kokoro-FastAPI)", "requestBody": json_body("#/components/schemas/SpeechRequest"),
     "responses": {"200": {"description": "One JSON object, or (with `stream`, the default) one object per chunk as NDJSON.", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/CaptionedSpeech"}}, "application/x-ndjson": {"schema": {"type": "string"}}}}, **errors(400, 401, 413, 415, 429, 503)}}},
  "/dev/captioned_speech": {"post": {"operationId": "createCaptionedSpeechDev", "summary": "Kokoro-FastAPI's name for /v1/audio/captioned_speech", "requestBody": json_body("#/components/schemas/SpeechRequest"),
     "responses": {"200": {"description": "As /v1/audio/captioned_speech.", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/CaptionedSpeech"}}, "application/x-ndjson": {"schema": {"type": "string"}}}}, **errors(400, 401, 413, 415, 429, 503)}}},
  "/v1/audio/voices": {"get": {"operationId": "listVoices", "summary": "The loaded voices",
     "parameters": [{"name": "legacy", "in": "query", "required": False, "schema": {"type": "string", "enum": ["true", "false"]}, "description": "`true`: a list of names (older clients)."}],
     "responses": {"200": {"description": "Voices as objects (Open WebUI), or names with `legacy=true`.", "content": {"application/json": {"schema": {"type": "object", "required": ["voices"], "properties": {
        "voices": {"type": "array", "items": {"oneOf": [{"$ref": "#/components/schemas/Voice"}, {"type": "string"}]}},
        "default": {"type": "string"},
        "openai_voices": {"type": "object", "additionalProperties": {"type": "string"}, "description": "OpenAI's voice names and the loaded voice each speaks with."}}}}}},
       **errors(401, 503)}}},
  "/v1/models": {"get": {"operationId": "listModels", "summary": "Model names accepted by the speech routes", "responses": {"200": {"description": "OpenAI's model list.", "content": {"application/json": {"schema": {
     "type": "object", "required": ["object", "data"], "properties": {"object": {"const": "list"}, "data": {"type": "array", "items": {"$ref": "#/components/schemas/Model"}}}}}}}, **errors(401)}}},
  "/v1/models/{id}": {"get": {"operationId": "getModel", "summary": "One model", "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
     "responses": {"200": {"description": "The model.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Model"}}}}, **errors(401, 404)}}},
  "/dev/phonemize": {"post": {"operationId": "phonemize", "summary": "Text to Kokoro phonemes (Kokoro-FastAPI)", "requestBody": {"required": True, "content": {"application/json": {"schema": {
     "type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 4096}, "language": {"type": "string", "description": "A Kokoro language code; default from the default voice."}}}}}},
     "responses": {"200": {"description": "Phonemes and their token ids.", "content": {"application/json": {"schema": {"type": "object", "required": ["phonemes", "tokens"], "properties": {
        "phonemes": {"type": "string"}, "tokens": {"type": "array", "items": {"type": "integer"}}}}}}}, **errors(400, 401, 413, 415, 503)}}},
  "/dev/generate_from_phonemes": {"post": {"operationId": "generateFromPhonemes", "summary": "Speak Kokoro phonemes in one forward pass (Kokoro-FastAPI)", "requestBody": {"required": True, "content": {"application/json": {"schema": {
     "type": "object", "required": ["phonemes"], "properties": {"phonemes": {"type": "string", "minLength": 1, "maxLength": 510}, "voice": voice,
       "speed": {"type": "number", "minimum": 0.25, "maximum": 4.0, "default": 1.0}, "response_format": {"type": "string", "enum": formats, "default": "wav"}}}}}},
     "responses": {"200": {"description": "The whole audio file (WAV by default).", "content": {t: {"schema": binary} for t in audio_types}}, **errors(400, 401, 413, 415, 429, 503)}}},
  "/health": {"get": {"operationId": "health", "summary": "Alive (never needs the API key)", "responses": {"200": {"description": "Alive.", "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"const": "healthy"}}}}}}}}},
  "/ready": {"get": {"operationId": "ready", "summary": "Model loaded and taking requests", "responses": {"200": {"description": "Ready.", "content": {"application/json": {"schema": {"type": "object", "required": ["status", "voices", "active", "waiting"], "properties": {
     "status": {"const": "ready"}, "voices": {"type": "integer"}, "active": {"type": "integer", "description": "Syntheses holding a slot."}, "waiting": {"type": "integer", "description": "Requests waiting for one."}}}}}}, **errors(401, 500, 503)}}},
  "/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus metrics", "responses": {"200": {"description": "Prometheus text exposition: requests by route and status, queue depth, time to first byte, audio seconds, real-time factor.", "content": {"text/plain": {"schema": {"type": "string"}}}}, **errors(401)}}},
  "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1.", "content": {"application/json": {"schema": {"type": "object"}}}}, **errors(401)}}},
  "/": {"get": {"operationId": "page", "summary": "The web page (never needs the API key; its requests do)", "responses": {"200": {"description": "The page.", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
  "/web": {"get": {"operationId": "webPage", "summary": "The web page", "responses": {"200": {"description": "The page.", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
  "/web/{file}": {"get": {"operationId": "webFile", "summary": "The page's files: index.html, app.js, style.css", "parameters": [{"name": "file", "in": "path", "required": True, "schema": {"type": "string"}}],
     "responses": {"200": {"description": "The file.", "content": {"text/html": {"schema": {"type": "string"}}, "text/javascript": {"schema": {"type": "string"}}, "text/css": {"schema": {"type": "string"}}}}, **errors(404)}}},
 },
 "components": {
  "schemas": {"SpeechRequest": speech_request, "CaptionedSpeech": captioned, "WordTimestamp": timestamp, "Model": model, "Voice": voice_entry, "Error": error},
  "responses": {"Error": {"description": "An error in OpenAI's shape. 429 and 503 carry `Retry-After`.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
  "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "Only when the server runs with `--api-key`."}},
 },
}
import os
json.dump(doc, open(os.path.join(os.path.dirname(__file__), "..", "Sources/KoeServer/Resources/openapi.json"), "w"), indent=1)
