package tracker.locks.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.AccessDeniedException;
import tracker.locks.domain.model.AuthenticationRequiredException;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockAction;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockNotFoundException;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.model.Scope;
import tracker.locks.domain.model.ServicePatterns;
import tracker.locks.domain.model.TooManyFailedAuthenticationsException;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.in.LockUseCases;
import tracker.locks.domain.testing.InMemoryLockRepository;
import tracker.locks.domain.testing.LockServices;
import tracker.locks.domain.testing.MutableClock;

/** Who may do what, decided in one place for both transports; on the in-memory store. */
class AccessControlTest {

    private static final String CLIENT = "10.0.0.7";
    private static final PageRequest FIRST_PAGE = new PageRequest(1, 100);

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-15T10:00:00Z"));
    private final LockService service = LockServices.on(new InMemoryLockRepository(clock), clock);
    private final Map<String, Principal> issued = Map.of(
            "secret-deployer", principal("ci-deployer", Set.of(Scope.READ, Scope.WRITE), "deploy-*", "db-migration"),
            "secret-other", principal("ci-other", Set.of(Scope.READ, Scope.WRITE)),
            "secret-reader", principal("dashboard", Set.of(Scope.READ)),
            "secret-writer", principal("fire-and-forget", Set.of(Scope.WRITE)),
            "secret-admin", principal("on-call", Set.of(Scope.ADMIN)));
    private final AccessControl access = AccessControl.withTokens(service,
            secret -> Optional.ofNullable(issued.get(secret)), clock);

    @Test
    void withAuthenticationOffEveryClientMayDoEverythingAndLocksHaveNoOwner() {
        AccessControl off = AccessControl.open(service);

        LockUseCases anyone = off.enter(null, CLIENT);
        Lock lock = anyone.acquire(AcquireLockCommand.of("production-deployment", "ci-1"), Caller.UNOBSERVED);
        anyone.renew(lock.id().toString(), Duration.ofMinutes(5));
        anyone.release(lock.id().toString());

        assertThat(lock.owner()).isNull();
        assertThat(off.enter("whatever it says", CLIENT).list(FIRST_PAGE).total()).isZero();
    }

    @Test
    void noTokenOrAnUnknownOneIsAnAuthenticationFailure() {
        assertThatThrownBy(() -> access.enter(null, CLIENT)).isInstanceOf(AuthenticationRequiredException.class)
                .hasMessage("a bearer token is required (Authorization: Bearer <token>)");
        assertThatThrownBy(() -> access.enter(" ", CLIENT)).isInstanceOf(AuthenticationRequiredException.class);
        assertThatThrownBy(() -> access.enter("guessed", CLIENT)).isInstanceOf(AuthenticationRequiredException.class)
                .hasMessage("unknown or revoked token");
    }

    @Test
    void aLockRecordsTheTokenThatTookItAsItsOwner() {
        Lock lock = access.enter("secret-deployer", CLIENT)
                .acquire(AcquireLockCommand.of("deploy-web", "pipeline-9"), Caller.UNOBSERVED);

        assertThat(lock.owner()).isEqualTo("ci-deployer");
        assertThat(lock.who()).as("who stays the caller's own words").isEqualTo("pipeline-9");
        assertThat(service.get(lock.id().toString()).owner()).isEqualTo("ci-deployer");
    }

    @Test
    void eachCallNeedsItsScope() {
        LockUseCases reader = access.enter("secret-reader", CLIENT);
        LockUseCases writer = access.enter("secret-writer", CLIENT);

        assertThatThrownBy(() -> reader.acquire(AcquireLockCommand.of("deploy-web", "ci"), Caller.UNOBSERVED))
                .isInstanceOf(AccessDeniedException.class).hasMessage("token dashboard lacks the write scope");
        Lock lock = writer.acquire(AcquireLockCommand.of("deploy-web", "ci"), Caller.UNOBSERVED);
        assertThat(reader.get(lock.id().toString())).isEqualTo(lock);
        assertThat(reader.list(FIRST_PAGE).locks()).containsExactly(lock);
        assertThatThrownBy(() -> writer.get(lock.id().toString())).isInstanceOf(AccessDeniedException.class)
                .hasMessage("token fire-and-forget lacks the read scope");
        assertThatThrownBy(() -> writer.list(FIRST_PAGE)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> reader.release(lock.id().toString())).isInstanceOf(AccessDeniedException.class);
        writer.release(lock.id().toString());
    }

    @Test
    void aTokenTouchesAndSeesOnlyItsServices() {
        LockUseCases deployer = access.enter("secret-deployer", CLIENT);
        LockUseCases other = access.enter("secret-other", CLIENT);
        Lock deploy = deployer.acquire(AcquireLockCommand.of("deploy-web", "ci"), Caller.UNOBSERVED);
        Lock migration = deployer.acquire(AcquireLockCommand.of("db-migration", "ci"), Caller.UNOBSERVED);
        Lock elsewhere = other.acquire(AcquireLockCommand.of("nightly-report", "cron"), Caller.UNOBSERVED);

        assertThatThrownBy(() -> deployer.acquire(AcquireLockCommand.of("nightly-report-2", "ci"), Caller.UNOBSERVED))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("token ci-deployer may not use service nightly-report-2 (its services: deploy-*,"
                        + " db-migration)");
        assertThatThrownBy(() -> deployer.get(elsewhere.id().toString())).isInstanceOf(AccessDeniedException.class);
        LockPage seen = deployer.list(FIRST_PAGE);
        assertThat(seen.locks()).containsExactlyInAnyOrder(deploy, migration);
        assertThat(seen.total()).as("total counts what the token may see").isEqualTo(2);
        assertThat(other.list(FIRST_PAGE).total()).isEqualTo(3);
    }

    @Test
    void onlyTheOwnerOrAnAdminRenewsOrReleasesALock() {
        Lock lock = access.enter("secret-deployer", CLIENT).acquire(AcquireLockCommand.of("db-migration", "ci")
                .withTtl(Duration.ofMinutes(10)), Caller.UNOBSERVED);
        LockUseCases other = access.enter("secret-other", CLIENT);
        String id = lock.id().toString();

        assertThatThrownBy(() -> other.release(id)).isInstanceOf(AccessDeniedException.class)
                .hasMessage("lock " + id + " is owned by ci-deployer; to release another's lock, a token needs the"
                        + " admin scope");
        assertThatThrownBy(() -> other.renew(id, Duration.ofMinutes(20))).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("to renew another's lock");
        assertThat(service.get(id)).as("still held").isEqualTo(lock);

        assertThat(access.enter("secret-admin", CLIENT).release(id).forced()).as("another's lock: forced").isTrue();

        assertThat(service.list(FIRST_PAGE).total()).isZero();
        assertThat(service.history(id)).extracting(LockEvent::action, LockEvent::by).containsExactly(
                tuple(LockAction.ACQUIRED, null), tuple(LockAction.FORCE_RELEASED, "on-call"));
    }

    @Test
    void theHistoryIsReadWithTheReadScopeOfTheServiceAndAnAdminsOwnReleaseIsNotForced() {
        LockUseCases admin = access.enter("secret-admin", CLIENT);
        Lock own = admin.acquire(AcquireLockCommand.of("nightly", "ops"), Caller.UNOBSERVED);
        assertThat(admin.release(own.id().toString()).forced()).isFalse();
        Lock deploy = access.enter("secret-deployer", CLIENT).acquire(AcquireLockCommand.of("deploy-web", "ci"),
                Caller.UNOBSERVED);
        HistoryFilter nightly = HistoryFilter.of("nightly", null, null);

        assertThat(access.enter("secret-reader", CLIENT).history(nightly, FIRST_PAGE).total()).isEqualTo(2);
        assertThatThrownBy(() -> access.enter("secret-writer", CLIENT).history(nightly, FIRST_PAGE))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("lacks the read scope");
        assertThatThrownBy(() -> access.enter("secret-deployer", CLIENT).history(nightly, FIRST_PAGE))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("may not use service nightly");
        assertThatThrownBy(() -> access.enter("secret-deployer", CLIENT).history(own.id().toString()))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("may not use service nightly");
        assertThat(access.enter("secret-deployer", CLIENT).history(deploy.id().toString()))
                .extracting(LockEvent::action).containsExactly(LockAction.ACQUIRED);
        assertThatThrownBy(() -> admin.history("no-such-lock")).isInstanceOf(LockNotFoundException.class);

        // Without a service: every service the token may read, and nothing of the others.
        HistoryFilter everywhere = HistoryFilter.of(null, null, null);
        assertThat(access.enter("secret-deployer", CLIENT).history(everywhere, FIRST_PAGE).events())
                .extracting(event -> event.key().service()).containsOnly("deploy-web");
        assertThat(access.enter("secret-reader", CLIENT).history(everywhere, FIRST_PAGE).total()).isEqualTo(3);
    }

    @Test
    void theCallerIsTheTokensPrincipalOrAnyoneWithAuthenticationOff() {
        assertThat(access.enter("secret-deployer", CLIENT).principal().name()).isEqualTo("ci-deployer");
        assertThat(AccessControl.open(service).enter(null, CLIENT).principal()).isEqualTo(Principal.ANYONE);
    }

    @Test
    void theOwnerRenewsAndReleasesItsOwnLock() {
        LockUseCases deployer = access.enter("secret-deployer", CLIENT);
        Lock lock = deployer.acquire(AcquireLockCommand.of("deploy-web", "ci").withTtl(Duration.ofMinutes(10)),
                Caller.UNOBSERVED);

        assertThat(deployer.renew(lock.id().toString(), Duration.ofMinutes(30)).expiresAt())
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        deployer.release(lock.id().toString());
        assertThat(service.list(FIRST_PAGE).total()).isZero();
    }

    @Test
    void aLockTakenBeforeAuthenticationWasOnIsOwnedByNobodyAndOnlyAnAdminReleasesIt() {
        Lock old = AccessControl.open(service).enter(null, CLIENT)
                .acquire(AcquireLockCommand.of("deploy-web", "ci"), Caller.UNOBSERVED);

        assertThatThrownBy(() -> access.enter("secret-deployer", CLIENT).release(old.id().toString()))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("owned by nobody");
        access.enter("secret-admin", CLIENT).release(old.id().toString());
    }

    @Test
    void aClientThatKeepsPresentingWrongTokensIsSlowedDownAndOthersAreNot() {
        for (int i = 0; i < FailedAuthentications.ALLOWED; i++) {
            assertThatThrownBy(() -> access.enter("guess", CLIENT)).isInstanceOf(AuthenticationRequiredException.class);
        }

        assertThatThrownBy(() -> access.enter("secret-deployer", CLIENT))
                .as("even the right token, until the window has passed")
                .isInstanceOfSatisfying(TooManyFailedAuthenticationsException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(FailedAuthentications.WINDOW));
        assertThat(access.enter("secret-deployer", "10.0.0.8")).isNotNull();

        clock.advance(FailedAuthentications.WINDOW);
        assertThat(access.enter("secret-deployer", CLIENT)).isNotNull();
    }

    @Test
    void askingWithoutATokenIsRefusedButNotCountedAsAGuess() {
        for (int i = 0; i < 3 * FailedAuthentications.ALLOWED; i++) {
            assertThatThrownBy(() -> access.enter(null, CLIENT)).isInstanceOf(AuthenticationRequiredException.class)
                    .hasMessageContaining("a bearer token is required");
        }

        assertThat(access.enter("secret-deployer", CLIENT)).isNotNull();
    }

    private static Principal principal(String name, Set<Scope> scopes, String... services) {
        return new Principal(name, scopes, new ServicePatterns(List.of(services)));
    }
}
