package tracker.locks.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
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
}
