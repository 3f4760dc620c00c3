package tracker.locks.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerProcessTest {

    @TempDir
    static Path directory;
    private static Path jar;

    @BeforeAll
    static void buildTheStandIn() throws IOException {
        jar = directory.resolve("stand-in.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PortTakingServer.class.getName());
        String entry = PortTakingServer.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(PortTakingServer.class.getClassLoader().getResourceAsStream(entry).readAllBytes());
            out.closeEntry();
        }
    }

    @Test
    void chosenPortsAreDifferentBindableAndBelowTheEphemeralRange() throws IOException {
        int[] ports = ServerProcess.freePorts(50);

        assertThat(ports).doesNotHaveDuplicates();
        for (int port : ports) {
            assertThat(port).isBetween(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(ServerProcess.HOST, port));
            }
        }
    }

    @Test
    void aPortTakenBeforeTheServerBindsItIsReplacedByAnother() throws Exception {
        try (ServerSocket thief = new ServerSocket()) {
            thief.bind(new InetSocketAddress(ServerProcess.HOST, ServerProcess.freePort()));
            Deque<int[]> choices = new ArrayDeque<>(List.of(
                    new int[] {thief.getLocalPort(), ServerProcess.freePort(), ServerProcess.freePort()},
                    ServerProcess.freePorts(3)));
            int[] second = choices.getLast();

            try (ServerProcess server = launch("port-taken", choices::removeFirst).awaitHealthy()) {
                assertThat(server.httpPort()).isEqualTo(second[0]);
                assertThat(server.adminPort()).isEqualTo(second[1]);
                assertThat(server.log()).contains("listening on " + second[0]);
                assertThat(Files.readString(directory.resolve("port-taken.log.port-taken")))
                        .contains("Address already in use");
            }
        }
    }

    @Test
    void aServerThatKeepsLosingItsPortIsReportedWithItsLog() throws Exception {
        try (ServerSocket thief = new ServerSocket()) {
            thief.bind(new InetSocketAddress(ServerProcess.HOST, ServerProcess.freePort()));
            ServerProcess.PortChooser alwaysTaken = () -> new int[] {
                thief.getLocalPort(), ServerProcess.freePort(), ServerProcess.freePort()};

            try (ServerProcess server = launch("port-always-taken", alwaysTaken)) {
                assertThatThrownBy(server::awaitHealthy).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("port-always-taken exited").hasMessageContaining("Address already in use");
            }
        }
    }

    private static ServerProcess launch(String name, ServerProcess.PortChooser ports) {
        return ServerProcess.launch(name, new ServerProcess.Launch(ServerProcess.currentJava(), jar, List.of("-Xmx32m"),
                List.of(), Map.of(), directory, directory.resolve(name + ".log"), ports), Duration.ofSeconds(5));
    }
}
