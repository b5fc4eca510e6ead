#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/samplefmt.h>

// AVERROR(EAGAIN) and AVERROR_EOF are macros Swift cannot import; typed constants instead.
static inline int koe_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int koe_averror_eof(void) { return AVERROR_EOF; }
