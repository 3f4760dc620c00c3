package tracker.locks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsParsingTest {

    @Test
    void heapGaugesAreReadFromDropwizardMetrics() throws Exception {
        String metrics = """
                {"version":"4.0.0","gauges":{
                  "jvm.memory.heap.used":{"value":104857600},
                  "jvm.memory.heap.committed":{"value":209715200},
                  "jvm.memory.heap.max":{"value":536870912},
                  "jvm.memory.pools.G1-Eden-Space.used-after-gc":{"value":0},
                  "jvm.memory.pools.G1-Old-Gen.used-after-gc":{"value":31457280},
                  "jvm.memory.pools.G1-Survivor-Space.used-after-gc":{"value":1048576},
                  "jvm.gc.G1-Young-Generation.count":{"value":12},
                  "jvm.gc.G1-Old-Generation.count":{"value":1},
                  "jvm.gc.G1-Young-Generation.time":{"value":90},
                  "jvm.gc.G1-Old-Generation.time":{"value":10},
                  "jvm.threads.count":{"value":40}
                },"counters":{},"histograms":{},"meters":{},"timers":{}}
                """;

        HeapSampler.Sample sample = HeapSampler.parse(3.0, metrics);

        assertThat(sample).isEqualTo(new HeapSampler.Sample(3.0, 104857600, 209715200, 536870912, 32505856, 13, 100));
    }

    @Test
    void missingGaugesAreUnknown() throws Exception {
        HeapSampler.Sample sample = HeapSampler.parse(0, "{\"gauges\":{}}");

        assertThat(sample.used()).isEqualTo(-1);
        assertThat(sample.afterGc()).isEqualTo(-1);
        assertThat(sample.gcCount()).isEqualTo(-1);
    }

    @Test
    void theFloorIsTheLowestUseInEachTenth() {
        List<HeapSampler.Sample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            samples.add(new HeapSampler.Sample(i, i % 2 == 0 ? 100 + i : 500, 600, 1000, -1, i, i));
        }

        assertThat(HeapSampler.floors(samples)).containsExactly(100L, 102L, 104L, 106L, 108L, 110L, 112L, 114L,
                116L, 118L);
    }

    @Test
    void machineBusyTimeLeavesOutIdleAndIoWait() {
        assertThat(CpuClock.busyTicks("cpu  100 5 50 9000 300 7 8 2 0 0")).isEqualTo(100 + 5 + 50 + 7 + 8 + 2);
    }
}
