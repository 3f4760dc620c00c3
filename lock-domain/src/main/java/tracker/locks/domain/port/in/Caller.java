package tracker.locks.domain.port.in;

/** The client a call serves, as far as the transport can tell whether it is still there to take the answer. */
@FunctionalInterface
public interface Caller {

    /** A caller the transport cannot observe: assumed present until the call ends. */
    Caller UNOBSERVED = () -> false;

    /** Whether the client has gone (disconnected, cancelled, past its deadline): then nothing should be done for it. */
    boolean hasGivenUp();
}
