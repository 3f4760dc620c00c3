package tracker.locks.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    @Test
    void readsTheWholeBodyWhateverPiecesItArrivesIn() throws IOException {
        for (int size : new int[] {0, 1, 511, 512, 513, 5_000, JsonBody.MAX_BYTES}) {
            byte[] body = new byte[size];
            new Random(size).nextBytes(body);

            assertThat(JsonBody.readAtMost(new ByteArrayInputStream(body), JsonBody.MAX_BYTES + 1))
                    .as("%d bytes at once", size).isEqualTo(body);
            assertThat(JsonBody.readAtMost(trickling(body), JsonBody.MAX_BYTES + 1))
                    .as("%d bytes a few at a time", size).isEqualTo(body);
        }
    }

    @Test
    void stopsAtTheLimitSoThatTheCallerSeesTheBodyIsTooLarge() throws IOException {
        byte[] body = new byte[JsonBody.MAX_BYTES * 3];

        byte[] read = JsonBody.readAtMost(trickling(body), JsonBody.MAX_BYTES + 1);

        assertThat(read).hasSize(JsonBody.MAX_BYTES + 1);
    }

    /** A body as a slow connection delivers it: at most 7 bytes per read. */
    private static InputStream trickling(byte[] body) {
        return new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return super.read(buffer, offset, Math.min(length, 7));
            }
        };
    }
}
