package tracker.locks.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import tracker.locks.testkit.ServerProcess;

/**
 * The fault soak's server instances, one per slot. The clients read a slot's current instance before each request,
 * so when the fault injector replaces a killed instance (a new process on new ports) they follow it, with clients
 * of their own made for it.
 */
final class SoakInstances implements AutoCloseable {

    /** Starts a server, healthy when it returns; {@code name} tells its log file apart. */
    @FunctionalInterface
    interface Launcher {
        ServerProcess start(String name) throws InterruptedException;
    }

    /**
     * One process in a slot.
     *
     * @param generation 1 for the slot's first process, 2 for its first replacement, …
     */
    record Instance(int slot, int generation, ServerProcess server) {

        /** {@code i2#3}: slot 2 (of 1, 2, 3), its third process. */
        String label() {
            return "i" + (slot + 1) + "#" + generation;
        }
    }

    private final AtomicReferenceArray<Instance> slots;
    private final Launcher launcher;

    private SoakInstances(int count, Launcher launcher) {
        this.slots = new AtomicReferenceArray<>(count);
        this.launcher = launcher;
    }

    /** Starts {@code count} instances, one after the other; on a failure, stops those already started. */
    static SoakInstances start(int count, Launcher launcher) throws InterruptedException {
        SoakInstances instances = new SoakInstances(count, launcher);
        try {
            for (int slot = 0; slot < count; slot++) {
                instances.slots.set(slot, instances.launch(slot, 1));
            }
            return instances;
        } catch (RuntimeException | InterruptedException e) {
            instances.close();
            throw e;
        }
    }

    int size() {
        return slots.length();
    }

    Instance current(int slot) {
        return slots.get(slot);
    }

    List<Instance> all() {
        List<Instance> all = new ArrayList<>();
        for (int slot = 0; slot < slots.length(); slot++) {
            all.add(slots.get(slot));
        }
        return all;
    }

    /**
     * Starts the next process of {@code slot} and, once healthy, makes it the slot's instance. The caller has
     * stopped the one before (that is the fault), and the clients of the slot fail over meanwhile.
     */
    Instance replace(int slot) throws InterruptedException {
        Instance replacement = launch(slot, slots.get(slot).generation() + 1);
        slots.set(slot, replacement);
        return replacement;
    }

    private Instance launch(int slot, int generation) throws InterruptedException {
        return new Instance(slot, generation, launcher.start("-i" + (slot + 1) + "-" + generation));
    }

    /** Stops every current instance (SIGTERM, then SIGKILL after the grace); a replaced one was stopped already. */
    @Override
    public void close() throws InterruptedException {
        for (Instance instance : all()) {
            if (instance != null) {
                instance.server().close();
            }
        }
    }
}
