package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.Lock;
import tracker.lock.v1alpha1.LockServiceGrpc.LockServiceBlockingStub;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.locks.testkit.CreatedToken;
import tracker.locks.testkit.ServerProcess;

/**
 * Authentication as an operator sets it up, through the shipped jar: tokens made with {@code token create}, a tokens
 * file named by AUTH_TOKENS_FILE, edits of it taken without a restart, and no secret ever in the server's log.
 */
class AuthenticationIT {

    private static final Duration RELOAD = Duration.ofMillis(200);
    private static final Duration AT_MOST = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    @Test
    void restAndGrpcNeedATokenFromTheFileAndEditsTakeEffectWithoutARestart() throws Exception {
        CreatedToken deployer = CreatedToken.create(directory, "--name", "ci-deployer", "--scopes", "read,write",
                "--services", "deploy-*");
        CreatedToken admin = CreatedToken.create(directory, "--name", "on-call", "--scopes", "admin");
        Path tokens = Files.writeString(directory.resolve("tokens.yml"), "tokens:\n" + deployer.entry());
        List<String> secrets = new ArrayList<>(List.of(deployer.token(), admin.token()));

        try (ServerProcess server = ServerProcess.start("auth-reload", Map.of(
                "DB_URL", TrackerServers.h2File(directory),
                "AUTH_TOKENS_FILE", tokens.toString(),
                "SECURITY_RELOAD_INTERVAL", RELOAD.toMillis() + "ms")).awaitHealthy();
             Grpc grpc = new Grpc(server.grpcPort())) {
            Http anonymous = new Http(server.httpPort());
            Http asDeployer = anonymous.withToken(deployer.token());

            // REST: no token, a wrong one, the right one.
            Http.Answer refused = anonymous.post("/api/v1alpha1/lock", "{\"service\":\"deploy-web\",\"who\":\"ci\"}");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(anonymous.withToken("trk_guessed").get("/api/v1alpha1/locks/list").status()).isEqualTo(401);
            Http.Answer taken = asDeployer.post("/api/v1alpha1/lock", "{\"service\":\"deploy-web\",\"who\":\"ci-7\"}");
            assertThat(taken.status()).isEqualTo(201);
            assertThat(taken.text("owner")).isEqualTo("ci-deployer");
            assertThat(asDeployer.post("/api/v1alpha1/lock", "{\"service\":\"nightly\",\"who\":\"ci\"}").status())
                    .isEqualTo(403);

            // gRPC over a real socket: the same token in the metadata; health stays open without one.
            StatusRuntimeException unauthenticated = catchThrowableOfType(StatusRuntimeException.class,
                    () -> grpc.locks().createLock(request("deploy-api")));
            assertThat(unauthenticated.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            Lock overGrpc = withToken(grpc.locks(), deployer.token()).createLock(request("deploy-api")).getLock();
            assertThat(overGrpc.getOwner()).isEqualTo("ci-deployer");
            assertThat(HealthGrpc.newBlockingStub(grpc.channel()).check(HealthCheckRequest.getDefaultInstance())
                    .getStatus()).isEqualTo(ServingStatus.SERVING);

            // The admin token is not in the file yet; added, it works without a restart.
            Http asAdmin = anonymous.withToken(admin.token());
            assertThat(asAdmin.get("/api/v1alpha1/locks/list").status()).isEqualTo(401);
            Files.writeString(tokens, "tokens:\n" + deployer.entry() + admin.entry());
            awaitTrue(() -> asAdmin.get("/api/v1alpha1/locks/list").status() == 200, "the added token works");
            assertThat(withToken(grpc.locks(), admin.token()).unLock(UnLockRequest.newBuilder()
                    .setId(overGrpc.getId()).build()).getCount()).as("an admin releases another's lock").isOne();

            // A half-saved file keeps the tokens in force, and the error names its line.
            Files.writeString(tokens, "tokens:\n  - name: broken\n    sha256: [\n");
            String reported = "tokens file " + tokens + ", entry at line 2: sha256 has the wrong form";
            awaitTrue(() -> logOf(server).contains(reported), "the broken file is reported");
            assertThat(asAdmin.get("/api/v1alpha1/locks/list").status()).isEqualTo(200);

            // Removed from the file, a token stops working.
            Files.writeString(tokens, "tokens:\n" + admin.entry());
            awaitTrue(() -> asDeployer.get("/api/v1alpha1/locks/list").status() == 401, "the revoked token fails");
            assertThat(asAdmin.get("/api/v1alpha1/lock/" + taken.text("id")).text("owner")).isEqualTo("ci-deployer");

            // Ten wrong tokens from one address: that address is told to come back later.
            for (int attempt = 0; attempt < 10; attempt++) {
                String guess = "trk_guess-" + attempt;
                secrets.add(guess);
                anonymous.withToken(guess).get("/api/v1alpha1/locks/list");
            }
            Http.Answer slowedDown = asAdmin.get("/api/v1alpha1/locks/list");
            assertThat(slowedDown.status()).isEqualTo(429);
            assertThat(Integer.parseInt(slowedDown.header("Retry-After"))).isBetween(1, 60);

            String log = server.log();
            assertThat(log).contains("authentication failed for client 127.0.0.1: unknown or revoked token");
            for (String secret : secrets) {
                assertThat(log).as("the log holds no token").doesNotContain(secret);
            }
        }
    }

    @Test
    void aBadTokensFileStopsTheStartWithTheLineAndNoStackTrace() throws Exception {
        Path tokens = Files.writeString(directory.resolve("tokens.yml"),
                "tokens:\n  - name: ci\n    sha256: 1234\n    scopes: [read]\n");
        try (ServerProcess server = ServerProcess.start("auth-bad-file", Map.of(
                "DB_URL", TrackerServers.h2File(directory), "AUTH_TOKENS_FILE", tokens.toString()))) {
            assertThat(server.awaitExit(Duration.ofSeconds(60))).as("exited").isTrue();

            assertThat(server.exitCode()).isNotZero();
            assertThat(server.log()).contains("tokens file " + tokens + ", entry at line 2: sha256 must be the 64 hex digits")
                    .doesNotContain("\tat ").doesNotContain("! at ");
        }
    }

    @Test
    void withAuthenticationOffOnEveryInterfaceTheServerWarnsOnceAndOnLoopbackItDoesNot() throws Exception {
        String warning = "authentication is off and the REST port";
        String adminWarning = "listens beyond this machine: its /threads shows a thread dump";
        try (ServerProcess open = ServerProcess.start("auth-off-open", Map.of(
                "DB_URL", TrackerServers.h2File(directory.resolve("open")))).awaitHealthy()) {
            assertThat(open.log().lines().filter(line -> line.contains(warning)).count()).isOne();
            assertThat(open.log()).contains(adminWarning);
            assertThat(new Http(open.httpPort()).post("/api/v1alpha1/lock", "{\"service\":\"s\",\"who\":\"w\"}")
                    .status()).as("the guide's call, unchanged").isEqualTo(201);
        }
        try (ServerProcess loopback = ServerProcess.start("auth-off-loopback", Map.of(
                "DB_URL", TrackerServers.h2File(directory.resolve("loopback")),
                "HTTP_BIND", "127.0.0.1", "GRPC_BIND", "127.0.0.1", "METRICS_BIND", "127.0.0.1")).awaitHealthy()) {
            assertThat(loopback.log()).doesNotContain("authentication is off");
        }
    }

    private static CreateLockRequest request(String service) {
        return CreateLockRequest.newBuilder().setService(service).setWho("ci").build();
    }

    private static LockServiceBlockingStub withToken(LockServiceBlockingStub stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static String logOf(ServerProcess server) {
        try {
            return server.log();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Polls a real request until it holds: the file is looked at every {@link #RELOAD}. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(AT_MOST);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what + " within " + AT_MOST).isBefore(deadline);
            Thread.sleep(RELOAD.toMillis());
        }
    }
}
