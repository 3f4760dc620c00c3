package tracker.locks.rest;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Shapes the OpenAPI document shows that no resource method returns as a type: request bodies (read from the raw
 * stream, so that any content type is JSON) and error bodies (built by {@link RestErrorMapper}). Documentation only.
 */
final class ApiDocs {

    /** Every answer that is not a success: JSON with {@code error}. */
    static final String ERROR_EXAMPLE = "{\"error\":\"service is required\",\"field\":\"service\"}";
    static final String CONFLICT_EXAMPLE = "{\"error\":\"lock already exists\",\"existingLock\":{\"id\":"
            + "\"87fc6614-cdbb-4a55-839a-d8e1a2aa9722\",\"service\":\"production-deployment\",\"who\":\"ci-pipeline-123\","
            + "\"createdAt\":\"2024-01-15T10:00:00Z\",\"token\":1}}";
    static final String LOCK_EXAMPLE = "{\"id\":\"3b7c2a8e-4f1d-4c3a-9a57-1f2e3d4c5b6a\",\"service\":"
            + "\"production-deployment\",\"who\":\"ci-pipeline-123\",\"createdAt\":\"2024-01-15T10:00:00Z\",\"token\":42}";
    static final String CREATE_EXAMPLE = "{\"service\":\"production-deployment\",\"who\":\"ci-pipeline-123\"}";
    static final String NOT_FOUND_EXAMPLE = "{\"error\":\"lock not found\",\"id\":\"3b7c2a8e-4f1d-4c3a-9a57-1f2e3d4c5b6a\"}";
    static final String RELEASED_EXAMPLE = "{\"success\":true,\"message\":\"Lock released successfully\"}";
    static final String UNAVAILABLE_EXAMPLE = "{\"error\":\"lock store unavailable, try again shortly\"}";

    private ApiDocs() {
    }

    @Schema(name = "LockRequest", description = "POST /lock: service and who are required; environment and resource"
            + " complete the key; ttl (a lease) and wait (how long to wait for a held key) are durations such as"
            + " \"30s\", \"10m\", \"PT1H\" or a number of seconds")
    record LockRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 255) String service,
                       @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 255) String who,
                       @Schema(maxLength = 255) String environment, @Schema(maxLength = 255) String resource,
                       @Schema(maxLength = 255) String eventId, @Schema(example = "30s") String ttl,
                       @Schema(name = "wait", example = "10s") String maxWait,
                       @Schema(description = "how many may hold the key at once (a semaphore), 1..1000, default 1;"
                               + " every holder of a key must ask for the same limit", minimum = "1",
                               maximum = "1000") Integer limit,
                       @Schema(description = "exclusive (default) or shared: shared holders hold together, an"
                               + " exclusive one alone", allowableValues = {"exclusive", "shared"}) String mode) {
    }

    @Schema(name = "RenewRequest", description = "POST /lock/{id}/renew: the new lease from now; empty body: the"
            + " server's default lease")
    record RenewRequest(@Schema(example = "30s") String ttl) {
    }

    @Schema(name = "Error", description = "Every failure: error says what is wrong; field names the request field"
            + " at fault (400); id the lock id asked for (404); existingLock the holder (409); success false (404 of a"
            + " release); holders every holder, oldest first, when the key has several or is a semaphore's or shared"
            + " (409)")
    record Error(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String error, String field, String id,
                 LockJson existingLock, java.util.List<LockJson> holders, Boolean success) {
    }
}
