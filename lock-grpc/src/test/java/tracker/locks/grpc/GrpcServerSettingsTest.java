package tracker.locks.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GrpcServerSettingsTest {

    private static final Duration GRACE = Duration.ofSeconds(10);

    @Test
    void aBlankOrMissingHostMeansEveryInterface() {
        assertThat(LoopbackSettings.on(null, 0, GRACE).bindsEveryInterface()).isTrue();
        assertThat(LoopbackSettings.on("  ", 0, GRACE).bindsEveryInterface()).isTrue();
        assertThat(LoopbackSettings.on("127.0.0.1", 0, GRACE).bindsEveryInterface()).isFalse();
    }

    @Test
    void nonsenseIsRefusedAtConstruction() {
        assertThatThrownBy(() -> LoopbackSettings.on("", 65_536, GRACE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> LoopbackSettings.on("", -1, GRACE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> LoopbackSettings.on("", 0, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdownGracePeriod");
        assertThatThrownBy(() -> new GrpcServerSettings("", 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInboundMessageSize");
        assertThatThrownBy(() -> new GrpcServerSettings("", 0, 1, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepAliveTime");
    }
}
