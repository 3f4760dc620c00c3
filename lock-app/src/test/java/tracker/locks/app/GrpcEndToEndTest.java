package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Timestamps;
import io.dropwizard.testing.DropwizardTestSupport;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.GetLockRequest;
import tracker.lock.v1alpha1.ListLocksRequest;
import tracker.lock.v1alpha1.Lock;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.lock.v1alpha1.UnLockResponse;

/** The gRPC door of the real server over a real socket, and the one table behind both doors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcEndToEndTest {

    private static final String SERVICE = "tracker.lock.v1alpha1.LockService";

    private DropwizardTestSupport<TrackerConfiguration> server;
    private Http http;
    private Grpc grpc;

    @BeforeAll
    void startServer(@TempDir Path dataDirectory) throws Exception {
        server = TrackerServers.on(TrackerServers.h2File(dataDirectory));
        server.before();
        http = new Http(server.getLocalPort());
        grpc = new Grpc(TrackerServers.grpcPort(server));
    }

    @AfterAll
    void stopServer() throws InterruptedException {
        grpc.close();
        server.after();
    }

    @Test
    void aLockTakenOverGrpcIsSeenAndReleasedOverRest() {
        Lock lock = grpc.locks().createLock(CreateLockRequest.newBuilder()
                .setService("production-deployment").setWho("ci-pipeline-123").build()).getLock();

        Http.Answer seen = http.get("/api/v1alpha1/lock/" + lock.getId());
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.text("who")).isEqualTo("ci-pipeline-123");
        Instant createdAt = Instant.ofEpochSecond(lock.getCreatedAt().getSeconds(), lock.getCreatedAt().getNanos());
        assertThat(seen.text("createdAt")).isEqualTo(createdAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString());
        assertThat(http.post("/api/v1alpha1/lock", "{\"service\":\"production-deployment\",\"who\":\"rest\"}")
                .json().get("existingLock").get("id").asText()).isEqualTo(lock.getId());

        assertThat(http.get("/api/v1alpha1/unlock/" + lock.getId()).status()).isEqualTo(200);
        assertThatThrownBy(() -> grpc.locks().getLock(GetLockRequest.newBuilder().setId(lock.getId()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void aLockTakenOverRestIsSeenListedAndReleasedOverGrpc() {
        Http.Answer created = http.post("/api/v1alpha1/lock", "{\"service\":\"nightly-report\",\"who\":\"cron-1\"}");
        String id = created.text("id");

        Lock seen = grpc.locks().getLock(GetLockRequest.newBuilder().setId(id).build()).getLock();
        assertThat(seen.getWho()).isEqualTo("cron-1");
        assertThat(Timestamps.toString(seen.getCreatedAt())).startsWith(created.text("createdAt").replace("Z", ""));
        assertThat(grpc.locks().listLocks(ListLocksRequest.getDefaultInstance()).getLocksList())
                .extracting(Lock::getId).contains(id);

        UnLockResponse released = grpc.locks().unLock(UnLockRequest.newBuilder().setId(id).build());
        assertThat(released.getCount()).isEqualTo(1);
        assertThat(http.get("/api/v1alpha1/lock/" + id).status()).isEqualTo(404);
    }

    @Test
    void healthAnswersServingOnceTheDatabaseIsUp() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(grpc.channel())
                .withDeadlineAfter(5, TimeUnit.SECONDS);

        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService(SERVICE).build()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void reflectionListsTheLockServiceInBothVersions() throws Exception {
        CompletableFuture<List<String>> v1 = new CompletableFuture<>();
        StreamObserver<io.grpc.reflection.v1.ServerReflectionRequest> v1Requests =
                io.grpc.reflection.v1.ServerReflectionGrpc.newStub(grpc.channel())
                        .serverReflectionInfo(collect(v1, r -> r.getListServicesResponse().getServiceList().stream()
                                .map(io.grpc.reflection.v1.ServiceResponse::getName).toList()));
        v1Requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
        v1Requests.onCompleted();

        CompletableFuture<List<String>> v1alpha = new CompletableFuture<>();
        StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> alphaRequests =
                io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(grpc.channel())
                        .serverReflectionInfo(collect(v1alpha, r -> r.getListServicesResponse().getServiceList()
                                .stream().map(io.grpc.reflection.v1alpha.ServiceResponse::getName).toList()));
        alphaRequests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setListServices("").build());
        alphaRequests.onCompleted();

        assertThat(v1.get(5, TimeUnit.SECONDS)).contains(SERVICE, "grpc.health.v1.Health");
        assertThat(v1alpha.get(5, TimeUnit.SECONDS)).contains(SERVICE, "grpc.health.v1.Health");
    }

    private static <R> StreamObserver<R> collect(CompletableFuture<List<String>> into,
                                                 java.util.function.Function<R, List<String>> names) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R response) {
                into.complete(names.apply(response));
            }

            @Override
            public void onError(Throwable t) {
                into.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                into.complete(List.of());
            }
        };
    }
}
