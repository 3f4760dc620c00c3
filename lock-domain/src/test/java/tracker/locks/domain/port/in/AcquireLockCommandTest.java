package tracker.locks.domain.port.in;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tracker.locks.domain.model.InvalidLockRequestException;
import tracker.locks.domain.model.LockKey;

class AcquireLockCommandTest {

    @Test
    void optionalFieldsDefaultToEmptyAndEventIdToAbsent() {
        AcquireLockCommand command = AcquireLockCommand.of("deploy", "ci", null, "  ", "");

        assertThat(command.key()).isEqualTo(new LockKey("deploy", "", ""));
        assertThat(command.eventId()).isNull();
    }

    @Test
    void keepsEveryFieldGiven() {
        AcquireLockCommand command = AcquireLockCommand.of("deploy", "ci", "prod", "db", "evt-1");

        assertThat(command.key()).isEqualTo(new LockKey("deploy", "prod", "db"));
        assertThat(command.who()).isEqualTo("ci");
        assertThat(command.eventId()).isEqualTo("evt-1");
    }

    @Test
    void acceptsUnicodeAndExactly255Characters() {
        String longest = "é".repeat(255);

        assertThat(AcquireLockCommand.of(longest, "ünïcødé ✓").key().service()).isEqualTo(longest);
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(nullValues = "NULL", value = {
        "service, NULL, service is required",
        "service, '', service must not be blank",
        "service, '   ', service must not be blank",
        "who, NULL, who is required",
        "who, '', who must not be blank",
    })
    void refusesMissingOrBlankRequiredFields(String field, String value, String message) {
        assertThatThrownBy(() -> AcquireLockCommand.of(
                "service".equals(field) ? value : "deploy", "who".equals(field) ? value : "ci"))
                .isInstanceOfSatisfying(InvalidLockRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void refusesFieldsLongerThan255Characters() {
        String tooLong = "x".repeat(256);

        assertRefused(() -> AcquireLockCommand.of(tooLong, "ci", null, null, null), "service");
        assertRefused(() -> AcquireLockCommand.of("deploy", tooLong, null, null, null), "who");
        assertRefused(() -> AcquireLockCommand.of("deploy", "ci", tooLong, null, null), "environment");
        assertRefused(() -> AcquireLockCommand.of("deploy", "ci", null, tooLong, null), "resource");
        assertRefused(() -> AcquireLockCommand.of("deploy", "ci", null, null, tooLong), "eventId");
    }

    @Test
    void refusesControlCharacters() {
        assertRefused(() -> AcquireLockCommand.of("deploy\n", "ci"), "service");
        assertRefused(() -> AcquireLockCommand.of("deploy", "c\u0000i"), "who");
        assertRefused(() -> AcquireLockCommand.of("deploy", "ci", "pr\tod", null, null), "environment");
        assertRefused(() -> AcquireLockCommand.of("deploy", "ci", null, "\u007f", null), "resource");
        assertRefused(() -> AcquireLockCommand.of("deploy", "ci", null, null, "e\u001b[31m"), "eventId");
    }

    private static void assertRefused(Runnable build, String field) {
        assertThatThrownBy(build::run)
                .isInstanceOfSatisfying(InvalidLockRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + " ");
                });
    }
}
