package tracker.locks.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dependency rule of the hexagon on the compiled classes of every module (lock-app sees them all): the domain is
 * pure Java; each adapter knows only its own technology and the domain. The same rules run on the sources before
 * they compile (checkstyle/, per module). Each rule is also run on a class that breaks it, to show it can fail.
 * lock-bench needs no rule here: its pom depends on none of the server's modules but persistence (for the
 * store-limit baseline), so reaching into REST, gRPC or the app does not compile.
 */
class DependencyRuleTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TEST_FIXTURES)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("tracker.locks");

    private static final JavaClasses RULE_BREAKERS = new ClassFileImporter()
            .importPackages("tracker.locks.app.rulebreakers");

    private static final String[] DATABASE = {"org.jdbi..", "java.sql..", "javax.sql..", "org.h2..",
        "org.postgresql..", "liquibase.."};
    private static final String[] HTTP = {"jakarta.ws.rs..", "jakarta.servlet..", "org.eclipse.jetty..",
        "org.glassfish.jersey..", "java.net.http.."};
    private static final String[] GRPC = {"io.grpc..", "com.google.protobuf..", "tracker.lock.v1alpha1.."};
    /** Only lock-app wires the server; an adapter that reached for Dropwizard could not be reused without it. */
    private static final String[] DROPWIZARD = {"io.dropwizard.."};

    static Stream<Arguments> rules() {
        return Stream.of(
                rule("the domain is pure Java", "tracker.locks.domain", "domain",
                        layer -> noClasses().that().resideInAPackage(layer)
                                .should().dependOnClassesThat().resideOutsideOfPackages(layer, "java.lang..",
                                        "java.time..", "java.util..")),
                rule("persistence knows no HTTP and no gRPC", "tracker.locks.persistence", "persistence",
                        layer -> noClasses().that().resideInAPackage(layer).should().dependOnClassesThat()
                                .resideInAnyPackage(concat(HTTP, GRPC, DROPWIZARD, adapters("rest", "grpc", "app")))),
                rule("REST knows no gRPC and no database", "tracker.locks.rest", "rest",
                        layer -> noClasses().that().resideInAPackage(layer).should().dependOnClassesThat()
                                .resideInAnyPackage(concat(GRPC, DATABASE, DROPWIZARD,
                                        adapters("persistence", "grpc", "app")))),
                rule("gRPC knows no HTTP server and no database", "tracker.locks.grpc", "grpc",
                        layer -> noClasses().that().resideInAPackage(layer).should().dependOnClassesThat()
                                .resideInAnyPackage(concat(HTTP, DATABASE, DROPWIZARD,
                                        adapters("persistence", "rest", "app")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void everyModuleKeepsItsRule(String rule, ArchRule onProduction, ArchRule onRuleBreaker) {
        onProduction.check(PRODUCTION);
    }

    @ParameterizedTest(name = "{0}, and a class that breaks it fails")
    @MethodSource("rules")
    void aClassThatBreaksTheRuleFailsIt(String rule, ArchRule onProduction, ArchRule onRuleBreaker) {
        assertThatThrownBy(() -> onRuleBreaker.check(RULE_BREAKERS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(rule);
    }

    /**
     * @param layer the rule on a package pattern, so it can be run on the production package and on the package of
     *              its rule breaker
     */
    private static Arguments rule(String description, String production, String ruleBreaker,
                                  Function<String, ArchRule> layer) {
        return Arguments.of(description, layer.apply(production + "..").as(description),
                layer.apply("tracker.locks.app.rulebreakers." + ruleBreaker + "..").as(description));
    }

    private static String[] adapters(String... modules) {
        return Stream.of(modules).map(module -> "tracker.locks." + module + "..").toArray(String[]::new);
    }

    private static String[] concat(String[]... groups) {
        return Stream.of(groups).flatMap(Stream::of).toArray(String[]::new);
    }
}
