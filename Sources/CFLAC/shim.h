#include <FLAC/stream_encoder.h>

// The status string tables are extern arrays of unknown size, which Swift does
// not import; these accessors index them on the C side.
static inline const char *koe_flac_init_status_string(FLAC__StreamEncoderInitStatus status) {
    return FLAC__StreamEncoderInitStatusString[status];
}
static inline const char *koe_flac_state_string(FLAC__StreamEncoderState state) {
    return FLAC__StreamEncoderStateString[state];
}
