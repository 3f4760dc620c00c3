package tracker.locks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tracker.locks.bench.BenchOptions.Scenario;

class ReportTest {

    @Test
    void percentilesAreMillisecondsWithTwoDecimals() {
        Histogram micros = Measurement.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            micros.recordValue(i * 10L); // 10 µs .. 10 ms
        }

        assertThat(Report.millis(micros, 50)).isEqualTo("5.00");
        assertThat(Report.millis(micros, 99)).isEqualTo("9.90");
        assertThat(Report.millis(micros, 99.9)).isEqualTo("9.99");
        assertThat(Report.millis(Measurement.newHistogram(), 99)).isEqualTo("-");
    }

    @Test
    void ratioIsAWholePercentageOfTheLimit() {
        assertThat(Report.ratio(700, 1000)).isEqualTo("70%");
        assertThat(Report.ratio(1000, 1000)).isEqualTo("100%");
        assertThat(Report.ratio(2, 3)).isEqualTo("67%");
        assertThat(Report.ratio(5, 0)).isEqualTo("-");
    }

    @Test
    void ratesAndProcessorTimeAreRounded() {
        assertThat(Report.rate(1234.56)).isEqualTo("1235");
        assertThat(Report.rate(45.04)).isEqualTo("45.0");
        assertThat(Report.perOperation(1_000_000, 4000)).isEqualTo("250");
        assertThat(Report.perOperation(-1, 4000)).isEqualTo("-");
        assertThat(Report.perOperation(1_000, 0)).isEqualTo("-");
    }

    @Test
    void eachRowIsComparedWithTheLimitOfItsClientCount() {
        List<Measurement> rows = List.of(
                measurement(Measurement.STORE_LIMIT, 1, 10_000),
                measurement("grpc", 1, 7_000),
                measurement(Measurement.STORE_LIMIT, 8, 40_000),
                measurement("grpc", 8, 10_000));

        String table = Report.table("postgres", Scenario.UNCONTENDED, rows, false);

        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).contains("postgres / uncontended");
        assertThat(lines.get(1)).startsWith("transport").contains("cycles/s", "vs limit", "acq p99.9", "cyc p99");
        assertThat(lines.get(2)).startsWith("store-limit").contains(" 1000 ", " 100% ");
        assertThat(lines.get(3)).startsWith("grpc").contains(" 700 ", " 70% ");
        assertThat(lines.get(5)).startsWith("grpc").contains(" 1000 ", " 25% ");
        assertThat(lines.subList(1, 6)).allSatisfy(line -> assertThat(line).hasSameSizeAs(lines.get(1)));
    }

    @Test
    void withAnEtcdRowEachRowIsAlsoComparedWithEtcdAtItsClientCount() {
        List<Measurement> rows = List.of(
                measurement(Measurement.STORE_LIMIT, 8, 40_000),
                measurement("rest", 8, 30_000),
                measurement(Measurement.ETCD, 8, 20_000));

        List<String> lines = Report.table("postgres", Scenario.UNCONTENDED, rows, false).lines().toList();

        assertThat(lines.get(1)).contains("vs limit", "vs etcd");
        assertThat(lines.get(3)).startsWith("rest").contains(" 3000 ", " 75% ", " 150% ");
        assertThat(lines.get(4)).startsWith("etcd").contains(" 2000 ", " 50% ", " 100% ");
        assertThat(Report.table("postgres", Scenario.UNCONTENDED, rows.subList(0, 2), false)).doesNotContain("etcd");
    }

    @Test
    void coldStartsAreSetBesideTheWarmRowOfTheirTransportAndClients() {
        List<Measurement> warm = List.of(measurement("grpc", 8, 20_000), measurement("rest", 8, 30_000));
        List<Report.ColdStart> cold = List.of(
                new Report.ColdStart(Duration.ofMillis(4_250), measurement("rest", 8, 21_000)),
                new Report.ColdStart(Duration.ofMillis(3_900), measurement("grpc", 32, 5_000)));

        List<String> lines = Report.coldTable("postgres", Duration.ofSeconds(15), cold, warm, false).lines().toList();

        assertThat(lines.get(0)).contains("postgres / cold: the first 15s of a fresh server");
        assertThat(lines.get(1)).contains("ready after s", "warm cycles/s", "cold / warm");
        assertThat(lines.get(2)).startsWith("rest").contains(" 4.3 ", " 2100 ", " 3000 ", " 70% ");
        assertThat(lines.get(3)).startsWith("grpc").contains(" 3.9 ", " 500 ", " - ");
    }

    @Test
    void theWaitersReportSaysWhetherEveryWaiterWasGrantedInOrder() {
        HeapSampler.Sample heap = new HeapSampler.Sample(0, 200L << 20, 300L << 20, 512L << 20, 100L << 20, 3, 40);
        WaitersRun.Result inOrder = new WaitersRun.Result(10_000, 10_000, true, 60, 75, 80, heap, 12.5, 8.25,
                List.of());
        WaitersRun.Result outOfOrder = new WaitersRun.Result(10_000, 9_990, false, 60, 75, 80, heap, 12.5, 8.25,
                List.of("waiter 7: REST: timeout"));

        assertThat(WaitersRun.report("postgres", inOrder, "512m"))
                .contains("10,000 waiters at once", "server threads: 60 before, 75 with all waiting, 80 at most",
                        "used 200.0 MB", "granted 10,000 of 10,000, in arrival order on every key", "8.3 s");
        assertThat(inOrder.ok()).isTrue();
        assertThat(WaitersRun.report("postgres", outOfOrder, "512m"))
                .contains("granted 9,990 of 10,000, NOT IN ARRIVAL ORDER", "failure: waiter 7: REST: timeout");
        assertThat(outOfOrder.ok()).isFalse();
    }

    @Test
    void contendedTablesCountConflictsAndErrorsAreListed() {
        Measurement failing = new Measurement("h2", Scenario.CONTENDED, "rest", 8, Duration.ofSeconds(10), 500,
                2_000, 2, List.of("acquire: boom", "release: bang"), Measurement.newHistogram(),
                Measurement.newHistogram(), Measurement.newHistogram(), Measurement.CpuUsage.UNKNOWN);

        String table = Report.table("h2", Scenario.CONTENDED, List.of(failing), false);

        assertThat(table).contains("acq/s", "conflicts/s", "att p99");
        assertThat(table.lines().skip(2).findFirst().orElseThrow()).contains(" 50.0 ", " 200 ", " - ");
        assertThat(table).contains("rest at 8 clients: 2 unexpected errors", "    acquire: boom", "    release: bang");
    }

    @Test
    void markdownTablesAlignNumbersRight() {
        String table = Report.markdownTable(List.of("transport", "cycles/s"), List.of(List.of("grpc", "12")));

        assertThat(table).isEqualTo("| transport | cycles/s |\n|---|---:|\n| grpc | 12 |\n");
    }

    private static Measurement measurement(String transport, int clients, long cycles) {
        Histogram latency = Measurement.newHistogram();
        latency.recordValue(1_000);
        return new Measurement("postgres", Scenario.UNCONTENDED, transport, clients, Duration.ofSeconds(10), cycles, 0,
                0, List.of(), latency, latency, latency, new Measurement.CpuUsage(1_000_000, 500_000, 2_000_000));
    }
}
