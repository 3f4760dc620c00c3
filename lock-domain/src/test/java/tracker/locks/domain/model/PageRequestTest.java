package tracker.locks.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PageRequestTest {

    @Test
    void acceptsTheWholeRange() {
        assertThat(new PageRequest(1, 1).offset()).isZero();
        assertThat(new PageRequest(3, 1000).offset()).isEqualTo(2000);
        assertThat(new PageRequest(Integer.MAX_VALUE, 1000).offset()).isEqualTo((Integer.MAX_VALUE - 1L) * 1000);
    }

    @Test
    void refusesPerPageOutsideOneToAThousand() {
        assertThatThrownBy(() -> new PageRequest(1, 0))
                .isInstanceOfSatisfying(InvalidLockRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("per_page"));
        assertThatThrownBy(() -> new PageRequest(1, 1001))
                .hasMessage("per_page must be between 1 and 1000, got 1001");
    }

    @Test
    void refusesPagesBeforeTheFirst() {
        assertThatThrownBy(() -> new PageRequest(0, 10))
                .isInstanceOfSatisfying(InvalidLockRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("page"));
        assertThatThrownBy(() -> new PageRequest(-5, 10)).hasMessage("page must be 1 or more, got -5");
    }
}
