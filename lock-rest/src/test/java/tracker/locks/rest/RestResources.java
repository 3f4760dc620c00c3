package tracker.locks.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.ResourceExtension;
import org.glassfish.jersey.test.grizzly.GrizzlyTestContainerFactory;
import tracker.locks.domain.port.in.LockGate;
import tracker.locks.domain.port.in.LockUseCases;

/**
 * The REST API over the given use cases, in-process, as the server registers it: the resource, its one mapper and its
 * writer, in a real HTTP container (Grizzly) so that waiting requests are suspended as in the server.
 */
final class RestResources {

    /** The server's own JSON settings (Dropwizard's object mapper). */
    static final ObjectMapper MAPPER = Jackson.newObjectMapper();

    private RestResources() {
    }

    /** Authentication off: every request may use {@code locks}. */
    static ResourceExtension over(LockUseCases locks) {
        return behind((token, client) -> locks);
    }

    /** Every request goes through {@code gate} with the bearer token it presents. */
    static ResourceExtension behind(LockGate gate) {
        return behind(gate, MAPPER);
    }

    /** {@link #behind(LockGate)}, the answers written with {@code answers}' settings (Jackson's own keeps MAPPER's). */
    static ResourceExtension behind(LockGate gate, ObjectMapper answers) {
        return ResourceExtension.builder()
                .setTestContainerFactory(new GrizzlyTestContainerFactory())
                .setMapper(MAPPER)
                .setRegisterDefaultExceptionMappers(false)
                .addResource(new LockResource(gate, MAPPER))
                .addProvider(RestErrorMapper.class)
                .addProvider(BodyEncodingFilter.class)
                .addProvider(JsonOptionsAnswer.class)
                .addProvider(new JsonAnswerWriter(answers))
                .addProvider(new JsonAnswerWriter.ForMaps(answers))
                .build();
    }
}
