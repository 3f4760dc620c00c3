package tracker.locks.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.LockHeld;
import tracker.lock.v1alpha1.LockServiceGrpc.LockServiceBlockingStub;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.locks.domain.testing.LockServices;

/** Many clients asking for one key at the same instant, through real server threads: exactly one gets it. */
class ConcurrentCreateLockTest {

    private static final int CLIENTS = 50;
    private static final int ROUNDS = 5;

    private final ExecutorService serverThreads = Executors.newFixedThreadPool(8);
    private final ExecutorService clientThreads = Executors.newFixedThreadPool(CLIENTS);
    private final InProcessLockServer server = InProcessLockServer.on(
            LockServices.inMemory(),
            serverThreads);
    private final LockServiceBlockingStub locks = server.blockingStub();

    @AfterEach
    void stop() {
        clientThreads.shutdownNow();
        server.close();
        serverThreads.shutdownNow();
    }

    @Test
    void exactlyOneOfFiftySimultaneousCreatesWinsAndTheOthersAreToldWho() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            List<Outcome> outcomes = race("ci-round-" + round);

            List<Outcome> winners = outcomes.stream().filter(Outcome::won).toList();
            assertThat(winners).as("round %d winners", round).hasSize(1);
            String winnerId = winners.get(0).lockId();
            assertThat(outcomes.stream().filter(outcome -> !outcome.won()))
                    .as("round %d losers", round)
                    .hasSize(CLIENTS - 1)
                    .allSatisfy(loser -> assertThat(loser.lockId()).isEqualTo(winnerId));

            locks.unLock(UnLockRequest.newBuilder().setId(winnerId).build());
        }
    }

    /** Every client calls CreateLock on the same key at once; returns who won and whom each loser was shown. */
    private List<Outcome> race(String whoPrefix) throws Exception {
        CyclicBarrier start = new CyclicBarrier(CLIENTS);
        List<Future<Outcome>> calls = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            CreateLockRequest request = CreateLockRequest.newBuilder()
                    .setService("production-deployment").setWho(whoPrefix + "-" + client).build();
            calls.add(clientThreads.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return createLock(request);
            }));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> call : calls) {
            outcomes.add(call.get(30, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private Outcome createLock(CreateLockRequest request) throws InvalidProtocolBufferException {
        try {
            return new Outcome(true, locks.createLock(request).getLock().getId());
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            for (Any detail : StatusProto.fromThrowable(e).getDetailsList()) {
                if (detail.is(LockHeld.class)) {
                    return new Outcome(false, detail.unpack(LockHeld.class).getHolder().getId());
                }
            }
            throw new AssertionError("ALREADY_EXISTS without a LockHeld detail: " + e);
        }
    }

    /** One client's result: the lock it took, or the holder it was shown. */
    private record Outcome(boolean won, String lockId) {
    }
}
