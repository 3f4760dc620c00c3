package tracker.locks.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GrpcServerSettingsTest {

    @Test
    void defaultsServeTheContractPortOnEveryInterface() {
        GrpcServerSettings defaults = GrpcServerSettings.defaults();

        assertThat(defaults.port()).isEqualTo(8765);
        assertThat(defaults.bindsEveryInterface()).isTrue();
        assertThat(defaults.maxInboundMessageSize()).isLessThanOrEqualTo(1024 * 1024);
    }

    @Test
    void aBlankOrMissingHostMeansEveryInterface() {
        assertThat(GrpcServerSettings.defaults().withHost(null).bindsEveryInterface()).isTrue();
        assertThat(GrpcServerSettings.defaults().withHost("  ").bindsEveryInterface()).isTrue();
        assertThat(GrpcServerSettings.defaults().withHost("127.0.0.1").bindsEveryInterface()).isFalse();
    }

    @Test
    void nonsenseIsRefusedAtConstruction() {
        assertThatThrownBy(() -> GrpcServerSettings.defaults().withPort(65_536))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> GrpcServerSettings.defaults().withPort(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> GrpcServerSettings.defaults().withShutdownGracePeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdownGracePeriod");
        assertThatThrownBy(() -> new GrpcServerSettings("", 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInboundMessageSize");
        assertThatThrownBy(() -> new GrpcServerSettings("", 0, 1, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepAliveTime");
    }
}
