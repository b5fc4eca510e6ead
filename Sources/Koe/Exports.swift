// One `import Koe` gives a library user the whole public API: the engine and model files
// (KokoroModel), languages and phonemization (KoeText), and audio formats (KoeAudio).
@_exported import KoeAudio
@_exported import KoeText
@_exported import KokoroModel
