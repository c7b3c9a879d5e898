package ser.server;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * The audio a request carries: the raw body, or the first file part of a multipart form. Its
 * size is checked against {@code max-body-mb} by the declared length before anything is read and
 * by the bytes that really arrive (413). The bytes stay in memory: nothing a client sends is
 * written to, or names, a server file.
 */
final class AudioBody {

    private AudioBody() {
    }

    static byte[] read(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes);
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        try {
            if (type.startsWith("multipart/form-data")) {
                List<UploadedFile> files = ctx.uploadedFiles();
                if (files.isEmpty()) {
                    throw new HttpError(400, "multipart request without a file part");
                }
                try (InputStream in = files.get(0).content()) {
                    return readLimited(in, maxBytes);
                }
            }
            try (InputStream in = ctx.req().getInputStream()) {
                return readLimited(in, maxBytes);
            }
        } catch (IOException e) {
            throw new HttpError(400, "cannot read the request body: " + e.getMessage());
        } catch (IllegalStateException e) {
            // Jetty's multipart parser refuses a part over its size limit this way
            throw new HttpError(413, "request body: " + e.getMessage());
        }
    }

    private static byte[] readLimited(InputStream in, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > maxBytes) {
                throw tooLarge(-1, maxBytes);
            }
            out.write(buf, 0, n);
        }
        if (total == 0) {
            throw new HttpError(400, "request body: empty (send the audio file as the body or as a multipart file)");
        }
        return out.toByteArray();
    }

    private static HttpError tooLarge(long declared, long maxBytes) {
        return new HttpError(413, "request body: " + (declared >= 0 ? declared + " bytes, " : "") + "over the limit of "
                + maxBytes + " bytes (ser.serve.max-body-mb)");
    }
}
