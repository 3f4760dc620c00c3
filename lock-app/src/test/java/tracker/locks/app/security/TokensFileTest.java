package tracker.locks.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.model.Scope;

/** The tokens file as an operator writes it, and every mistake named with its line. */
class TokensFileTest {

    private static final String DEPLOYER = "trk_deployer-secret";
    private static final String ON_CALL = "trk_on-call-secret";

    @Test
    void eachEntryNamesAPrincipalWithItsScopesAndServices() throws TokensFileException {
        IssuedTokens tokens = TokensFile.parse("""
                tokens:
                  - name: ci-deployer            # the owner of its locks
                    sha256: %s
                    scopes: [read, write]
                    services: ["deploy-*", "database-migration"]
                  - name: on-call
                    sha256: %s
                    scopes: [ADMIN]
                """.formatted(IssuedTokens.sha256Hex(DEPLOYER), IssuedTokens.sha256Hex(ON_CALL).toUpperCase()),
                "tokens.yml");

        Principal deployer = tokens.principalOf(DEPLOYER).orElseThrow();
        assertThat(deployer.name()).isEqualTo("ci-deployer");
        assertThat(deployer.scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.WRITE);
        assertThat(deployer.services().matches("deploy-web")).isTrue();
        assertThat(deployer.services().matches("database-migration")).isTrue();
        assertThat(deployer.services().matches("nightly-report")).isFalse();
        Principal onCall = tokens.principalOf(ON_CALL).orElseThrow();
        assertThat(onCall.may(Scope.WRITE)).isTrue();
        assertThat(onCall.services().all()).isTrue();
        assertThat(tokens.principalOf("trk_guessed")).isEmpty();
        assertThat(tokens.principalOf(IssuedTokens.sha256Hex(DEPLOYER))).as("the hash is not the token").isEmpty();
    }

    @Test
    void anEmptyListIsAllowedAndLetsNobodyIn() throws TokensFileException {
        assertThat(TokensFile.parse("tokens: []\n", "tokens.yml").size()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown scope        | 'tokens:\\n  - name: a\\n    sha256: HASH\\n    scopes: [read, delete]\\n' | tokens.yml, entry at line 2: unknown scope "delete"; scopes are read, write, admin
            no sha256            | 'tokens:\\n  - name: a\\n    scopes: [read]\\n'                             | tokens.yml, entry at line 2: sha256 must be the 64 hex digits
            short sha256         | 'tokens:\\n  - name: a\\n    sha256: abc\\n    scopes: [read]\\n'         | tokens.yml, entry at line 2: sha256 must be the 64 hex digits
            no name              | 'tokens:\\n  - sha256: HASH\\n    scopes: [read]\\n'                       | tokens.yml, entry at line 2: a token needs a name
            no scopes            | 'tokens:\\n  - name: a\\n    sha256: HASH\\n'                             | tokens.yml, entry at line 2: scopes must list at least one
            empty services       | 'tokens:\\n  - name: a\\n    sha256: HASH\\n    scopes: [read]\\n    services: []\\n' | tokens.yml, entry at line 2: services is empty
            misspelt field       | 'tokens:\\n  - name: a\\n    sha256: HASH\\n    scope: [read]\\n'          | tokens.yml, entry at line 2: unknown field "scope"; an entry has name, sha256, scopes and services
            unknown top key      | 'tokens: []\\nusers: []\\n'                                                | tokens.yml, line 2: unknown key "users"
            not a list           | 'tokens: yes\\n'                                                           | tokens.yml, line 1: "tokens" must be a list
            no tokens key        | '# nothing yet\\n'                                                         | tokens.yml: expected a map with a "tokens:" list
            unclosed quote       | 'tokens:\\n  - name: a\\n    sha256: "abc\\n'                              | tokens.yml, line 3: while scanning a quoted scalar
            scopes as text       | 'tokens:\\n  - name: a\\n    sha256: HASH\\n    scopes: {read: 1}\\n'     | tokens.yml, entry at line 2: scopes has the wrong form
            second entry listed twice | 'tokens:\\n  - name: a\\n    sha256: HASH\\n    scopes: [read]\\n  - name: b\\n    sha256: HASH\\n    scopes: [read]\\n' | tokens.yml, entry at line 5: this sha256 is already in the file
            """)
    void aMistakeIsNamedWithItsLine(String mistake, String file, String message) {
        String yaml = file.replace("\\n", "\n").replace("HASH", IssuedTokens.sha256Hex(DEPLOYER));

        assertThatThrownBy(() -> TokensFile.parse(yaml, "tokens.yml"))
                .isInstanceOf(TokensFileException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
    }
}
