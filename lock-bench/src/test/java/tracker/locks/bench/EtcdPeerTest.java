package tracker.locks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.locks.bench.BenchOptions.Scenario;

/**
 * The benchmark's peer row against a real etcd (Debian's etcd-server, which .ci/run installs when missing): the
 * process starts on loopback, etcd's lock through jetcd excludes a second holder of a name, and a load run over it
 * completes cycles without errors. Fails, never skips, without the etcd binary.
 */
class EtcdPeerTest {

    @TempDir
    static Path directory;

    private static EtcdPeer etcd;
    private static EtcdTarget locks;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> binary = EtcdPeer.find();
        assertThat(binary).as("the etcd binary on the PATH (apt-get install etcd-server)").isPresent();
        etcd = EtcdPeer.start(binary.get(), directory.resolve("etcd"));
        locks = new EtcdTarget(etcd.endpoint());
        // The client's first call opens its connection and loads its classes (over a second on a cold JVM on two
        // cores): done here, so neither test measures it.
        locks.release(locks.acquire("connect", "c", "client-connect"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (locks != null) {
            locks.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void a_held_name_is_granted_to_the_next_client_only_after_its_release() throws Exception {
        String first = locks.acquire("exclusion", "e1", "client-a");
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
            try {
                return locks.acquire("exclusion", "e1", "client-b");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Another name is granted meanwhile: etcd answers, so the second client is waiting for the name.
        String other = locks.acquire("exclusion", "e2", "client-c");
        locks.release(other);
        assertThat(second).isNotDone();

        locks.release(first);
        String next = second.get(10, TimeUnit.SECONDS);
        assertThat(next).isNotEqualTo(first).startsWith("bench/exclusion/e1/");
        locks.release(next);
    }

    @Test
    void a_load_run_on_etcd_completes_cycles_without_errors() throws Exception {
        CpuClock cpu = new CpuClock(Optional.of(etcd.handle()));
        Measurement run = LoadRun.run("etcd", Scenario.UNCONTENDED, "etcd", locks, 4, Duration.ofMillis(500),
                Duration.ofSeconds(2), cpu);

        assertThat(run.errors()).as("errors: %s", run.firstErrors()).isZero();
        assertThat(run.cycles()).isPositive();
        assertThat(run.cpu().serverMicros()).as("etcd's own processor time").isPositive();
    }
}
