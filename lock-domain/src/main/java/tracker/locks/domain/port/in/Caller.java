package tracker.locks.domain.port.in;

/** The client a call serves, as far as the transport can tell whether it is still there to take the answer. */
@FunctionalInterface
public interface Caller {

    /** A caller the transport cannot observe: assumed present until the call ends. */
    Caller UNOBSERVED = new Caller() {
        @Override
        public boolean hasGivenUp() {
            return false;
        }

        @Override
        public boolean watched() {
            return false;
        }
    };

    /** Whether the client has gone (disconnected, cancelled, past its deadline): then nothing should be done for it. */
    boolean hasGivenUp();

    /**
     * Whether the transport would see this client leave (a cancelled call, a closed connection). A lock taken for a
     * client nobody watches, after it left, would be held by nobody: such a client may only wait with a lease.
     */
    default boolean watched() {
        return true;
    }
}
