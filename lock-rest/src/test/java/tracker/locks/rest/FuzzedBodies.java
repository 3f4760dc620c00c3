package tracker.locks.rest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of request bodies, by family: JSON objects with the API's fields holding any text (every UTF-16 unit,
 * lone surrogates and controls included, written literally or escaped, sometimes as overlong or CESU-8 bytes),
 * extreme numbers and durations, wrong JSON types; those bodies and the corpus mutated byte by byte; and plain random
 * bytes. Randomness beyond jqwik's own comes from a seed it generates, so every run with the same seed is the same.
 */
final class FuzzedBodies {

    static final List<String> TEXT_FIELDS = List.of("service", "who", "environment", "resource", "eventId");

    private static final byte[] INTERESTING_BYTES = {0x00, 0x0a, 0x22, 0x2c, 0x3a, 0x5c, 0x5b, 0x5d, 0x7b, 0x7d,
        0x30, 0x65, (byte) 0x80, (byte) 0xbf, (byte) 0xc0, (byte) 0xc1, (byte) 0xe0, (byte) 0xed, (byte) 0xf0,
        (byte) 0xf4, (byte) 0xf8, (byte) 0xff};

    private FuzzedBodies() {
    }

    /** Bodies for {@code POST /lock}: mostly objects with its fields, some mutated, some corpus, some noise. */
    static Arbitrary<byte[]> createBodies(List<byte[]> corpus) {
        Arbitrary<byte[]> objects = lockObjects();
        Arbitrary<byte[]> seeds = Arbitraries.frequencyOf(Tuple.of(3, objects), Tuple.of(1, Arbitraries.of(corpus)));
        return Arbitraries.frequencyOf(
                Tuple.of(12, objects),
                Tuple.of(5, mutated(seeds)),
                Tuple.of(1, Arbitraries.of(corpus)),
                Tuple.of(1, otherJson().map(FuzzedBodies::utf8)),
                Tuple.of(1, Combinators.combine(lockObjects(), Arbitraries.of("UTF-16LE", "UTF-16BE", "UTF-32LE"))
                        .as(FuzzedBodies::reencoded)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(120)));
    }

    /** A body in another encoding (which Jackson, left to itself, would guess from its NULs and accept). */
    private static byte[] reencoded(byte[] utf8, String charset) {
        return new String(utf8, StandardCharsets.UTF_8).getBytes(java.nio.charset.Charset.forName(charset));
    }

    /** Bodies for {@code POST /lock/{id}/renew}: empty, objects with a ttl, other JSON, mutations. */
    static Arbitrary<byte[]> renewBodies() {
        Arbitrary<byte[]> objects = Combinators.combine(duration(), Arbitraries.integers().between(0, 3))
                .as((ttl, shape) -> switch (shape) {
                    case 0 -> utf8("{\"ttl\":" + ttl + "}");
                    case 1 -> utf8("{\"ttl\":" + ttl + ",\"ttl\":" + ttl + "}");
                    case 2 -> utf8("{\"other\":" + ttl + "}");
                    default -> utf8(" { \"ttl\" : " + ttl + " } ");
                });
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(new byte[0])),
                Tuple.of(6, objects),
                Tuple.of(2, mutated(objects)),
                Tuple.of(1, otherJson().map(FuzzedBodies::utf8)));
    }

    /** Objects with the lock fields: usually service and who, plus any of the others, sometimes unknown or twice. */
    static Arbitrary<byte[]> lockObjects() {
        Arbitrary<List<String>> members = Arbitraries.of("environment", "resource", "eventId", "ttl", "wait", "limit",
                        "mode", "colour", "service", "who")
                .flatMap(name -> value(name).map(value -> json(name) + ":" + value))
                .list().ofMaxSize(4);
        Arbitrary<String> service = optionalMember("service");
        Arbitrary<String> who = optionalMember("who");
        return Combinators.combine(service, who, members, Arbitraries.longs())
                .as((first, second, rest, seed) -> {
                    List<String> all = new ArrayList<>();
                    if (!first.isEmpty()) {
                        all.add(first);
                    }
                    if (!second.isEmpty()) {
                        all.add(second);
                    }
                    all.addAll(rest);
                    Random random = new Random(seed);
                    String space = random.nextInt(4) == 0 ? " \n\t" : "";
                    return encodeText("{" + space + String.join("," + space, all) + space + "}", random);
                });
    }

    private static Arbitrary<String> optionalMember(String name) {
        return Arbitraries.frequencyOf(Tuple.of(9, value(name).map(value -> json(name) + ":" + value)),
                Tuple.of(1, Arbitraries.just("")));
    }

    /** A JSON value for the field: the type it expects most of the time, anything else sometimes. */
    private static Arbitrary<String> value(String field) {
        Arbitrary<String> expected = switch (field) {
            case "ttl", "wait" -> duration();
            case "limit" -> number();
            case "mode" -> Arbitraries.oneOf(Arbitraries.of("exclusive", "shared", "SHARED", "semaphore", ""),
                    text()).map(FuzzedBodies::json);
            default -> text().map(FuzzedBodies::json);
        };
        return Arbitraries.frequencyOf(Tuple.of(8, expected), Tuple.of(1, otherJson()));
    }

    /** Text of every kind the JSON may carry in a string. */
    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().alpha().numeric().withChars("-_./:@ ").ofMinLength(1)
                        .ofMaxLength(24)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(12)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\ud800', '\udfff').withChars("ab").ofMinLength(1)
                        .ofMaxLength(4)),
                Tuple.of(2, Arbitraries.integers().between(0, Character.MAX_CODE_POINT).list().ofMinSize(1)
                        .ofMaxSize(6).map(FuzzedBodies::codePoints)),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(250).ofMaxLength(260)),
                Tuple.of(1, Arbitraries.of(" ", "\t", "\u0000", "\u007f", "\u0085", "\u2028", "\ufeff", "\uffff",
                        "\ud83d\udd12", "\\", "\"", "null", "PT1S")));
    }

    /** Durations as JSON numbers of seconds, strings with units, ISO-8601 strings, and near misses. */
    static Arbitrary<String> duration() {
        Arbitrary<String> withUnit = Combinators.combine(numberText(),
                        Arbitraries.of("", "ms", "s", "m", "h", "d", " s", "S", "us", "sec"))
                .as((amount, unit) -> json(amount + unit));
        Arbitrary<String> iso = Combinators.combine(Arbitraries.of("PT", "-PT", "P", "PT-", "P1DT", "p"),
                        numberText(), Arbitraries.of("H", "M", "S", "D", "Y", ""))
                .as((prefix, amount, unit) -> json(prefix + amount + unit));
        return Arbitraries.frequencyOf(Tuple.of(3, number()), Tuple.of(3, withUnit), Tuple.of(2, iso),
                Tuple.of(1, text().map(FuzzedBodies::json)),
                Tuple.of(1, Arbitraries.strings().withChars("0123456789.-+eEPTHMSms ").ofMaxLength(12)
                        .map(FuzzedBodies::json)));
    }

    /** JSON number literals from the ordinary to the absurd, and some that are not JSON at all. */
    static Arbitrary<String> number() {
        return Arbitraries.frequencyOf(Tuple.of(6, numberText()),
                Tuple.of(1, Arbitraries.of("NaN", "Infinity", "-Infinity", "0x10", "+1", ".5", "5.", "1e", "--1",
                        "01")));
    }

    private static Arbitrary<String> numberText() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-5, 100_000).map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().numeric().ofMinLength(15).ofMaxLength(400).map(digits -> "9" + digits),
                Arbitraries.doubles().map(String::valueOf).filter(text -> !text.contains("N") && !text.contains("I")),
                Combinators.combine(Arbitraries.integers().between(-20, 20), Arbitraries.integers()
                        .between(-1000, 1000)).as((mantissa, exponent) -> mantissa + "e" + exponent),
                Arbitraries.of("-0", "0.0", "1e400", "-1e400", "1e-400", "1.5", "2.0", "1e3", "0.0005",
                        "2147483648", "-2147483649", "9223372036854775808", "315576000001"));
    }

    /** Values of the wrong JSON type, and JSON texts that are not objects. */
    static Arbitrary<String> otherJson() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "\"\"",
                        "0", "[" .repeat(600) + "]".repeat(600), "{\"a\":".repeat(300) + "1" + "}".repeat(300)),
                Arbitraries.integers().between(1, 40).map(depth -> "[".repeat(depth) + "]".repeat(depth)));
    }

    /** Up to four byte-level changes to {@code bodies}: overwrite, insert, delete, cut, repeat. */
    static Arbitrary<byte[]> mutated(Arbitrary<byte[]> bodies) {
        return Combinators.combine(bodies, Arbitraries.longs()).as((body, seed) -> mutate(body, new Random(seed)));
    }

    private static byte[] mutate(byte[] original, Random random) {
        List<Byte> bytes = new ArrayList<>();
        for (byte b : original) {
            bytes.add(b);
        }
        int changes = 1 + random.nextInt(4);
        for (int i = 0; i < changes; i++) {
            int at = bytes.isEmpty() ? 0 : random.nextInt(bytes.size());
            byte fresh = random.nextBoolean() ? INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]
                    : (byte) random.nextInt(256);
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (!bytes.isEmpty()) {
                        bytes.set(at, fresh);
                    }
                }
                case 1 -> bytes.add(at, fresh);
                case 2 -> {
                    if (!bytes.isEmpty()) {
                        bytes.remove(at);
                    }
                }
                case 3 -> bytes.subList(at, bytes.size()).clear();
                default -> bytes.addAll(at, new ArrayList<>(bytes.subList(at, Math.min(bytes.size(),
                        at + 1 + random.nextInt(8)))));
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    /** A JSON string literal holding {@code text}, escaped only where JSON requires. */
    static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * The body's bytes: mostly UTF-8, but non-ASCII characters are sometimes written as {@code \\uXXXX} escapes (so
     * a lone surrogate arrives as valid JSON), a lone surrogate written literally becomes its CESU-8 bytes, and now
     * and then an ASCII letter becomes an overlong two-byte form. Escaping happens only inside strings, where the
     * JSON grammar allows it; a backslash already there keeps its meaning.
     */
    private static byte[] encodeText(String body, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean inString = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && inString) {
                out.write(c);
                out.write(body.charAt(++i));
                continue;
            }
            if (c == '"') {
                inString = !inString;
            }
            boolean paired = Character.isHighSurrogate(c) && i + 1 < body.length()
                    && Character.isLowSurrogate(body.charAt(i + 1));
            if (inString && c >= 0x80 && random.nextInt(3) == 0) {
                out.writeBytes(utf8(String.format("\\u%04x", (int) c)));
            } else if (inString && Character.isLetter(c) && c < 0x80 && random.nextInt(60) == 0) {
                out.write(0xc0 | (c >> 6));
                out.write(0x80 | (c & 0x3f));
            } else if (paired) {
                out.writeBytes(body.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (Character.isSurrogate(c)) {
                out.write(0xe0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3f));
                out.write(0x80 | (c & 0x3f));
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static String codePoints(List<Integer> points) {
        StringBuilder out = new StringBuilder();
        points.forEach(out::appendCodePoint);
        return out.toString();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
