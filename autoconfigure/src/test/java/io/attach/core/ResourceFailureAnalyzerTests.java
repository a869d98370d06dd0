package io.attach.core;

import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResourceFailureAnalyzer} and the causes each kind explains, with the exceptions the drivers throw;
 * {@code DatabaseStartupFailureIntegrationTests} has them thrown by the real servers.
 *
 * @author attach
 */
class ResourceFailureAnalyzerTests {

	@Test
	void whenTheDatabaseRefusesConnectionsThenTheReportNamesSettingServerAndCause() {
		FailureAnalysis analysis = analyze("DATABASE_URL", "postgres://app:canary@db.internal:5432/shop",
				new IllegalStateException("Failed to obtain JDBC Connection", new SQLException("Connection to "
						+ "db.internal:5432 refused.", "08001", new ConnectException("Connection refused"))));
		assertThat(analysis.getDescription()).isEqualTo(String.format("database (jdbc) could not be used at startup.%n%n"
				+ "    DATABASE_URL: postgres://app:****@db.internal:5432/shop%n    server: db.internal:5432%n"
				+ "    cause: connection refused: nothing listens on db.internal:5432"));
		assertThat(analysis.getAction()).isEqualTo("Start the server, or correct the host and port in DATABASE_URL.");
	}

	@Test
	void whenCredentialsAreRejectedThenTheReportSaysSoAndNamesTheUser() {
		assertThat(cause("postgres://app:canary@db/shop", new SQLException("password authentication failed", "28P01")))
			.isEqualTo("the server rejected the credentials of user 'app' (SQLState 28P01)");
		assertThat(cause("postgres://app:canary@db/shop", new SQLException("role does not exist", "28000")))
			.isEqualTo("the server rejected the credentials of user 'app' (SQLState 28000)");
		assertThat(cause("mysql://root:canary@db/shop", new SQLException("Access denied", "HY000", 1045)))
			.isEqualTo("the server rejected the credentials of user 'root' (SQLState HY000)");
	}

	@Test
	void whenTheUserNameIsThePasswordOrTheUrlIsOpaqueThenTheUserIsNotNamed() {
		assertThat(cause("postgres://canary-token:canary-token@db/shop", new SQLException("no", "28P01")))
			.isEqualTo("the server rejected the credentials of the URL's user (SQLState 28P01)");
		assertThat(cause("jdbc:postgresql://db/shop?user=app&password=canary", new SQLException("no", "28P01")))
			.isEqualTo("the server rejected the credentials of the URL's user (SQLState 28P01)");
	}

	@Test
	void whenTheDatabaseIsMissingThenItIsNamedUnlessTheUrlIsOpaque() {
		assertThat(cause("postgres://app@db/shop", new SQLException("database \"shop\" does not exist", "3D000")))
			.isEqualTo("the database 'shop' does not exist on the server");
		assertThat(cause("mariadb://app@db/shop", new SQLException("Unknown database 'shop'", "42000", 1049)))
			.isEqualTo("the database 'shop' does not exist on the server");
		assertThat(cause("jdbc:postgresql://db/shop?password=canary", new SQLException("does not exist", "3D000")))
			.isEqualTo("the database does not exist on the server");
	}

	@Test
	void whenTheServerHasNoTlsOrRefusesTheClientThenTheReportSaysWhich() {
		assertThat(cause("postgres://app@db/shop?sslmode=require",
				new SQLException("The server does not support SSL.", "08004")))
			.isEqualTo("the server does not offer TLS, which DATABASE_URL asks for");
		assertThat(cause("postgres://app@db/shop", new SQLException("no pg_hba.conf entry for host", "28000")))
			.startsWith("the server's pg_hba.conf refuses this client (28000)");
		assertThat(cause("postgres://app@db/shop", new SQLException("no pg_hba.conf entry for host")))
			.startsWith("the server's pg_hba.conf refuses this client (no state)");
	}

	@Test
	void whenTheFailureIsNotAResourcesThenBootReportsIt() {
		MockEnvironment environment = new MockEnvironment().withProperty("DATABASE_URL", "postgres://app@db/shop");
		ResourceFailureAnalyzer analyzer = analyzer(environment);
		assertThat(analyzer.analyze(new IllegalStateException("boom", new ConnectException("refused")))).isNull();
		// A bad statement is the database's exception, but no failure to reach or use it.
		assertThat(analyzer.analyze(new SQLException("syntax error at or near \"SELEC\"", "42601"))).isNull();
		assertThat(analyzer(new MockEnvironment().withProperty("DATABASE_URL", "postgres://db:x/s"))
			.analyze(new SQLException("refused", "08001", new ConnectException()))).isNull();
		assertThat(analyzer(new MockEnvironment())
			.analyze(new SQLException("refused", "08001", new ConnectException()))).isNull();
	}

	@Test
	void whenARedissHandshakeGetsNoAnswerThenThePlainTextServerIsSuspected() {
		MockEnvironment environment = new MockEnvironment().withProperty("REDIS_URL", "rediss://cache.internal:6380");
		FailureAnalysis analysis = analyzer(environment)
			.analyze(new org.springframework.data.redis.RedisConnectionFailureException("Unable to connect",
					new IllegalStateException("Connection initialization timed out after 3 second(s)")));
		assertThat(analysis.getDescription()).contains("cause: no answer from cache.internal:6380 in time to the TLS "
				+ "handshake: the server may speak plain text on that port");
		MockEnvironment plain = new MockEnvironment().withProperty("REDIS_URL", "redis://cache.internal:6379");
		assertThat(analyzer(plain)
			.analyze(new org.springframework.data.redis.RedisConnectionFailureException("Unable to connect",
					new IllegalStateException("Connection initialization timed out")))
			.getDescription()).contains("cause: no answer from cache.internal:6379 in time").doesNotContain("TLS");
	}

	@Test
	void whenAnyRedisTlsSchemeGetsNoAnswerThenTheHandshakeIsNamed() {
		for (String url : new String[] { "rediss://c:6380", "redis+tls://c:6380", "redis+ssl://c:6380",
				"rediss-sentinel://c:26379/0#main" }) {
			FailureAnalysis analysis = analyzer(new MockEnvironment().withProperty("REDIS_URL", url))
				.analyze(new io.lettuce.core.RedisConnectionException("Unable to connect",
						new IllegalStateException("timed out")));
			assertThat(analysis).as(url).isNotNull();
			assertThat(analysis.getDescription()).as(url).contains("in time to the TLS handshake");
		}
	}

	@Test
	void whenAClaimedExceptionIsASubclassThenItIsTheKindsToo() {
		ResourceKind database = ResourceKinds.named("database").orElseThrow();
		assertThat(database.isFailureOf(new java.sql.SQLTransientConnectionException("pool"))).isTrue();
		assertThat(database.isFailureOf(new IllegalStateException("wrapped", new java.sql.SQLException("x")))).isTrue();
		assertThat(database.isFailureOf(new IllegalStateException("no"))).isFalse();
	}

	@Test
	void whenTheUrlNamesSeveralHostsThenTheServerListsEach() {
		AttachedResource resource = AttachedResources.read(ResourceDeclaration.all(new MockEnvironment()
			.withProperty("DATABASE_URL", "postgres://app@h1:5432,h2:5433/shop"))).get(0);
		assertThat(resource.server()).isEqualTo("h1:5432, h2:5433");
		AttachedResource opaque = AttachedResources.read(ResourceDeclaration.all(new MockEnvironment()
			.withProperty("DATABASE_URL", "h2:mem:test"))).get(0);
		assertThat(opaque.server()).isEqualTo("(no host)");
	}

	@Test
	void whenAServiceConnectionTakesTheUrlsPlaceThenItsFailuresAreLeftToBoot() throws Exception {
		MockEnvironment environment = new MockEnvironment().withProperty("DATABASE_URL", "postgres://app@db/shop");
		SQLException refused = new SQLException("Connection to localhost:32768 refused.", "08001",
				new ConnectException("Connection refused"));
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		// As a @ServiceConnection or Docker Compose registers it: DATABASE_URL is set, but the pool connects to the
		// container. The analyzer runs after the failed refresh has destroyed the singletons.
		beanFactory.registerBeanDefinition("jdbcConnectionDetailsForTestcontainers",
				theirs("org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails"));
		beanFactory.destroySingletons();
		assertThat(new ResourceFailureAnalyzer(beanFactory, environment).analyze(refused)).isNull();
		DefaultListableBeanFactory attached = new DefaultListableBeanFactory();
		attached.registerBeanDefinition("jdbcConnectionDetails",
				ours("io.attach.jdbc.DatabaseUrlJdbcConnectionDetails"));
		attached.destroySingletons();
		assertThat(new ResourceFailureAnalyzer(attached, environment).analyze(refused)).isNotNull();
	}

	@Test
	void whenAnotherBeanHoldsAKindsConnectionDetailsThenItsUrlIsOverriddenAndOnlyThen() throws Exception {
		Map<String, List<String>> kinds = Map.of("database",
				List.of("org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails",
						"io.attach.jdbc.DatabaseUrlJdbcConnectionDetails"),
				"cache",
				List.of("org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails",
						"io.attach.redis.RedisUrlConnectionDetails"),
				"messaging", List.of("org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails",
						"io.attach.amqp.AmqpUrlConnectionDetails"));
		for (Map.Entry<String, List<String>> kind : kinds.entrySet()) {
			ResourceKind resourceKind = ResourceKinds.named(kind.getKey()).orElseThrow();
			assertThat(resourceKind.isUrlOverriddenIn(new DefaultListableBeanFactory())).as(kind.getKey()).isFalse();
			DefaultListableBeanFactory ours = new DefaultListableBeanFactory();
			ours.registerBeanDefinition("details", ours(kind.getValue().get(1)));
			assertThat(resourceKind.isUrlOverriddenIn(ours)).as(kind.getKey()).isFalse();
			DefaultListableBeanFactory theirs = new DefaultListableBeanFactory();
			theirs.registerBeanDefinition("details", theirs(kind.getValue().get(0)));
			assertThat(resourceKind.isUrlOverriddenIn(theirs)).as(kind.getKey()).isTrue();
			// Attach backs off for a bean of a parent context too (@ConditionalOnMissingBean searches ancestors).
			DefaultListableBeanFactory child = new DefaultListableBeanFactory(theirs);
			assertThat(resourceKind.isUrlOverriddenIn(child)).as(kind.getKey()).isTrue();
		}
		assertThat(ResourceKinds.named("mail").orElseThrow().isUrlOverriddenIn(new DefaultListableBeanFactory()))
			.isFalse();
	}

	// A definition with its class and a supplier, as Boot's ConnectionDetails registrars write them.
	private static RootBeanDefinition theirs(String type) throws ClassNotFoundException {
		Class<?> detailsType = Class.forName(type);
		Object details = Proxy.newProxyInstance(detailsType.getClassLoader(), new Class<?>[] { detailsType },
				(proxy, method, arguments) -> null);
		@SuppressWarnings("unchecked")
		Class<Object> detailsClass = (Class<Object>) details.getClass();
		return new RootBeanDefinition(detailsClass, () -> details);
	}

	private static RootBeanDefinition ours(String className) throws ClassNotFoundException {
		return new RootBeanDefinition(Class.forName(className));
	}

	private static String cause(String url, SQLException failure) {
		return analyze("DATABASE_URL", url, failure).getDescription().lines()
			.filter((line) -> line.startsWith("    cause: "))
			.map((line) -> line.substring("    cause: ".length()))
			.findFirst()
			.orElseThrow();
	}

	private static ResourceFailureAnalyzer analyzer(Environment environment) {
		return new ResourceFailureAnalyzer(new DefaultListableBeanFactory(), environment);
	}

	private static FailureAnalysis analyze(String setting, String url, Throwable failure) {
		FailureAnalysis analysis = analyzer(new MockEnvironment().withProperty(setting, url))
			.analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("canary");
		return analysis;
	}

}
