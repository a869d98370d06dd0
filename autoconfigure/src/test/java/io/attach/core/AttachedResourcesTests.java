package io.attach.core;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link AttachedResources}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class AttachedResourcesTests {

	@Test
	void whenWellKnownResourceIsSetThenItIsAttachedAndLoggedRedacted(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment().withProperty("DATABASE_URL",
				"postgres://app:canary@db/myapp");
		AttachedResources resources = new AttachedResources(ResourceDeclaration.all(environment));
		assertThat(resources.get("database")).hasValueSatisfying((resource) -> {
			assertThat(resource.kind()).isEqualTo(ResourceKinds.named("database").orElseThrow());
			assertThat(resource.readiness()).isEqualTo(ReadinessRole.REQUIRED);
		});
		assertThat(output).contains("Attached database (jdbc) from DATABASE_URL: postgres://app:****@db/myapp")
			.doesNotContain("canary");
	}

	@Test
	void whenNamedResourceIsDeclaredThenItIsListedAndSaidNotToBeWired(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("attach.resources.reports.url", "mariadb://app:canary@reports/db")
			.withProperty("attach.resources.reports.readiness", "degradable");
		AttachedResources resources = new AttachedResources(ResourceDeclaration.all(environment));
		assertThat(resources.all()).extracting(AttachedResource::name).containsExactly("reports");
		assertThat(resources.get("reports").orElseThrow().readiness()).isEqualTo(ReadinessRole.DEGRADABLE);
		assertThat(output).contains("Declared reports (jdbc) from attach.resources.reports.url")
			.contains("not wired to a bean yet")
			.doesNotContain("Attached reports")
			.doesNotContain("canary");
	}

	@Test
	void whenSchemeIsUnknownThenALoneTokenIsMaskedInTheErrorAndTheFailureReport() {
		MockEnvironment environment = new MockEnvironment().withProperty("REDIS_URL",
				"redis+tcp://canary-token@cache.example.com:6379");
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> new AttachedResources(ResourceDeclaration.all(environment)))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).startsWith("REDIS_URL (redis+tcp://****@cache.example.com:6379)")
					.doesNotContain("canary");
				FailureAnalysis analysis = new InvalidResourceUrlFailureAnalyzer().analyze(ex);
				assertThat(analysis.getDescription()).contains("REDIS_URL").doesNotContain("canary");
				assertThat(analysis.getAction()).doesNotContain("canary");
			});
	}

	@Test
	void whenUnknownSchemeIsDeclaredForANamedResourceThenItsUserInfoIsMaskedInTheErrorAndTheFailureReport() {
		MockEnvironment environment = new MockEnvironment().withProperty("attach.resources.search.url",
				"elastic://canary-user:canary-password@search:9200");
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> new AttachedResources(ResourceDeclaration.all(environment)))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).contains("unknown scheme").doesNotContain("canary");
				FailureAnalysis analysis = new InvalidResourceUrlFailureAnalyzer().analyze(ex);
				assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("canary");
			});
	}

	@Test
	void whenAHostAndPortAreGivenWithoutASchemeThenTheErrorSaysHowToWriteThem() {
		MockEnvironment environment = new MockEnvironment().withProperty("REDIS_URL", "localhost:6379");
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> new AttachedResources(ResourceDeclaration.all(environment)))
			.withMessageContaining("is a host and port without a scheme")
			.withMessageNotContaining("scheme 'localhost'")
			.satisfies((ex) -> assertThat(ex.getAction()).startsWith("Write it as redis://localhost:6379"));
	}

	@Test
	void whenOnlyAPortLikeTailFollowsTheColonThenItIsTakenForAHostAndPort() {
		assertThat(actionFor("REDIS_URL", "cache:6")).startsWith("Write it as redis://cache:6");
		assertThat(actionFor("REDIS_URL", "cache:65535")).startsWith("Write it as redis://cache:65535");
		// Six digits are no port, and an opaque value with letters is something else again.
		assertThat(actionFor("REDIS_URL", "cache:123456")).doesNotStartWith("Write it as");
		assertThat(actionFor("REDIS_URL", "cache:default")).doesNotStartWith("Write it as");
	}

	@Test
	void whenASchemeIsOneOrTwoEditsAwayThenTheNearestIsSuggested() {
		assertThat(actionFor("DATABASE_URL", "postgress://db/shop")).startsWith("Did you mean 'postgres'? ");
		assertThat(actionFor("DATABASE_URL", "mysqll://db/shop")).startsWith("Did you mean 'mysql'? ");
		assertThat(actionFor("DATABASE_URL", "pstgress://db/shop")).startsWith("Did you mean 'postgres'? ");
		assertThat(actionFor("REDIS_URL", "rediz://cache")).startsWith("Did you mean 'redis'? ");
		// Three edits, or two on a short scheme, are another word.
		assertThat(actionFor("DATABASE_URL", "postgrexxx://db/shop")).doesNotContain("Did you mean");
		assertThat(actionFor("REDIS_URL", "rdz://cache")).doesNotContain("Did you mean");
		assertThat(actionFor("SEARCH_URL_UNUSED", "x")).isEmpty();
	}

	@Test
	void whenAUrlOfNoKindHasAMisspeltSchemeThenEveryKindsSchemesAreSearched() {
		MockEnvironment environment = new MockEnvironment().withProperty("attach.resources.reports.url",
				"postgress://db/reports");
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> new AttachedResources(ResourceDeclaration.all(environment)))
			.satisfies((ex) -> assertThat(ex.getAction()).startsWith("Did you mean 'postgres'? Use a scheme attach"));
	}

	private static String actionFor(String setting, String url) {
		MockEnvironment environment = new MockEnvironment().withProperty(setting, url);
		try {
			new AttachedResources(ResourceDeclaration.all(environment));
			return "";
		}
		catch (InvalidResourceUrlException ex) {
			return ex.getAction();
		}
	}

	@Test
	void whenASchemeIsMisspeltThenTheErrorSuggestsTheNearestOne() {
		MockEnvironment environment = new MockEnvironment().withProperty("DATABASE_URL",
				"postgress://app:canary@db:5432/shop");
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> new AttachedResources(ResourceDeclaration.all(environment)))
			.withMessageNotContaining("canary")
			.satisfies((ex) -> assertThat(ex.getAction()).startsWith("Did you mean 'postgres'? Use one of"));
		MockEnvironment far = new MockEnvironment().withProperty("DATABASE_URL", "oracle://app@db:1521/shop");
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> new AttachedResources(ResourceDeclaration.all(far)))
			.satisfies((ex) -> assertThat(ex.getAction()).doesNotContain("Did you mean"));
	}

	@Test
	void whenUserNameIsThePasswordThenTheStartupLineMasksBoth(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment().withProperty("SMTP_URL",
				"smtp://canary-token:canary-token@smtp.postmarkapp.com:587");
		AttachedResources resources = new AttachedResources(ResourceDeclaration.all(environment));
		assertThat(resources.get("mail").orElseThrow().displayUrl())
			.isEqualTo("smtp://****:****@smtp.postmarkapp.com:587");
		assertThat(output).contains("Attached mail (smtp) from SMTP_URL: smtp://****:****@smtp.postmarkapp.com:587")
			.doesNotContain("canary");
	}

	@Test
	void whenQueryValueHoldsAtSignThenTheStartupLineShowsTheRealHost(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment().withProperty("DATABASE_URL",
				"postgres://app:canary@db.example.com?application_name=a@b");
		AttachedResources resources = new AttachedResources(ResourceDeclaration.all(environment));
		assertThat(resources.get("database").orElseThrow().url().hosts()).extracting(HostAndPort::host)
			.containsExactly("db.example.com");
		assertThat(output)
			.contains("from DATABASE_URL: postgres://app:****@db.example.com?application_name=a@b [readiness")
			.doesNotContain("canary");
	}

	@Test
	void whenNothingIsSetThenNothingIsAttached() {
		assertThat(new AttachedResources(ResourceDeclaration.all(new MockEnvironment())).all()).isEmpty();
		assertThat(new AttachedResources(List.of()).all()).isEmpty();
	}

	@Test
	void whenAmqpUrlListsBrokersWithCredentialsThenTheStartupLineMasksEveryPassword(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment().withProperty("AMQP_URL",
				"amqp://app:canary%2Cpw@h1/vh,amqp://app:canary%2Cpw@h2:5673/vh");
		AttachedResources resources = new AttachedResources(ResourceDeclaration.all(environment));
		AttachedResource messaging = resources.get("messaging").orElseThrow();
		assertThat(messaging.url().urls()).hasSize(2);
		assertThat(messaging.displayUrl()).isEqualTo("amqp://app:****@h1/vh,amqp://app:****@h2:5673/vh");
		assertThat(output)
			.contains("Attached messaging (amqp) from AMQP_URL: amqp://app:****@h1/vh,amqp://app:****@h2:5673/vh [")
			.doesNotContain("canary")
			.doesNotContain("%2C");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			DATABASE_URL | postgres://app:canary@h1/db,postgres://app:canary@h2/db | jdbc
			DATABASE_URL | postgres://app:canary@h1/db,postgres://h2/db            | jdbc
			REDIS_URL    | redis://:canary@h1:6379,redis://:canary@h2:6379         | redis
			SMTP_URL     | smtp://app:canary@h1:587,smtp://h2:587                  | smtp
			""")
	void whenAKindTakesOneUrlThenAListIsRefusedWithoutThePassword(String setting, String value, String kind) {
		MockEnvironment environment = new MockEnvironment().withProperty(setting, value);
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> new AttachedResources(ResourceDeclaration.all(environment)))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).startsWith(setting + " (")
					.contains("is a list of 2 URLs, but the " + kind + " kind takes one URL");
				assertThat(ex.getMessage() + ex.getRedactedUrl() + ex.getAction()).doesNotContain("canary");
			});
	}

}
