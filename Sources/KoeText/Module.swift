// The KoeText module.
