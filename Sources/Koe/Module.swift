// The Koe module.
