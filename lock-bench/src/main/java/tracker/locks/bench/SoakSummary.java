package tracker.locks.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the fault soak found, and whether it passed: no two holders at once, the guarded counters equal to the
 * acknowledged acquisitions (with every client finished, so that both are final), acquisitions in the quiet time after
 * every fault, every instance serving at the end, and nothing left held.
 *
 * @param ran          how long the load ran: --soak's length, or more when the last fault took longer than expected
 * @param faultFailure why the faults ended early, if they did
 * @param unfinished   clients still running after the end and its grace
 * @param leftHeld     locks on the load's keys held once it stopped; -1: they could not be listed
 */
record SoakSummary(Duration length, Duration ran, Duration interval, SoakClock clock, SoakLoad load,
                   List<FaultInjector.Fault> faults, Optional<String> faultFailure, int unfinished,
                   SoakProgress progress, List<FaultSoak.Serving> serving, long leftHeld) {

    /** Why the soak failed; empty when it passed. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        HoldingChecker checker = load.checker();
        if (checker.violations() > 0) {
            problems.add(checker.violations() + " violations: two holders of a key at once");
        }
        if (load.counters().total() != checker.acknowledged()) {
            problems.add(String.format(Locale.ROOT, "the counters' total %,d differs from the %,d acknowledged"
                    + " acquisitions", load.counters().total(), checker.acknowledged()));
        }
        if (unfinished > 0) {
            problems.add(unfinished + " clients did not finish, so the counts are not final");
        }
        load.died().forEach(died -> problems.add("a client died: " + died));
        faultFailure.ifPresent(failure -> problems.add("a fault failed: " + failure));
        if (faults.isEmpty()) {
            problems.add("no fault was injected");
        }
        faults.stream().filter(fault -> fault.acquiredAfter() <= 0).forEach(fault -> problems.add(
                "no acquisition after fault " + fault.number() + " (" + fault.kind().label + ")"));
        serving.stream().filter(s -> !s.serves()).forEach(s -> problems.add(s.instance() + " does not serve at the"
                + " end (REST " + yesNo(s.rest()) + ", gRPC " + yesNo(s.grpc()) + ")"));
        if (leftHeld != 0) {
            problems.add(leftHeld < 0 ? "no instance listed the locks left held"
                    : leftHeld + " locks on the load's keys still held at the end");
        }
        return problems;
    }

    boolean passed() {
        return problems().isEmpty();
    }

    String text() {
        HoldingChecker checker = load.checker();
        StringBuilder out = new StringBuilder();
        Duration ranSeconds = Duration.ofSeconds(ran.toSeconds());
        out.append(String.format(Locale.ROOT, "== fault soak: %s%s, %d instances on one PostgreSQL, %d clients (half"
                        + " REST, half gRPC) on %d keys, a fault every %s ==%n", BenchOptions.format(length),
                ranSeconds.compareTo(length) > 0 ? " (ran " + BenchOptions.format(ranSeconds) + ")" : "",
                FaultSoak.INSTANCES, SoakLoad.CLIENTS, SoakLoad.KEYS, BenchOptions.format(interval)));
        out.append(String.format(Locale.ROOT, "acquisitions: %,d acknowledged (%.0f/s), %,d answered held; %,d"
                        + " unknown outcomes (%,d of them found held and released), %,d releases sent again, %,d"
                        + " given up%n", checker.acknowledged(), checker.acknowledged() / (ran.toNanos() / 1e9),
                load.heldAnswers(), load.unknownOutcomes(), load.orphansReleased(), load.releaseRetries(),
                load.abandonedCount()));
        out.append("violations (two holders at once): ").append(checker.violations()).append('\n');
        checker.described().forEach(violation -> out.append("  ").append(violation).append('\n'));
        long total = load.counters().total();
        out.append(String.format(Locale.ROOT, "guarded counters: total %,d, acknowledged acquisitions %,d: %s%n",
                total, checker.acknowledged(), total == checker.acknowledged() ? "equal" : "DIFFERENT"));
        out.append(faultLine());
        out.append("failures by kind: ").append(FailureTally.describe(load.failures().snapshot())).append('\n');
        out.append(String.format(Locale.ROOT, "most seen: heap used %s MB (%s at %s), %s threads (%s at %s),"
                        + " %s database connections (at %s)%n", HeapSampler.mb(progress.heap().value()),
                progress.heap().where(), progress.heap().when(), count(progress.threads().value()),
                progress.threads().where(), progress.threads().when(),
                count(progress.databaseConnections().value()), progress.databaseConnections().when()));
        out.append("at the end: ").append(serving.stream().map(s -> s.instance() + (s.serves() ? " serves"
                : " DOES NOT SERVE") + " (REST " + yesNo(s.rest()) + ", gRPC " + yesNo(s.grpc()) + ")")
                .collect(Collectors.joining(", "))).append("; locks on the load's keys left held: ")
                .append(leftHeld < 0 ? "unknown" : Long.toString(leftHeld)).append('\n');
        List<String> problems = problems();
        out.append(problems.isEmpty() ? "result: passed (no two holders at once, counters equal to the acquisitions,"
                + " acquisitions after every fault, every instance serving)\n"
                : "result: FAILED: " + String.join("; ", problems) + "\n");
        return out.toString();
    }

    /** Faults by kind, the fewest acquisitions after one, and those after the last. */
    private String faultLine() {
        Map<FaultInjector.Kind, Long> byKind = new EnumMap<>(FaultInjector.Kind.class);
        faults.forEach(fault -> byKind.merge(fault.kind(), 1L, Long::sum));
        StringBuilder line = new StringBuilder("faults: ").append(faults.size()).append(" (")
                .append(byKind.entrySet().stream().map(kind -> kind.getKey().label + " " + kind.getValue())
                        .collect(Collectors.joining(", "))).append(")");
        if (!faults.isEmpty()) {
            FaultInjector.Fault fewest = faults.stream()
                    .min(Comparator.comparingLong(FaultInjector.Fault::acquiredAfter)).orElseThrow();
            FaultInjector.Fault last = faults.get(faults.size() - 1);
            line.append(String.format(Locale.ROOT, "; fewest acquisitions in the quiet time after one: %,d (fault %d,"
                            + " %s); after the last (fault %d, %s, over at %s): %,d", fewest.acquiredAfter(),
                    fewest.number(), fewest.kind().label, last.number(), last.kind().label,
                    clock.stamp(last.recovered()), last.acquiredAfter()));
        }
        return line.append('\n').toString();
    }

    private static String count(long value) {
        return value < 0 ? "-" : String.format(Locale.ROOT, "%,d", value);
    }

    private static String yesNo(boolean yes) {
        return yes ? "yes" : "no";
    }
}
