// The KoeAudio module.
