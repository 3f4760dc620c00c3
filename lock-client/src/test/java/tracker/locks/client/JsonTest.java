package tracker.locks.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsTheServersAnswers() {
        Object parsed = Json.parse("{\"locks\":[{\"id\":\"a\",\"token\":42,\"who\":\"ci \\\"7\\\" \\u00e9\"}],"
                + "\"total\":1,\"ok\":true,\"none\":null}");

        assertThat(parsed).isInstanceOf(Map.class);
        Map<?, ?> json = (Map<?, ?>) parsed;
        Map<?, ?> lock = (Map<?, ?>) ((List<?>) json.get("locks")).get(0);
        assertThat(lock.get("token")).isEqualTo(new BigDecimal(42));
        assertThat(lock.get("who")).isEqualTo("ci \"7\" é");
        assertThat(json.get("ok")).isEqualTo(Boolean.TRUE);
        assertThat(json.containsKey("none")).isTrue();
    }

    @Test
    void writesObjectsWithoutNullsAndEscapesStrings() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("service", "de\"ploy\n");
        fields.put("environment", null);
        fields.put("ttl", "30000ms");

        String json = Json.object(fields);

        assertThat(json).isEqualTo("{\"service\":\"de\\\"ploy\\n\",\"ttl\":\"30000ms\"}");
        assertThat(((Map<?, ?>) Json.parse(json)).get("service")).isEqualTo("de\"ploy\n");
    }

    @Test
    void somethingElseIsNotJson() {
        assertThatThrownBy(() -> Json.parse("<html>502</html>")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\":1} trailing")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\":\"unterminated")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPlainRequestIsSentAsBeforeAndLimitAndModeOnlyWhenNotTheDefault() {
        LockRequest plain = LockRequest.of("deploy", "ci-7").ttl(Duration.ofSeconds(30));

        assertThat(plain.json()).isEqualTo("{\"service\":\"deploy\",\"who\":\"ci-7\",\"ttl\":\"30000ms\"}");
        assertThat(plain.limit(1).mode(LockMode.EXCLUSIVE).json()).isEqualTo(plain.json());
        assertThat(plain.limit(2).json()).endsWith(",\"ttl\":\"30000ms\",\"limit\":2}");
        assertThat(plain.shared().json()).endsWith(",\"ttl\":\"30000ms\",\"mode\":\"shared\"}");
        assertThat(new LockRequest("deploy", "ci-7", null, null, null, null, null))
                .as("the constructor of before: one exclusive holder").isEqualTo(LockRequest.of("deploy", "ci-7"));
    }

    @Test
    void aLockReadsLimitModeAndWaitersAndWritesThemOnlyWhenSet() {
        LockInfo semaphore = LockInfo.of(object("{\"id\":\"a\",\"service\":\"deploy\",\"who\":\"ci-1\","
                + "\"createdAt\":\"2026-12-02T07:00:00Z\",\"token\":7,\"limit\":2,\"waiters\":3}"));
        LockInfo shared = LockInfo.of(object("{\"id\":\"b\",\"service\":\"db\",\"who\":\"reader\","
                + "\"createdAt\":\"2026-12-02T07:00:00Z\",\"token\":8,\"mode\":\"shared\"}"));
        String plainJson = "{\"id\":\"c\",\"service\":\"db\",\"who\":\"x\",\"createdAt\":\"2026-12-02T07:00:00Z\","
                + "\"token\":9}";
        LockInfo plain = LockInfo.of(object(plainJson));

        assertThat(semaphore.limit()).isEqualTo(2);
        assertThat(semaphore.mode()).isEqualTo(LockMode.EXCLUSIVE);
        assertThat(semaphore.waiters()).isEqualTo(3);
        assertThat(semaphore.toJson()).endsWith("\"token\":7,\"limit\":2,\"waiters\":3}");
        assertThat(shared.mode()).isEqualTo(LockMode.SHARED);
        assertThat(shared.limit()).isEqualTo(1);
        assertThat(shared.toJson()).endsWith("\"token\":8,\"mode\":\"shared\"}");
        assertThat(plain.waiters()).as("not told").isNull();
        assertThat(plain.toJson()).as("a plain lock is written exactly as before").isEqualTo(plainJson);
        assertThat(plain).isEqualTo(new LockInfo("c", "db", "x", null, null,
                Instant.parse("2026-12-02T07:00:00Z"), null, 9, null));
    }

    @Test
    void aConflictNamesEveryHolderFromHoldersElseTheExistingLock() {
        String first = "{\"id\":\"a\",\"service\":\"deploy\",\"who\":\"ci-1\",\"createdAt\":"
                + "\"2026-12-02T07:00:00Z\",\"token\":7,\"limit\":2}";
        String second = first.replace("\"a\"", "\"b\"").replace("ci-1", "ci-2").replace(":7", ":8");
        Map<?, ?> full = object("{\"error\":\"lock already exists\",\"existingLock\":" + first + ",\"holders\":["
                + first + "," + second + "]}");
        Map<?, ?> otherLimit = object("{\"error\":\"lock already exists with another limit: every holder of a key"
                + " must ask for the same limit\",\"existingLock\":" + first + ",\"holders\":[" + first + "]}");
        Map<?, ?> older = object("{\"error\":\"lock already exists\",\"existingLock\":"
                + first.replace(",\"limit\":2", "") + "}");

        LockHeldException held = LockHeldException.of(full, LockRequest.of("deploy", "ci-3").limit(2));
        LockHeldException another = LockHeldException.of(otherLimit, LockRequest.of("deploy", "ci-3").limit(3));
        LockHeldException plain = LockHeldException.of(older, LockRequest.of("deploy", "ci-3"));

        assertThat(held.holders()).extracting(LockInfo::who).containsExactly("ci-1", "ci-2");
        assertThat(held.holder().id()).isEqualTo("a");
        assertThat(held.heldWithAnotherLimit()).isFalse();
        assertThat(held).hasMessageContaining("ci-1").hasMessageContaining("and 1 more");
        assertThat(another.heldWithAnotherLimit()).isTrue();
        assertThat(another).hasMessageContaining("with limit 2: every holder of a key must ask for the same limit");
        assertThat(plain.holders()).extracting(LockInfo::id).containsExactly("a");
        assertThat(plain.heldWithAnotherLimit()).isFalse();
        assertThat(LockHeldException.of(object("{\"error\":\"conflict\"}"), LockRequest.of("deploy", "x")))
                .as("a 409 without a holder is not a held key").isNull();
    }

    @Test
    void aWaitingClientIsReadAsTheQueueListsIt() {
        WaitingClient exclusive = WaitingClient.of(object("{\"service\":\"deploy\",\"environment\":\"prod\","
                + "\"who\":\"ci-3\",\"mode\":\"exclusive\",\"limit\":2,\"since\":\"2026-12-02T07:00:00Z\","
                + "\"position\":1}"));
        WaitingClient shared = WaitingClient.of(object("{\"service\":\"db\",\"who\":\"reader\","
                + "\"mode\":\"shared\",\"since\":\"2026-12-02T07:00:01Z\",\"position\":2}"));

        assertThat(exclusive).isEqualTo(new WaitingClient("deploy", "prod", null, "ci-3", null, LockMode.EXCLUSIVE, 2,
                Instant.parse("2026-12-02T07:00:00Z"), 1));
        assertThat(shared.mode()).isEqualTo(LockMode.SHARED);
        assertThat(shared.limit()).isEqualTo(1);
        assertThat(shared.position()).isEqualTo(2);
        assertThat(shared.toJson()).isEqualTo("{\"service\":\"db\",\"who\":\"reader\",\"mode\":\"shared\","
                + "\"since\":\"2026-12-02T07:00:01Z\",\"position\":2}");
    }

    private static Map<?, ?> object(String json) {
        return (Map<?, ?>) Json.parse(json);
    }
}
