package tracker.locks.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;
import tracker.locks.domain.model.LockPolicy;

/** The {@code locks:} section: limits on leases and waiting, and the reaper of ended locks. */
public class LocksConfiguration {

    /** The domain's defaults are the configuration's: one copy of them. */
    private static final LockPolicy DEFAULTS = LockPolicy.DEFAULTS;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration maxTtl = Duration.milliseconds(DEFAULTS.maxTtl().toMillis());

    /** The lease of locks created without a ttl; null (the default): such locks live until released. */
    private Duration defaultTtl = DEFAULTS.defaultTtl() == null ? null
            : Duration.milliseconds(DEFAULTS.defaultTtl().toMillis());

    @NotNull
    private Duration maxWait = Duration.milliseconds(DEFAULTS.maxWait().toMillis());

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration reaperInterval = Duration.seconds(30);

    /** How long ended locks keep their row; must outlast any statement (see JdbiLockRepository). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration endedLockRetention = Duration.milliseconds(DEFAULTS.retention().toMillis());

    /** How long the lock history keeps an event (LOCK_HISTORY_RETENTION). */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration historyRetention = Duration.milliseconds(LockPolicy.DEFAULT_HISTORY_RETENTION.toMillis());

    LockPolicy policy() {
        return new LockPolicy(maxTtl.toJavaDuration(), defaultTtl == null ? null : defaultTtl.toJavaDuration(),
                maxWait.toJavaDuration(), endedLockRetention.toJavaDuration(), historyRetention.toJavaDuration());
    }

    @JsonProperty
    public Duration getHistoryRetention() {
        return historyRetention;
    }

    @JsonProperty
    public void setHistoryRetention(Duration historyRetention) {
        this.historyRetention = historyRetention;
    }

    @JsonProperty
    public Duration getMaxTtl() {
        return maxTtl;
    }

    @JsonProperty
    public void setMaxTtl(Duration maxTtl) {
        this.maxTtl = maxTtl;
    }

    @JsonProperty
    public Duration getDefaultTtl() {
        return defaultTtl;
    }

    @JsonProperty
    public void setDefaultTtl(Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    @JsonProperty
    public Duration getMaxWait() {
        return maxWait;
    }

    @JsonProperty
    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    @JsonProperty
    public Duration getReaperInterval() {
        return reaperInterval;
    }

    @JsonProperty
    public void setReaperInterval(Duration reaperInterval) {
        this.reaperInterval = reaperInterval;
    }

    @JsonProperty
    public Duration getEndedLockRetention() {
        return endedLockRetention;
    }

    @JsonProperty
    public void setEndedLockRetention(Duration endedLockRetention) {
        this.endedLockRetention = endedLockRetention;
    }
}
