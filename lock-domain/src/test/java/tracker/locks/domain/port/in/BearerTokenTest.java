package tracker.locks.domain.port.in;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void readsTheTokenOfABearerValueWhateverTheSchemesCase() {
        assertThat(BearerToken.of("Bearer abc-DEF_1")).isEqualTo("abc-DEF_1");
        assertThat(BearerToken.of("bearer abc")).isEqualTo("abc");
        assertThat(BearerToken.of("BEARER  abc ")).isEqualTo("abc");
    }

    @Test
    void anythingElsePresentsNoToken() {
        assertThat(BearerToken.of(null)).isNull();
        assertThat(BearerToken.of("")).isNull();
        assertThat(BearerToken.of("Bearer")).isNull();
        assertThat(BearerToken.of("Bearer    ")).isNull();
        assertThat(BearerToken.of("Basic dXNlcjpwYXNz")).isNull();
        assertThat(BearerToken.of("Bearerabc")).isNull();
    }
}
