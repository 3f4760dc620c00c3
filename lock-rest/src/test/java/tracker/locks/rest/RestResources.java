package tracker.locks.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.ResourceExtension;
import tracker.locks.domain.port.in.LockUseCases;

/** The REST API over the given use cases, in-process, as the server registers it: the resource and its one mapper. */
final class RestResources {

    /** The server's own JSON settings (Dropwizard's object mapper). */
    static final ObjectMapper MAPPER = Jackson.newObjectMapper();

    private RestResources() {
    }

    static ResourceExtension over(LockUseCases locks) {
        return ResourceExtension.builder()
                .setMapper(MAPPER)
                .setRegisterDefaultExceptionMappers(false)
                .addResource(new LockResource(locks, MAPPER))
                .addProvider(RestErrorMapper.class)
                .build();
    }
}
