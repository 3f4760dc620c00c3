package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.lock.v1alpha1.GetLockRequest;

/**
 * The database goes away under a running instance and comes back: meanwhile every request is answered 503 / UNAVAILABLE and the
 * instance reports itself unhealthy (admin health check and gRPC health); afterwards it serves again by itself, with every lock still held.
 */
class DatabaseOutageTest {

    /** How soon after the database is back the instance must serve again (pool validation runs every second). */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dataDirectory;

    @Test
    void answers503WhileTheDatabaseIsDownAndRecoversByItself() throws Exception {
        try (RestartablePostgres postgres = new RestartablePostgres(dataDirectory)) {
            postgres.start();
            DropwizardTestSupport<TrackerConfiguration> server = TrackerServers.on(postgres.jdbcUrl(),
                    ConfigOverride.config("database.user", "postgres"),
                    ConfigOverride.config("statementTimeout", "2s"));
            server.before();
            try {
                Http http = new Http(server.getLocalPort());
                Http admin = new Http(server.getAdminPort());
                Grpc grpc = new Grpc(TrackerServers.grpcPort(server));
                String held = http.post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"before\"}")
                        .text("id");

                postgres.stop();

                // A change sent on a pooled connection the stop broke cannot tell "not sent" from "sent, then cut":
                // it says the outcome is unknown; one that found no connection, and every read, is a plain 503.
                for (Http.Answer change : new Http.Answer[] {
                    http.post("/api/v1alpha1/lock", "{\"service\":\"other\",\"who\":\"during\"}"),
                    http.get("/api/v1alpha1/unlock/" + held),
                }) {
                    assertThat(change.status()).isEqualTo(503);
                    assertThat(change.text("error")).isEqualTo("unknown".equals(change.text("outcome"))
                            ? "lock store unavailable during the request, which may have taken effect: look for your"
                                    + " lock (your who in the list) before trying again"
                            : "lock store unavailable, try again shortly");
                }
                for (Http.Answer read : new Http.Answer[] {
                    http.get("/api/v1alpha1/lock/" + held),
                    http.get("/api/v1alpha1/locks/list"),
                }) {
                    assertThat(read.status()).isEqualTo(503);
                    assertThat(read.text("error")).isEqualTo("lock store unavailable, try again shortly");
                    assertThat(read.text("outcome")).isNull();
                }
                assertThatThrownBy(() -> grpc.locks().getLock(GetLockRequest.newBuilder().setId(held).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
                Http.Answer health = admin.get("/healthcheck");
                assertThat(health.status()).isEqualTo(500);
                assertThat(health.json().get("database").get("healthy").asBoolean()).isFalse();
                assertThat(health.json().get("database").get("message").asText())
                        .as("the health check says what went wrong").startsWith("cannot reach the database: ")
                        .containsIgnoringCase("refused");
                assertThat(awaitGrpcHealth(grpc, ServingStatus.NOT_SERVING)).isEqualTo(ServingStatus.NOT_SERVING);

                postgres.start();
                Instant back = Instant.now();

                Http.Answer recovered = awaitNot503(() -> http.get("/api/v1alpha1/lock/" + held));
                assertThat(Duration.between(back, Instant.now())).isLessThan(RECOVERY_BOUND);
                assertThat(recovered.status()).isEqualTo(200);
                assertThat(recovered.text("who")).isEqualTo("before");
                assertThat(http.post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"after\"}").status())
                        .isEqualTo(409);
                assertThat(http.post("/api/v1alpha1/lock", "{\"service\":\"other\",\"who\":\"after\"}").status())
                        .isEqualTo(201);
                assertThat(grpc.locks().getLock(GetLockRequest.newBuilder().setId(held).build()).getLock().getWho())
                        .isEqualTo("before");
                assertThat(admin.get("/healthcheck").status()).isEqualTo(200);
                assertThat(awaitGrpcHealth(grpc, ServingStatus.SERVING)).isEqualTo(ServingStatus.SERVING);
                grpc.close();
            } finally {
                server.after();
            }
        }
    }

    /** The gRPC health status once it reads {@code expected}, or the last one read when the bound passes. */
    private static ServingStatus awaitGrpcHealth(Grpc grpc, ServingStatus expected) throws InterruptedException {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(grpc.channel());
        Instant deadline = Instant.now().plus(RECOVERY_BOUND);
        ServingStatus status = null;
        while (status != expected && Instant.now().isBefore(deadline)) {
            status = health.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
            if (status != expected) {
                Thread.sleep(100); // the health service follows the database check once a second
            }
        }
        return status;
    }

    private static Http.Answer awaitNot503(java.util.function.Supplier<Http.Answer> request)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(RECOVERY_BOUND);
        Http.Answer answer = request.get();
        while (answer.status() == 503 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100); // polling a recovering server: each try is a real request
            answer = request.get();
        }
        return answer;
    }
}
