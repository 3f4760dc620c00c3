package tracker.locks.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Int32Value;
import com.google.protobuf.UInt32Value;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.GetLockRequest;
import tracker.lock.v1alpha1.Lock;
import tracker.lock.v1alpha1.ListLockHistoryRequest;
import tracker.lock.v1alpha1.ListLocksRequest;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.lock.v1alpha1.RenewLockRequest;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.locks.domain.testing.LockServices;
import tracker.locks.domain.testing.MutableClock;

/**
 * Fuzzes the gRPC API through the real service definition (interceptors, mapper, use cases over the in-memory store):
 * requests with any text, any durations (seconds and nanos anywhere in their 64 and 32 bits), any pages and limits,
 * and the serialized bytes of requests mutated. Whatever is sent, the answer is a value or a status that names the
 * client's problem, never INTERNAL or UNKNOWN; a granted lock reads back as asked; nothing is held unacknowledged.
 */
class LockGrpcFuzzTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static InProcessLockServer server;
    private static LockServiceGrpc.LockServiceBlockingStub locks;

    private final Set<String> acknowledged = new HashSet<>();

    @BeforeContainer
    static void start() {
        server = InProcessLockServer.direct(LockServices.inMemory(CLOCK));
        locks = server.blockingStub();
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 500, seed = "1822", shrinking = ShrinkingMode.BOUNDED)
    void anyCreateRequestIsAnsweredWithAClientStatusAndAGrantReadsBackAsAsked(
            @ForAll("createRequests") CreateLockRequest request) {
        Lock granted = answered(() -> locks.createLock(request).getLock(), "CreateLock " + request);
        if (granted != null) {
            acknowledged.add(granted.getId());
            Lock held = locks.getLock(GetLockRequest.newBuilder().setId(granted.getId()).build()).getLock();
            assertThat(held.getService()).isEqualTo(request.getService());
            assertThat(held.getWho()).isEqualTo(request.getWho());
            // A blank optional field means "not set", and is kept as empty.
            assertThat(held.getEnvironment()).isEqualTo(request.getEnvironment().isBlank() ? "" : request.getEnvironment());
            assertThat(held.getResource()).isEqualTo(request.getResource().isBlank() ? "" : request.getResource());
        }
    }

    @Property(tries = 200, seed = "1823", shrinking = ShrinkingMode.BOUNDED)
    void anyRenewalListingOrIdIsAnsweredWithAClientStatus(@ForAll("durations") com.google.protobuf.Duration ttl,
                                                          @ForAll("pages") Tuple.Tuple2<Integer, Integer> page,
                                                          @ForAll("texts") String id) {
        String held = locks.createLock(CreateLockRequest.newBuilder().setService("renewed").setWho("fuzz").build())
                .getLock().getId();
        acknowledged.add(held);
        answered(() -> locks.renewLock(RenewLockRequest.newBuilder().setId(held).setTtl(ttl).build()), "renew " + ttl);
        answered(() -> locks.renewLock(RenewLockRequest.newBuilder().setId(id).build()), "renew " + id);
        answered(() -> locks.getLock(GetLockRequest.newBuilder().setId(id).build()), "get " + id);
        answered(() -> locks.unLock(UnLockRequest.newBuilder().setId(id).build()), "unlock " + id);
        answered(() -> locks.listLocks(ListLocksRequest.newBuilder().setPage(Int32Value.of(page.get1()))
                .setPerPage(UInt32Value.of(page.get2())).build()), "list " + page);
        answered(() -> locks.listLockHistory(ListLockHistoryRequest.newBuilder().setService(id)
                .setPage(Int32Value.of(page.get1())).setPerPage(UInt32Value.of(page.get2())).build()), "history");
    }

    @Property(tries = 300, seed = "1824", shrinking = ShrinkingMode.BOUNDED)
    void anyMutatedMessageIsAnsweredWithAClientStatus(@ForAll("createRequests") CreateLockRequest request,
                                                      @ForAll long seed) {
        byte[] bytes = mutate(request.toByteArray(), new Random(seed));
        MethodDescriptor<byte[], byte[]> raw = LockServiceGrpc.getCreateLockMethod().toBuilder(BYTES, BYTES).build();

        byte[] answer = answered(() -> ClientCalls.blockingUnaryCall(server.channel(), raw, CallOptions.DEFAULT,
                bytes), "CreateLock with bytes " + java.util.HexFormat.of().formatHex(bytes));
        if (answer != null) {
            acknowledged.add(parseLock(answer).getId());
        }
    }

    @AfterTry
    void nothingIsHeldThatWasNotAcknowledged() {
        Set<String> held = new HashSet<>();
        locks.listLocks(ListLocksRequest.newBuilder().setPerPage(UInt32Value.of(1000)).build()).getLocksList()
                .forEach(lock -> held.add(lock.getId()));
        assertThat(acknowledged).as("locks held that no answer acknowledged").containsAll(held);
        held.forEach(id -> locks.unLock(UnLockRequest.newBuilder().setId(id).build()));
        acknowledged.clear();
    }

    /** The call's value, or null when it failed with a status naming the client's problem. */
    private static <T> T answered(Supplier<T> call, String what) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).as("%s answered %s", what, e.getStatus())
                    .isNotIn(Status.Code.INTERNAL, Status.Code.UNKNOWN);
            assertThat(e.getStatus().getDescription()).as("%s names its problem", what).isNotBlank();
            return null;
        }
    }

    private static Lock parseLock(byte[] answer) {
        try {
            return tracker.lock.v1alpha1.CreateLockResponse.parseFrom(answer).getLock();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("the server answered bytes that are not a CreateLockResponse", e);
        }
    }

    @Provide
    Arbitrary<CreateLockRequest> createRequests() {
        Arbitrary<CreateLockRequest.Builder> named = Combinators.combine(texts(), texts(), texts(), texts())
                .as((service, who, environment, resource) -> CreateLockRequest.newBuilder().setService(service)
                        .setWho(who).setEnvironment(environment).setResource(resource));
        return Combinators.combine(named, durations().injectNull(0.5), durations().injectNull(0.7),
                        Arbitraries.integers().injectNull(0.7), Arbitraries.of("", "exclusive", "shared", "x"))
                .as((builder, ttl, wait, limit, mode) -> {
                    if (ttl != null) {
                        builder.setTtl(ttl);
                    }
                    if (wait != null) {
                        builder.setWait(wait);
                    }
                    if (limit != null) {
                        builder.setLimit(UInt32Value.of(limit));
                    }
                    return builder.setMode(mode).build();
                });
    }

    /** Durations anywhere in the wire type's range and beyond the valid one: seconds and nanos of any sign. */
    @Provide
    Arbitrary<com.google.protobuf.Duration> durations() {
        Arbitrary<Long> seconds = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.longs().between(-5, 100_000)),
                Tuple.of(2, Arbitraries.longs()),
                Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 315_576_000_000L, 315_576_000_001L,
                        -315_576_000_001L)));
        Arbitrary<Integer> nanos = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.integers().between(-999_999_999, 999_999_999)),
                Tuple.of(1, Arbitraries.integers()));
        return Combinators.combine(seconds, nanos).as((s, n) -> com.google.protobuf.Duration.newBuilder()
                .setSeconds(s).setNanos(n).build());
    }

    @Provide
    Arbitrary<Tuple.Tuple2<Integer, Integer>> pages() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers()).as(Tuple::of);
    }

    /**
     * Every character, long texts, and ordinary names. No lone surrogates: protobuf's client cannot send one (it
     * sends '?'); invalid UTF-8 on the wire is the mutation property's business.
     */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(16)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(10).filter(text -> text.codePoints()
                        .noneMatch(point -> point >= Character.MIN_SURROGATE && point <= Character.MAX_SURROGATE))),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(250).ofMaxLength(260)),
                Tuple.of(1, Arbitraries.of("", " ", "\u0000", "\u0085", "\ud83d\udd12")));
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.length == 0 ? new byte[] {(byte) random.nextInt(256)} : original.clone();
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(3)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                default -> bytes = java.util.Arrays.copyOf(bytes, Math.max(1, at));
            }
        }
        return bytes;
    }
}
