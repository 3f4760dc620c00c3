package tracker.locks.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed fuzzing corpus: inputs that once broke the API (found by hand or by the fuzzers) and inputs worth
 * mutating. A resource file holds one input per line; {@code \xNN} stands for the raw byte NN (so that invalid
 * UTF-8 can be written down), everything else is the line's UTF-8; lines starting with {@code #} are comments.
 */
public final class FuzzCorpus {

    private FuzzCorpus() {
    }

    /** The inputs of {@code /fuzz/<name>} on the test class path, as bytes. */
    public static List<byte[]> load(String name) {
        try (InputStream in = FuzzCorpus.class.getResourceAsStream("/fuzz/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fuzzing corpus /fuzz/" + name + " on the class path");
            }
            List<byte[]> inputs = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    inputs.add(decode(line));
                }
            }
            return inputs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] decode(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < line.length(); i++) {
            if (line.startsWith("\\x", i) && i + 4 <= line.length()) {
                out.write(Integer.parseInt(line.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                int codePoint = line.codePointAt(i);
                out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        return out.toByteArray();
    }
}
