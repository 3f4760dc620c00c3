package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GrpcServerFactoryTest {

    private final Validator validator = Validators.newValidator();

    @Test
    void defaultsServeTheContractPortOnEveryInterfaceAndRefuseLargeRequests() {
        GrpcServerFactory defaults = new GrpcServerFactory();

        assertThat(defaults.getPort()).isEqualTo(8765);
        assertThat(defaults.bindsEveryInterface()).isTrue();
        assertThat(defaults.getMaxInboundMessageSize().toBytes()).isLessThanOrEqualTo(1024 * 1024);
        assertThat(validator.validate(defaults)).isEmpty();
    }

    @Test
    void aBlankOrMissingHostMeansEveryInterface() {
        GrpcServerFactory factory = new GrpcServerFactory();

        factory.setHost(null);
        assertThat(factory.bindsEveryInterface()).isTrue();
        factory.setHost("  ");
        assertThat(factory.bindsEveryInterface()).isTrue();
        factory.setHost("127.0.0.1");
        assertThat(factory.bindsEveryInterface()).isFalse();
    }

    @Test
    void nonsenseIsRefusedWhenTheConfigurationIsRead() {
        GrpcServerFactory factory = new GrpcServerFactory();
        factory.setPort(65_536);
        factory.setMaxInboundMessageSize(DataSize.bytes(0));
        factory.setKeepAliveTime(Duration.seconds(0));
        factory.setShutdownGracePeriod(Duration.milliseconds(-1));

        Set<String> refused = validator.validate(factory).stream()
                .map(ConstraintViolation::getPropertyPath).map(Object::toString).collect(Collectors.toSet());

        assertThat(refused).containsExactlyInAnyOrder("port", "maxInboundMessageSize", "keepAliveTime",
                "shutdownGracePeriod");
    }
}
