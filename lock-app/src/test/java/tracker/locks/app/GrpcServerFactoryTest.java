package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GrpcServerFactoryTest {

    @Test
    void defaultsServeTheContractPortOnEveryInterfaceAndRefuseLargeRequests() {
        GrpcServerFactory defaults = new GrpcServerFactory();

        assertThat(defaults.getPort()).isEqualTo(8765);
        assertThat(defaults.getHost()).isEmpty();
        assertThat(defaults.getMaxInboundMessageSize().toBytes()).isLessThanOrEqualTo(1024 * 1024);
        assertThat(defaults.getKeepAliveTime().toJavaDuration()).isPositive();
    }
}
