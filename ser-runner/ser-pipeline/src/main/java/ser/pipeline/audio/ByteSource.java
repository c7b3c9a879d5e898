package ser.pipeline.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of one compressed file as FFmpeg reads them: forward, and backward too when the
 * source can seek. Seeking matters for MP4/M4A files whose index ({@code moov}) follows the
 * audio: the demuxer must jump back to the samples after reading it. A plain file can seek; a
 * zip entry, a pipe or a network body cannot (such an M4A must be made "fast start" first).
 */
abstract class ByteSource implements java.io.Closeable {

    /** Reads up to {@code len} bytes; -1 at the end. */
    abstract int read(byte[] b, int off, int len) throws IOException;

    /** Moves to {@code position}; false when this source cannot go there. */
    abstract boolean seek(long position) throws IOException;

    abstract long position();

    /** Bytes in the source, or -1 when unknown. */
    abstract long size();

    abstract boolean seekable();

    /** A forward-only stream: seeking forward reads and discards, backward fails. */
    static ByteSource of(InputStream in, long size) {
        return new ByteSource() {
            private long position;

            @Override
            int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    position += n;
                }
                return n;
            }

            @Override
            boolean seek(long target) throws IOException {
                if (target < position) {
                    return false;
                }
                byte[] skip = new byte[8192];
                while (position < target) {
                    int n = read(skip, 0, (int) Math.min(skip.length, target - position));
                    if (n < 0) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            long position() {
                return position;
            }

            @Override
            long size() {
                return size;
            }

            @Override
            boolean seekable() {
                return false;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    /** A plain file, seekable (its size was checked against the loader's limit before opening). */
    static ByteSource of(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        long size = channel.size();
        return new ByteSource() {
            @Override
            int read(byte[] b, int off, int len) throws IOException {
                return channel.read(ByteBuffer.wrap(b, off, len));
            }

            @Override
            boolean seek(long target) throws IOException {
                if (target < 0) {
                    return false;
                }
                channel.position(target);
                return true;
            }

            @Override
            long position() {
                try {
                    return channel.position();
                } catch (IOException e) {
                    return -1;
                }
            }

            @Override
            long size() {
                return size;
            }

            @Override
            boolean seekable() {
                return true;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** Bytes already in memory (a request body), seekable. */
    static ByteSource of(byte[] bytes) {
        return new ByteSource() {
            private int position;

            @Override
            int read(byte[] b, int off, int len) {
                if (position >= bytes.length) {
                    return -1;
                }
                int n = Math.min(len, bytes.length - position);
                System.arraycopy(bytes, position, b, off, n);
                position += n;
                return n;
            }

            @Override
            boolean seek(long target) {
                if (target < 0 || target > bytes.length) {
                    return false;
                }
                position = (int) target;
                return true;
            }

            @Override
            long position() {
                return position;
            }

            @Override
            long size() {
                return bytes.length;
            }

            @Override
            boolean seekable() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
