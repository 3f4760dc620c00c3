package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.locks.testkit.ServerProcess;
import tracker.locks.testkit.TestCertificates;

/**
 * TLS on both ports of the shipped jar, over real sockets, with certificates the test makes: HTTPS and a TLS gRPC
 * channel that trust the test's CA, a clean refusal of plaintext clients, mutual TLS, and a certificate rotated
 * while the server runs.
 */
class TlsIT {

    private static final Duration RELOAD = Duration.ofMillis(200);
    private static final Duration AT_MOST = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    @Test
    void restAndGrpcSpeakTlsRefusePlaintextCleanlyAndServeARotatedCertificateWithoutARestart() throws Exception {
        TestCertificates ca = TestCertificates.newCa(directory, "test-ca");
        TestCertificates.Issued first = ca.server("server");
        try (ServerProcess server = ServerProcess.start("tls", Map.of(
                "DB_URL", TrackerServers.h2File(directory),
                "TLS_CERT_FILE", first.certificateFile().toString(),
                "TLS_KEY_FILE", first.keyFile().toString(),
                "SECURITY_RELOAD_INTERVAL", RELOAD.toMillis() + "ms")).awaitHealthyOverTls(ca.trustingContext())) {
            String rest = "https://127.0.0.1:" + server.httpPort() + "/api/v1alpha1";

            HttpResponse<String> created = send(ca.trustingContext(), post(rest + "/lock"));
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(peer(created).getSerialNumber()).isEqualTo(first.certificate().getSerialNumber());

            ManagedChannel channel = channel(server.grpcPort(), TlsChannelCredentials.newBuilder()
                    .trustManager(ca.certificateFile().toFile()).build());
            try {
                assertThat(LockServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .createLock(request("over-grpc")).getLock().getService()).isEqualTo("over-grpc");
            } finally {
                channel.shutdownNow();
            }

            // Plaintext on the TLS ports: a JSON 400 over REST, UNAVAILABLE over gRPC; one line each, no trace.
            HttpResponse<String> plaintext = HttpClient.newHttpClient().send(
                    post("http://127.0.0.1:" + server.httpPort() + "/api/v1alpha1/lock"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plaintext.statusCode()).isEqualTo(400);
            assertThat(plaintext.body()).contains("\"error\":\"this port speaks TLS");
            ManagedChannel plain = channel(server.grpcPort(), InsecureChannelCredentials.create());
            try {
                StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                        () -> LockServiceGrpc.newBlockingStub(plain).withDeadlineAfter(10, TimeUnit.SECONDS)
                                .createLock(request("plaintext")));
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            } finally {
                plain.shutdownNow();
            }

            // Rotation: new files in place; the next connection gets the new certificate.
            TestCertificates.Issued second = ca.server("server");
            Instant deadline = Instant.now().plus(AT_MOST);
            while (!peer(send(ca.trustingContext(), get(rest + "/locks/list"))).getSerialNumber()
                    .equals(second.certificate().getSerialNumber())) {
                assertThat(Instant.now()).as("the rotated certificate is served within " + AT_MOST).isBefore(deadline);
                Thread.sleep(RELOAD.toMillis());
            }

            String log = server.log();
            assertThat(log).contains("refused a connection from").contains("does not speak TLS");
            assertThat(log).contains("to the gRPC port: it closed before completing a TLS handshake");
            assertThat(log).doesNotContain("\tat ").doesNotContain("! at ").doesNotContain("ERROR");
        }
    }

    @Test
    void withAClientCaOnlyClientsWithACertificateItSignedAreServed() throws Exception {
        TestCertificates ca = TestCertificates.newCa(directory, "test-ca");
        TestCertificates clients = TestCertificates.newCa(directory, "clients-ca");
        TestCertificates.Issued serverCertificate = ca.server("server");
        TestCertificates.Issued pipeline = clients.client("pipeline");
        TestCertificates.Issued stranger = TestCertificates.newCa(directory, "other-ca").client("stranger");
        try (ServerProcess server = ServerProcess.start("mtls", Map.of(
                "DB_URL", TrackerServers.h2File(directory),
                "TLS_CERT_FILE", serverCertificate.certificateFile().toString(),
                "TLS_KEY_FILE", serverCertificate.keyFile().toString(),
                "TLS_CLIENT_CA_FILE", clients.certificateFile().toString()))
                // The admin port asks for no client certificate: load balancers and Prometheus keep reaching it.
                .awaitHealthyOverTls(ca.trustingContext())) {
            String lock = "https://127.0.0.1:" + server.httpPort() + "/api/v1alpha1/lock";

            assertThat(catchThrowable(() -> send(ca.trustingContext(), post(lock))))
                    .as("no client certificate").isInstanceOf(IOException.class);
            assertThat(catchThrowable(() -> send(stranger.clientContext(ca), post(lock))))
                    .as("a certificate of another CA").isInstanceOf(IOException.class);
            assertThat(send(pipeline.clientContext(ca), post(lock)).statusCode()).isEqualTo(201);

            ManagedChannel anonymous = channel(server.grpcPort(), TlsChannelCredentials.newBuilder()
                    .trustManager(ca.certificateFile().toFile()).build());
            ManagedChannel withCertificate = channel(server.grpcPort(), TlsChannelCredentials.newBuilder()
                    .trustManager(ca.certificateFile().toFile())
                    .keyManager(pipeline.certificateFile().toFile(), pipeline.keyFile().toFile()).build());
            try {
                StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                        () -> LockServiceGrpc.newBlockingStub(anonymous).withDeadlineAfter(10, TimeUnit.SECONDS)
                                .createLock(request("grpc-anonymous")));
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(LockServiceGrpc.newBlockingStub(withCertificate).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .createLock(request("grpc-pipeline")).getLock().getService()).isEqualTo("grpc-pipeline");
            } finally {
                anonymous.shutdownNow();
                withCertificate.shutdownNow();
            }
        }
    }

    @Test
    void aKeyFileThatIsNotAKeyStopsTheStartNamingTheFile() throws Exception {
        TestCertificates ca = TestCertificates.newCa(directory, "test-ca");
        TestCertificates.Issued serverCertificate = ca.server("server");
        try (ServerProcess server = ServerProcess.start("tls-bad-key", Map.of(
                "DB_URL", TrackerServers.h2File(directory),
                "TLS_CERT_FILE", serverCertificate.certificateFile().toString(),
                "TLS_KEY_FILE", serverCertificate.certificateFile().toString()))) {
            assertThat(server.awaitExit(Duration.ofSeconds(60))).as("exited").isTrue();

            assertThat(server.exitCode()).isNotZero();
            assertThat(server.log()).contains("cannot use TLS_CERT_FILE " + serverCertificate.certificateFile()
                    + " with TLS_KEY_FILE " + serverCertificate.certificateFile()).doesNotContain("\tat ");
        }
    }

    private static ManagedChannel channel(int port, ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
    }

    private static CreateLockRequest request(String service) {
        return CreateLockRequest.newBuilder().setService(service).setWho("ci").build();
    }

    private static HttpRequest post(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"deploy-" + System.nanoTime()
                        + "\",\"who\":\"ci\"}")).build();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    }

    /** A fresh client, so a fresh handshake: the certificate it sees is the one served now. */
    private static HttpResponse<String> send(SSLContext tls, HttpRequest request) throws Exception {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static X509Certificate peer(HttpResponse<?> response) throws Exception {
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }
}
