package tracker.locks.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/** Who is asking, when {@code --who} does not say: the CI job, else user@host:pid. */
final class Who {

    private Who() {
    }

    static String of(Map<String, String> env) {
        if (present(env, "GITHUB_REPOSITORY") && present(env, "GITHUB_RUN_ID")) {
            return env.get("GITHUB_REPOSITORY") + "#" + env.get("GITHUB_RUN_ID");
        }
        if (present(env, "CI_PROJECT_PATH") && present(env, "CI_JOB_ID")) {
            return env.get("CI_PROJECT_PATH") + "#" + env.get("CI_JOB_ID");
        }
        if (present(env, "BUILD_TAG")) {
            return env.get("BUILD_TAG");
        }
        String user = present(env, "USER") ? env.get("USER") : System.getProperty("user.name", "unknown");
        return user + "@" + host(env) + ":" + ProcessHandle.current().pid();
    }

    private static String host(Map<String, String> env) {
        if (present(env, "HOSTNAME")) {
            return env.get("HOSTNAME");
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unknown) {
            return "localhost";
        }
    }

    private static boolean present(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }
}
