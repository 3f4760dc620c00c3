package tracker.locks.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import tracker.locks.client.HeldLock;

/**
 * Runs a command while a lock is held: in a process group of its own (so that its children are stopped with it),
 * with the lock's id, fencing token and service in its environment and the CLI's stdin, stdout and stderr. SIGINT,
 * SIGTERM and SIGHUP sent to the CLI go to the whole group. When the lock is lost, the group gets SIGTERM at once and
 * SIGKILL after the kill grace.
 */
final class CommandUnderLock {

    private static final String[] FORWARDED = {"INT", "TERM", "HUP"};

    private final PrintStream messages;
    private final boolean quiet;

    CommandUnderLock(PrintStream messages, boolean quiet) {
        this.messages = messages;
        this.quiet = quiet;
    }

    /** @return the command's exit status (128+N when signal N ended it), or 70 when the lock was lost */
    int run(List<String> command, HeldLock lock, String service, java.time.Duration killGrace)
            throws IOException, InterruptedException {
        boolean ownGroup = setsid() != null;
        List<String> argv = new ArrayList<>();
        if (ownGroup) {
            argv.add(setsid().toString());
        }
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
        builder.environment().put("TRACKER_LOCK_ID", lock.id());
        builder.environment().put("TRACKER_LOCK_TOKEN", Long.toString(lock.token()));
        builder.environment().put("TRACKER_LOCK_SERVICE", service);
        Process process;
        try {
            process = builder.start();
        } catch (IOException cannotStart) {
            messages.println("tracker-lock: cannot run " + command.get(0) + ": " + cannotStart.getMessage());
            return 127;
        }
        Group group = new Group(process, ownGroup);
        for (String name : FORWARDED) {
            Signal.handle(new Signal(name), signal -> group.signal(signal.getName()));
        }
        AtomicReference<String> lost = new AtomicReference<>();
        lock.onLost(reason -> {
            lost.set(reason);
            messages.println("tracker-lock: lost the lock on " + service + ": " + reason
                    + "; stopping the command (SIGTERM, SIGKILL after " + killGrace.toMillis() + "ms)");
            group.signal("TERM");
            Thread killer = new Thread(() -> {
                try {
                    if (!process.waitFor(killGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                        messages.println("tracker-lock: the command is still running; SIGKILL");
                    }
                    Thread.sleep(Math.min(killGrace.toMillis(), 100)); // its children may take a moment longer
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                group.signal("KILL");
            }, "tracker-lock-killer");
            killer.setDaemon(true);
            killer.start();
        });
        int status = process.waitFor();
        if (lost.get() != null) {
            // Grandchildren that outlived the command are stopped too before the CLI says the lock is gone.
            waitForGroup(group, killGrace);
            return ExitCode.LOST;
        }
        if (!quiet) {
            messages.println("tracker-lock: the command exited with " + status + "; releasing the lock");
        }
        return status;
    }

    private static void waitForGroup(Group group, java.time.Duration killGrace) throws InterruptedException {
        long deadline = System.nanoTime() + killGrace.toNanos() + TimeUnit.SECONDS.toNanos(2);
        while (group.alive() && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling the process table for members of the group
        }
        group.signal("KILL");
    }

    /** setsid(1), when this machine has it: the command then leads a process group of its own. */
    private static Path setsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The command's process group (or, without setsid, the command and its descendants). */
    private static final class Group {
        private final Process leader;
        private final boolean ownGroup;

        Group(Process leader, boolean ownGroup) {
            this.leader = leader;
            this.ownGroup = ownGroup;
        }

        void signal(String name) {
            List<String> kill = new ArrayList<>(List.of("kill", "-s", name, "--"));
            if (ownGroup) {
                kill.add("-" + leader.pid());
            } else {
                kill.add(Long.toString(leader.pid()));
                leader.descendants().forEach(child -> kill.add(Long.toString(child.pid())));
            }
            try {
                new ProcessBuilder(kill).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException cannotSignal) {
                if (name.equals("KILL") || name.equals("TERM")) {
                    leader.descendants().forEach(name.equals("KILL") ? ProcessHandle::destroyForcibly
                            : ProcessHandle::destroy);
                    if (name.equals("KILL")) {
                        leader.destroyForcibly();
                    } else {
                        leader.destroy();
                    }
                }
            }
        }

        /** Whether any process of the group is still there. */
        boolean alive() {
            if (!ownGroup) {
                return leader.isAlive() || leader.descendants().anyMatch(ProcessHandle::isAlive);
            }
            try {
                Process probe = new ProcessBuilder("kill", "-0", "--", "-" + leader.pid())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return probe.waitFor() == 0;
            } catch (IOException cannotProbe) {
                return false;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
