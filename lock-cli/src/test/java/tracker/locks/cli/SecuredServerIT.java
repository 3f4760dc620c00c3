package tracker.locks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.locks.client.HeldLock;
import tracker.locks.client.LockClient;
import tracker.locks.client.LockRejectedException;
import tracker.locks.client.LockRequest;
import tracker.locks.client.LockServerException;
import tracker.locks.testkit.CreatedToken;
import tracker.locks.testkit.ServerProcess;
import tracker.locks.testkit.TestCertificates;

/**
 * The Java client and {@code tracker-lock} against a server as production runs it: HTTPS with the operator's CA and
 * authentication on, tokens made by {@code token create}. What a pipeline gets when it forgets the token or the CA.
 */
class SecuredServerIT {

    @TempDir
    static Path directory;
    private static ServerProcess server;
    private static TestCertificates ca;
    private static CreatedToken deployer;
    private static String url;

    @BeforeAll
    static void startServer() throws Exception {
        ca = TestCertificates.newCa(directory, "test-ca");
        TestCertificates.Issued certificate = ca.server("server");
        deployer = CreatedToken.create(directory, "--name", "ci-deployer", "--scopes", "read,write",
                "--services", "deploy-*");
        Path tokens = Files.writeString(directory.resolve("tokens.yml"), "tokens:\n" + deployer.entry());
        server = ServerProcess.start("cli-secured", Map.of(
                "DB_URL", "jdbc:h2:file:" + directory.resolve("tracker").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE",
                "AUTH_TOKENS_FILE", tokens.toString(),
                "TLS_CERT_FILE", certificate.certificateFile().toString(),
                "TLS_KEY_FILE", certificate.keyFile().toString())).awaitHealthyOverTls(ca.trustingContext());
        url = "https://127.0.0.1:" + server.httpPort();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void theJavaClientWithTokenAndCaHoldsAndRenewsAndIsToldWhatIsWrongWithout() throws Exception {
        try (LockClient locks = client(deployer.token(), ca.certificateFile());
             HeldLock held = locks.acquire(LockRequest.of("deploy-web", "ci-7").ttl(Duration.ofSeconds(2)))) {
            assertThat(held.info().owner()).isEqualTo("ci-deployer");
            Instant firstLeaseEnd = held.expiresAt();
            Thread.sleep(Duration.between(Instant.now(), firstLeaseEnd).plusSeconds(1).toMillis());
            // past the first lease's end: only the client's renewals over TLS with the token kept it
            assertThat(held.isHeld()).isTrue();
            assertThat(locks.get(held.id())).isPresent();

            LockRejectedException otherService = catchThrowableOfType(LockRejectedException.class,
                    () -> locks.acquire(LockRequest.of("nightly", "ci-7")));
            assertThat(otherService.status()).isEqualTo(403);
        }
        try (LockClient anonymous = client(null, ca.certificateFile())) {
            LockRejectedException noToken = catchThrowableOfType(LockRejectedException.class,
                    () -> anonymous.acquire(LockRequest.of("deploy-web", "ci-8")));
            assertThat(noToken.status()).isEqualTo(401);
        }
        try (LockClient untrusting = client(deployer.token(), null)) {
            assertThat(catchThrowableOfType(LockServerException.class,
                    () -> untrusting.acquire(LockRequest.of("deploy-web", "ci-9"))))
                    .as("the server's certificate is not trusted without --cacert").isNotNull();
        }
        assertThat(server.log()).doesNotContain(deployer.token());
    }

    @Test
    void theCliRunsWithTokenAndCaFromTheEnvironmentAndExits77WithoutTheToken() throws Exception {
        Path marker = directory.resolve("ran");
        try (Cli run = Cli.start(directory, Map.of("TRACKER_URL", url, "TRACKER_TOKEN", deployer.token(),
                "TRACKER_CA_FILE", ca.certificateFile().toString()), "run", "deploy-api", "-c",
                "echo $TRACKER_LOCK_SERVICE")) {
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo("deploy-api\n");
        }
        try (Cli refused = Cli.start(directory, Map.of("TRACKER_URL", url), "run", "--cacert",
                ca.certificateFile().toString(), "deploy-api", "--", "touch", marker.toString())) {
            assertThat(refused.exit()).isEqualTo(77);
            assertThat(refused.err()).contains("401");
        }
        try (Cli untrusting = Cli.start(directory, Map.of("TRACKER_URL", url), "run", "--token", deployer.token(),
                "deploy-api", "--", "touch", marker.toString())) {
            assertThat(untrusting.exit()).isEqualTo(69);
            assertThat(untrusting.err()).doesNotContain(deployer.token());
        }
        assertThat(marker).as("a refused run never starts the command").doesNotExist();
    }

    private static LockClient client(String token, Path caFile) {
        LockClient.Builder builder = LockClient.builder(URI.create(url)).token(token);
        return (caFile == null ? builder : builder.caFile(caFile)).build();
    }
}
