package ser.pipeline.audio;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_DBL;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S32;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S64;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_U8;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_bytes_per_sample;
import static org.bytedeco.ffmpeg.global.avutil.av_get_packed_sample_fmt;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_sample_fmt_is_planar;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import ser.pipeline.BadInputException;

/**
 * Decodes every compressed container of {@link Container} (MP3, AAC, FLAC, Ogg Vorbis/Opus,
 * M4A/AAC, WebM/Matroska) with FFmpeg's libavformat/libavcodec (bytedeco's LGPL build, natives
 * inside the jar), reading the bytes through Java ({@link ByteSource}) so that zip entries,
 * pipes and request bodies decode like files, and counting them against the loader's limits.
 * The first audio stream is decoded, down-mixed to mono by averaging its channels (as
 * {@link WavDecoder} does) and handed over block by block at its own rate.
 *
 * <p>Strict like the WAV reader: a packet the codec rejects is an error ({@code corrupt: ...}),
 * and so is a file that decodes to clearly less audio than its container declares
 * ({@code truncated: ...}); a half-copied file should be copied again, not trained on.
 *
 * <p>Only the demuxers of our containers may be chosen by FFmpeg's probe: no playlists
 * (HLS), concat lists or image sequences, which open other files by name.
 *
 * <p>One instance decodes one file, on one thread; {@link #close()} frees the native state.
 */
final class FfmpegDecoder implements AutoCloseable {

    private static final String DEMUXERS = "mp3,aac,flac,ogg,mov,mp4,m4a,3gp,3g2,mj2,matroska,webm";
    private static final int IO_BUFFER_BYTES = 1 << 16;
    /** A decode may fall short of the declared length by this much (codec priming and padding). */
    private static final double TRUNCATION_SLACK_S = 0.2;
    private static final double TRUNCATION_SLACK_FRACTION = 0.02;
    private static final int AVERROR_EIO = -5;
    private static final int AVERROR_EAGAIN = -11;

    /*
     * JavaCPP compiles a callback into a fixed, small number of native thunks per class, so the
     * read/seek callbacks are two shared instances that find their file through the opaque
     * pointer FFmpeg hands back: this map, from opaque address to the open decoder, is the one
     * piece of static state, and each entry lives exactly as long as its decoder.
     */
    private static final Map<Long, FfmpegDecoder> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong KEYS = new AtomicLong();
    private static final ReadCallback READ = new ReadCallback();
    private static final SeekCallback SEEK = new SeekCallback();

    static {
        // FFmpeg's own log goes to stderr; every problem is reported as a BadInputException instead.
        av_log_set_level(AV_LOG_QUIET);
    }

    private final ByteSource source;
    private final String location;
    private final Container container;
    private final long key;
    private final Pointer opaque;
    private byte[] transfer = new byte[IO_BUFFER_BYTES];
    /** An exception thrown inside a callback, rethrown once FFmpeg returns. */
    private RuntimeException callbackFailure;
    private IOException callbackIoFailure;
    private AVIOContext io;
    private AVFormatContext format;
    private AVCodecContext codec;
    private int streamIndex;
    private int sampleRate;
    private int channels;
    private long declaredFrames = -1;
    private String codecName;

    private FfmpegDecoder(ByteSource source, Container container, String location) {
        this.source = source;
        this.container = container;
        this.location = location;
        this.key = KEYS.incrementAndGet();
        this.opaque = new Pointer() {
            {
                address = key;
            }
        };
    }

    /** Opens a source whose first bytes announced {@code container}; problems are {@link BadInputException}s. */
    static FfmpegDecoder open(ByteSource source, Container container, String location) throws IOException {
        FfmpegDecoder d = new FfmpegDecoder(source, container, location);
        OPEN.put(d.key, d);
        try {
            d.openNative();
            return d;
        } catch (IOException | RuntimeException | Error e) {
            d.close();
            throw e;
        }
    }

    private void openNative() throws IOException {
        BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER_BYTES)).capacity(IO_BUFFER_BYTES);
        io = avio_alloc_context(buffer, IO_BUFFER_BYTES, 0, opaque, READ, null, SEEK);
        if (!source.seekable()) {
            io.seekable(0);
        }
        format = avformat_alloc_context();
        format.pb(io);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "format_whitelist", DEMUXERS, 0);
        int r = avformat_open_input(format, (String) null, null, options);
        av_dict_free(options);
        if (r < 0) {
            format = null; // avformat_open_input frees the context when it fails
            throw failure(r, "cannot read as " + container.label());
        }
        r = avformat_find_stream_info(format, (AVDictionary) null);
        if (r < 0) {
            throw failure(r, "cannot read as " + container.label());
        }
        streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
        if (streamIndex < 0) {
            throw new BadInputException(location, "no audio stream in this " + container.label() + " file");
        }
        AVStream stream = format.streams(streamIndex);
        AVCodec decoder = avcodec_find_decoder(stream.codecpar().codec_id());
        codecName = avcodec_get_name(stream.codecpar().codec_id()).getString();
        if (decoder == null) {
            throw new BadInputException(location, "unsupported codec " + codecName + " in this " + container.label() + " file");
        }
        codec = avcodec_alloc_context3(decoder);
        checked(avcodec_parameters_to_context(codec, stream.codecpar()), "cannot set up the " + codecName + " decoder");
        checked(avcodec_open2(codec, decoder, (AVDictionary) null), "cannot open the " + codecName + " decoder");
        sampleRate = codec.sample_rate();
        channels = codec.channels();
        if (sampleRate < WavDecoder.MIN_SAMPLE_RATE || sampleRate > WavDecoder.MAX_SAMPLE_RATE) {
            throw new BadInputException(location, "sample rate " + sampleRate + " Hz is out of range (" + WavDecoder.MIN_SAMPLE_RATE
                    + ".." + WavDecoder.MAX_SAMPLE_RATE + " Hz)");
        }
        declaredFrames = declaredFrames(stream);
    }

    /**
     * The length the container states in its headers or index (FLAC STREAMINFO, the MP4 index,
     * the Matroska duration, an MP3 Xing/Info frame), in frames at the codec's rate; -1 when it
     * states none. Ogg and ADTS state nothing (FFmpeg's figure is read from the last page, or
     * guessed from the bit rate), so a truncated Ogg file cannot be told from a short one.
     */
    private long declaredFrames(AVStream stream) {
        final int fromBitrate = 2; // AVFMT_DURATION_FROM_BITRATE: a guess
        if (container == Container.OGG || container == Container.AAC || format.duration_estimation_method() == fromBitrate) {
            return -1;
        }
        long d = stream.duration();
        if (d != AV_NOPTS_VALUE && d > 0 && stream.time_base().den() > 0) {
            return Math.round(d * (double) stream.time_base().num() / stream.time_base().den() * sampleRate);
        }
        long total = format.duration();
        if (total != AV_NOPTS_VALUE && total > 0) {
            return Math.round(total / 1e6 * sampleRate);
        }
        return -1;
    }

    int sampleRate() {
        return sampleRate;
    }

    /** Frames the container declares, or -1. */
    long declaredFrames() {
        return declaredFrames;
    }

    AudioInfo info(long frames) {
        return new AudioInfo(sampleRate, channels, 0, container.label() + " " + codecName, frames, frames / (double) sampleRate);
    }

    /** Decodes to the end, down-mixed to mono at {@link #sampleRate()}; returns the frames decoded. */
    long decode(WavDecoder.MonoSink sink) throws IOException {
        AVPacket packet = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        float[] mono = new float[4096];
        long done = 0;
        try {
            while (true) {
                int r = av_read_frame(format, packet);
                if (r == AVERROR_EOF) {
                    break;
                }
                if (r < 0) {
                    throw failure(r, "corrupt: cannot read " + container.label() + " data after " + seconds(done));
                }
                try {
                    if (packet.stream_index() != streamIndex) {
                        continue;
                    }
                    r = avcodec_send_packet(codec, packet);
                    if (r < 0) {
                        throw failure(r, "corrupt: " + codecName + " data at " + seconds(done));
                    }
                } finally {
                    av_packet_unref(packet);
                }
                done += drain(frame, sink, done, mono);
            }
            avcodec_send_packet(codec, null); // flush: the codec's last delayed frames
            done += drain(frame, sink, done, mono);
        } finally {
            av_packet_free(packet);
            av_frame_free(frame);
        }
        if (done == 0) {
            throw new BadInputException(location, "no audio: the " + container.label() + " file decodes to no samples");
        }
        if (declaredFrames > 0 && done < declaredFrames * (1 - TRUNCATION_SLACK_FRACTION) - TRUNCATION_SLACK_S * sampleRate) {
            throw new BadInputException(location, String.format(Locale.ROOT, "truncated: the %s file declares %.2f s but only"
                    + " %.2f s decode", container.label(), declaredFrames / (double) sampleRate, done / (double) sampleRate));
        }
        return done;
    }

    private long drain(AVFrame frame, WavDecoder.MonoSink sink, long before, float[] monoStart) throws IOException {
        long frames = 0;
        float[] mono = monoStart;
        while (true) {
            int r = avcodec_receive_frame(codec, frame);
            if (r == AVERROR_EOF || r == AVERROR_EAGAIN /* needs the next packet */) {
                return frames;
            }
            if (r < 0) {
                throw failure(r, "corrupt: " + codecName + " data at " + seconds(before + frames));
            }
            if (frame.sample_rate() != sampleRate) {
                throw new BadInputException(location, "unsupported: the sample rate changes from " + sampleRate + " to "
                        + frame.sample_rate() + " Hz at " + seconds(before + frames));
            }
            int n = frame.nb_samples();
            if (mono.length < n) {
                mono = new float[n];
            }
            downMix(frame, n, mono, before + frames);
            sink.accept(mono, n);
            frames += n;
        }
    }

    /** Averages the channels of one decoded frame, whatever FFmpeg's sample format. */
    private void downMix(AVFrame frame, int n, float[] mono, long firstFrame) {
        int fmt = frame.format();
        int ch = frame.channels();
        boolean planar = av_sample_fmt_is_planar(fmt) != 0;
        int packed = av_get_packed_sample_fmt(fmt);
        int bytes = av_get_bytes_per_sample(fmt);
        java.util.Arrays.fill(mono, 0, n, 0f);
        double[] sum = new double[n];
        int planes = planar ? ch : 1;
        int perPlane = planar ? 1 : ch;
        for (int p = 0; p < planes; p++) {
            ByteBuffer data = new BytePointer(frame.extended_data().get(p)).capacity((long) n * perPlane * bytes).asByteBuffer()
                    .order(ByteOrder.nativeOrder());
            for (int i = 0; i < n * perPlane; i++) {
                double v;
                if (packed == AV_SAMPLE_FMT_FLT) {
                    v = data.getFloat(i * 4);
                } else if (packed == AV_SAMPLE_FMT_S16) {
                    v = data.getShort(i * 2) / 32768.0;
                } else if (packed == AV_SAMPLE_FMT_S32) {
                    v = data.getInt(i * 4) / 2147483648.0;
                } else if (packed == AV_SAMPLE_FMT_DBL) {
                    v = data.getDouble(i * 8);
                } else if (packed == AV_SAMPLE_FMT_U8) {
                    v = ((data.get(i) & 0xFF) - 128) / 128.0;
                } else if (packed == AV_SAMPLE_FMT_S64) {
                    v = data.getLong(i * 8) / 9.223372036854775807E18;
                } else {
                    throw new BadInputException(location, "unsupported sample format " + fmt + " from the " + codecName + " decoder");
                }
                if (!Double.isFinite(v)) {
                    throw new BadInputException(location, "contains NaN/Inf samples (first at frame " + (firstFrame + i / perPlane) + ")");
                }
                sum[i / perPlane] += v;
            }
        }
        for (int i = 0; i < n; i++) {
            double v = sum[i] / ch;
            mono[i] = (float) (v > 1 ? 1 : v < -1 ? -1 : v);
        }
    }

    private String seconds(long frames) {
        return String.format(Locale.ROOT, "%.2f s", frames / (double) Math.max(1, sampleRate));
    }

    private void checked(int r, String what) throws IOException {
        if (r < 0) {
            throw failure(r, what);
        }
    }

    /** The exception for an FFmpeg error code: what a callback threw, or the code's message. */
    private BadInputException failure(int code, String what) throws IOException {
        if (callbackFailure != null) {
            throw callbackFailure;
        }
        if (callbackIoFailure != null) {
            throw callbackIoFailure;
        }
        byte[] text = new byte[128];
        av_strerror(code, text, text.length);
        int len = 0;
        while (len < text.length && text[len] != 0) {
            len++;
        }
        String message = new String(text, 0, len, java.nio.charset.StandardCharsets.UTF_8);
        if (code == AVERROR_EOF) {
            message = "the file ends too early";
        }
        return new BadInputException(location, what + " (" + message.toLowerCase(Locale.ROOT) + ")");
    }

    @Override
    public void close() {
        OPEN.remove(key);
        if (codec != null) {
            avcodec_free_context(codec);
            codec = null;
        }
        if (format != null) {
            avformat_close_input(format); // custom I/O: closes the demuxer, leaves our AVIOContext
            format = null;
        }
        if (io != null) {
            av_free(io.buffer()); // FFmpeg may have replaced the buffer we gave; free the current one
            io.buffer(null);
            avio_context_free(io);
            io = null;
        }
        transfer = null;
    }

    private int readPacket(BytePointer buf, int size) {
        try {
            int want = Math.min(size, transfer.length);
            int n = source.read(transfer, 0, want);
            if (n <= 0) {
                return AVERROR_EOF;
            }
            buf.position(0).put(transfer, 0, n);
            return n;
        } catch (IOException e) {
            callbackIoFailure = e;
            return AVERROR_EIO;
        } catch (RuntimeException e) {
            callbackFailure = e;
            return AVERROR_EIO;
        }
    }

    private long seek(long offset, int whence) {
        try {
            if ((whence & AVSEEK_SIZE) != 0) {
                return source.size();
            }
            long target = switch (whence & 3) {
                case 0 -> offset; // SEEK_SET
                case 1 -> source.position() + offset; // SEEK_CUR
                case 2 -> source.size() < 0 ? -1 : source.size() + offset; // SEEK_END
                default -> -1;
            };
            return target >= 0 && source.seek(target) ? target : -1;
        } catch (IOException e) {
            callbackIoFailure = e;
            return -5;
        } catch (RuntimeException e) {
            callbackFailure = e;
            return -5;
        }
    }

    private static final class ReadCallback extends Read_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            FfmpegDecoder d = OPEN.get(opaque.address());
            return d == null ? AVERROR_EOF : d.readPacket(buf, size);
        }
    }

    private static final class SeekCallback extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            FfmpegDecoder d = OPEN.get(opaque.address());
            return d == null ? -1 : d.seek(offset, whence);
        }
    }
}
