#include <opus/opus.h>
#include <ogg/ogg.h>

// Swift cannot call C variadic functions, so each opus_encoder_ctl request
// Koe uses gets a typed inline wrapper.
static inline int koe_opus_set_bitrate(OpusEncoder *st, opus_int32 bitsPerSecond) {
    return opus_encoder_ctl(st, OPUS_SET_BITRATE(bitsPerSecond));
}
static inline int koe_opus_set_complexity(OpusEncoder *st, opus_int32 complexity) {
    return opus_encoder_ctl(st, OPUS_SET_COMPLEXITY(complexity));
}
static inline int koe_opus_set_vbr(OpusEncoder *st, opus_int32 enabled) {
    return opus_encoder_ctl(st, OPUS_SET_VBR(enabled));
}
static inline int koe_opus_get_lookahead(OpusEncoder *st, opus_int32 *lookahead) {
    return opus_encoder_ctl(st, OPUS_GET_LOOKAHEAD(lookahead));
}
