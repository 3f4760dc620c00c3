package tracker.locks.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class LockIdTest {

    @Test
    void parsesCanonicalUuidsAndPrintsThemInLowerCase() {
        UUID uuid = UUID.randomUUID();

        assertThat(LockId.parse(uuid.toString().toUpperCase())).contains(new LockId(uuid));
        assertThat(new LockId(uuid).toString()).isEqualTo(uuid.toString()).isLowerCase();
    }

    @Test
    void anythingElseIsNoId() {
        assertThat(LockId.parse(null)).isEmpty();
        assertThat(LockId.parse("")).isEmpty();
        assertThat(LockId.parse("1-2-3-4-5")).isEmpty();
        assertThat(LockId.parse("507f1f77bcf86cd799439011")).isEmpty();
        assertThat(LockId.parse(UUID.randomUUID() + " ")).isEmpty();
        assertThat(LockId.parse("{" + UUID.randomUUID() + "}")).isEmpty();
    }
}
