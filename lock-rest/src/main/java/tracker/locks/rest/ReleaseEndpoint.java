package tracker.locks.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the release endpoints, whose error bodies carry {@code "success": false} beside the error, so that scripts
 * checking {@code .success} see the failure.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface ReleaseEndpoint {
}
