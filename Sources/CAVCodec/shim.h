#include <dlfcn.h>
#include <stdio.h>
#include <libavcodec/avcodec.h>
#include <libavcodec/version.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/samplefmt.h>
#include <libavutil/version.h>

// AVERROR(EAGAIN) and AVERROR_EOF are macros Swift cannot import; typed constants instead.
static inline int koe_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int koe_averror_eof(void) { return AVERROR_EOF; }

// libavcodec is opened when the first AAC stream starts, not linked: it needs some 90 shared
// libraries, which every `koe` process (the `koe say` client's included) would otherwise load
// and bind at start-up. The libraries opened are those of the major versions the headers
// describe, so the structures Koe fills in have the layout the library reads.
#define KOE_AV_STRING_(x) #x
#define KOE_AV_STRING(x) KOE_AV_STRING_(x)
#ifdef __APPLE__
#define KOE_AVCODEC_LIBRARY "libavcodec." KOE_AV_STRING(LIBAVCODEC_VERSION_MAJOR) ".dylib"
#define KOE_AVUTIL_LIBRARY "libavutil." KOE_AV_STRING(LIBAVUTIL_VERSION_MAJOR) ".dylib"
#else
#define KOE_AVCODEC_LIBRARY "libavcodec.so." KOE_AV_STRING(LIBAVCODEC_VERSION_MAJOR)
#define KOE_AVUTIL_LIBRARY "libavutil.so." KOE_AV_STRING(LIBAVUTIL_VERSION_MAJOR)
#endif

/// The file name of the libavcodec Koe opens (for messages).
static inline const char *_Nonnull koe_avcodec_library(void) { return KOE_AVCODEC_LIBRARY; }

/// The functions of libavcodec and libavutil that the AAC encoder calls.
typedef struct {
    const AVCodec *_Nullable (*_Nonnull avcodec_find_encoder_by_name)(const char *_Nonnull);
    AVCodecContext *_Nullable (*_Nonnull avcodec_alloc_context3)(const AVCodec *_Nullable);
    int (*_Nonnull avcodec_open2)(AVCodecContext *_Nonnull, const AVCodec *_Nullable, AVDictionary *_Nullable *_Nullable);
    void (*_Nonnull avcodec_free_context)(AVCodecContext *_Nullable *_Nullable);
    int (*_Nonnull avcodec_send_frame)(AVCodecContext *_Nonnull, const AVFrame *_Nullable);
    int (*_Nonnull avcodec_receive_packet)(AVCodecContext *_Nonnull, AVPacket *_Nonnull);
    AVPacket *_Nullable (*_Nonnull av_packet_alloc)(void);
    void (*_Nonnull av_packet_free)(AVPacket *_Nullable *_Nullable);
    void (*_Nonnull av_packet_unref)(AVPacket *_Nonnull);
    void (*_Nonnull av_channel_layout_default)(AVChannelLayout *_Nonnull, int);
    int (*_Nonnull av_channel_layout_copy)(AVChannelLayout *_Nonnull, const AVChannelLayout *_Nonnull);
    AVFrame *_Nullable (*_Nonnull av_frame_alloc)(void);
    void (*_Nonnull av_frame_free)(AVFrame *_Nullable *_Nullable);
    int (*_Nonnull av_frame_get_buffer)(AVFrame *_Nonnull, int);
    int (*_Nonnull av_frame_make_writable)(AVFrame *_Nonnull);
    int (*_Nonnull av_strerror)(int, char *_Nonnull, size_t);
} koe_libav;

/// Opens the two libraries and finds the functions; NULL, with the reason in `error`, when a
/// library or a function is missing. Not thread-safe: call it once (Koe keeps the result).
static inline const koe_libav *_Nullable koe_libav_open(char *_Nonnull error, size_t length) {
    static koe_libav api;
    void *codec = dlopen(KOE_AVCODEC_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!codec) { snprintf(error, length, "%s", dlerror()); return NULL; }
    void *util = dlopen(KOE_AVUTIL_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!util) { snprintf(error, length, "%s", dlerror()); return NULL; }
#define KOE_AV_FIND(library, name)                                                          \
    if (!(*(void **)&api.name = dlsym(library, #name))) {                                   \
        snprintf(error, length, "%s has no function %s",                                    \
                 library == codec ? KOE_AVCODEC_LIBRARY : KOE_AVUTIL_LIBRARY, #name);        \
        return NULL;                                                                        \
    }
    KOE_AV_FIND(codec, avcodec_find_encoder_by_name)
    KOE_AV_FIND(codec, avcodec_alloc_context3)
    KOE_AV_FIND(codec, avcodec_open2)
    KOE_AV_FIND(codec, avcodec_free_context)
    KOE_AV_FIND(codec, avcodec_send_frame)
    KOE_AV_FIND(codec, avcodec_receive_packet)
    KOE_AV_FIND(codec, av_packet_alloc)
    KOE_AV_FIND(codec, av_packet_free)
    KOE_AV_FIND(codec, av_packet_unref)
    KOE_AV_FIND(util, av_channel_layout_default)
    KOE_AV_FIND(util, av_channel_layout_copy)
    KOE_AV_FIND(util, av_frame_alloc)
    KOE_AV_FIND(util, av_frame_free)
    KOE_AV_FIND(util, av_frame_get_buffer)
    KOE_AV_FIND(util, av_frame_make_writable)
    KOE_AV_FIND(util, av_strerror)
#undef KOE_AV_FIND
    return &api;
}
