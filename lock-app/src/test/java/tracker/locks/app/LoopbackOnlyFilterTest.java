package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** With authentication on, the thread dump and the admin tasks answer only this machine. */
class LoopbackOnlyFilterTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "127.0.0.1, true",
        "127.8.9.10, true",
        "0:0:0:0:0:0:0:1, true",
        "::1, true",
        "10.0.0.7, false",
        "192.168.1.20, false",
        "2001:db8:0:0:0:0:0:1, false",
    })
    void onlyALoopbackClientReachesThePage(String client, boolean served) throws Exception {
        AtomicBoolean reached = new AtomicBoolean();
        AtomicInteger status = new AtomicInteger(200);
        StringWriter body = new StringWriter();

        new LoopbackOnlyFilter().doFilter(request(client), response(status, body), (req, res) -> reached.set(true));

        assertThat(reached.get()).as("passed on").isEqualTo(served);
        assertThat(status.get()).isEqualTo(served ? 200 : 403);
        if (!served) {
            assertThat(body.toString()).startsWith("{\"error\":").contains("loopback");
        }
    }

    private static ServletRequest request(String remoteAddress) {
        return (ServletRequest) Proxy.newProxyInstance(LoopbackOnlyFilterTest.class.getClassLoader(),
                new Class<?>[] {ServletRequest.class},
                (proxy, method, args) -> method.getName().equals("getRemoteAddr") ? remoteAddress : null);
    }

    private static HttpServletResponse response(AtomicInteger status, StringWriter body) {
        PrintWriter writer = new PrintWriter(body, true);
        return (HttpServletResponse) Proxy.newProxyInstance(LoopbackOnlyFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> {
                        status.set((Integer) args[0]);
                        yield null;
                    }
                    case "getWriter" -> writer;
                    default -> null;
                });
    }
}
