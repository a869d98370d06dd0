package io.attach.outbox;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboxAttachAutoConfiguration}'s table store: whose items it holds, and its shutdown settings.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class OutboxAttachAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OutboxAttachAutoConfiguration.class))
		.withBean(DataSource.class, () -> new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2)
			.generateUniqueName(true)
			.build(), (definition) -> definition.setDestroyMethodName("shutdown"))
		.withPropertyValues("attach.outbox.store=jdbc");

	@Test
	void whenTheApplicationIsNamedThenItsItemsAreKeptForThatName() {
		this.contextRunner.withPropertyValues("spring.application.name=shop")
			.run((context) -> assertThat(claimedBy(context, "shop")).isTrue());
	}

	@Test
	void whenTheOutboxApplicationIsSetThenItWinsOverTheApplicationName() {
		this.contextRunner.withPropertyValues("spring.application.name=shop-eu", "attach.outbox.application=shop")
			.run((context) -> assertThat(claimedBy(context, "shop")).isTrue());
	}

	@Test
	void whenTheApplicationIsNotNamedThenAWarningSaysItsItemsAreKeptForADefaultName(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(claimedBy(context, "application")).isTrue();
			assertThat(output).contains("set spring.application.name (or attach.outbox.application)");
		});
	}

	@Test
	void whenTheFileStoreHasNoDirectoryThenAWarningSaysEveryChannelsItemsAreKeptOnTheLocalDisk(CapturedOutput output)
			throws IOException {
		withDefaultDirectory((directory) -> assertThat(output)
			.contains("Queued outbox items (mail, messages) are kept in " + directory)
			.contains("which may not survive replacing the container")
			.doesNotContain("Queued mail is kept in"));
	}

	@Test
	void whenTheEnvironmentIntendsTheDatabasesStandInThenTheLocalDiskIsSaidWithoutAWarning(CapturedOutput output)
			throws IOException {
		withDefaultDirectory((directory) -> assertThat(output)
			.contains("Queued outbox items (mail, messages) are kept in " + directory
					+ ", on this machine's or container's own disk (attach.stand-ins names the database)")
			.doesNotContain("which may not survive replacing the container"), "attach.stand-ins=mail, database");
	}

	// Makes the file store in its default directory, of an application of its own, and removes the directory after.
	private void withDefaultDirectory(Consumer<Path> assertions, String... properties) throws IOException {
		String application = "attach-test-" + UUID.randomUUID();
		Path directory = SpoolDirectory.defaultFor(application);
		try {
			this.contextRunner.withPropertyValues("attach.outbox.store=file", "spring.application.name=" + application)
				.withPropertyValues(properties)
				.run((context) -> {
					context.getBean(OutboxStore.class);
					assertions.accept(directory);
				});
		}
		finally {
			FileSystemUtils.deleteRecursively(directory);
		}
	}

	@Test
	void whenTheShutdownGraceIsNotShorterThanTheShutdownPhaseThenAWarningSaysSo(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("spring.application.name=shop", "attach.outbox.shutdown-grace=30s",
					"spring.lifecycle.timeout-per-shutdown-phase=20s")
			.run((context) -> {
				context.getBean(OutboxStore.class);
				assertThat(output).contains("attach.outbox.shutdown-grace (PT30S) is not shorter than"
						+ " spring.lifecycle.timeout-per-shutdown-phase (PT20S)");
			});
	}

	@Test
	void whenAdoptingUnassignedItemsIsSetThenTheStoreTakesItemsOfNoApplication() {
		this.contextRunner.withPropertyValues("spring.application.name=shop", "attach.outbox.adopt-unassigned=true")
			.run((context) -> assertThat(statsOfTableFromEarlierVersion(context))
				.extracting(OutboxStats::queued, OutboxStats::unassigned)
				.containsExactly(1L, 0L));
	}

	@Test
	void whenAdoptingUnassignedItemsIsNotSetThenItemsOfNoApplicationAreOnlyCounted() {
		this.contextRunner.withPropertyValues("spring.application.name=shop")
			.run((context) -> assertThat(statsOfTableFromEarlierVersion(context))
				.extracting(OutboxStats::queued, OutboxStats::unassigned)
				.containsExactly(0L, 1L));
	}

	@Test
	void whenTheSchemaMayNotBeChangedThenTheTableIsNotCreatedAndTheStatementsAreLogged(CapturedOutput output) {
		this.contextRunner.withPropertyValues("spring.application.name=shop", "attach.outbox.initialize-schema=never")
			.run((context) -> {
				assertThat(context.getBean(OutboxStore.class).initialize()).isFalse();
				assertThat(output).contains("attach.outbox.initialize-schema is never",
						"CREATE TABLE IF NOT EXISTS attach_outbox (");
				assertThat(new JdbcTemplate(context.getBean(DataSource.class))
					.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'ATTACH_OUTBOX'",
							Integer.class))
					.isZero();
			});
	}

	@Test
	void whenAKindCreatesOutboxesThenEachSharesTheStoreAndGetsWhatTheCustomizersAdd() {
		this.contextRunner.withPropertyValues("spring.application.name=shop")
			.withBean(OutboxBuilderCustomizer.class, () -> (builder) -> builder.whenStarted((outbox) -> {
			}))
			.run((context) -> {
				Outboxes outboxes = context.getBean(Outboxes.class);
				assertThat(context.getBeansOfType(OutboxBuilderCustomizer.class)).hasSizeGreaterThanOrEqualTo(2)
					.containsKeys("outboxCircuitBreakerCustomizer", "outboxMetricsCustomizer",
							"outboxRecoveryCustomizer");
				Outbox mail = outboxes.create(OutboxStoreContractTests.resource("mail"), () -> {
					throw new IllegalStateException("not delivering in this test");
				});
				Outbox messages = outboxes.create(OutboxStoreContractTests.resource("messages"), () -> {
					throw new IllegalStateException("not delivering in this test");
				});
				mail.enqueue("<1@x>", OutboxStoreContractTests.bytes("one"));
				messages.enqueue(OutboxMessage.of("m-1", OutboxStoreContractTests.bytes("one")));
				OutboxStore store = context.getBean(OutboxStore.class);
				assertThat(store.stats("mail").queued()).isOne();
				assertThat(store.stats("messages").queued()).isOne();
				assertThat(store.location()).isEqualTo("table attach_outbox");
			});
	}

	private static OutboxStats statsOfTableFromEarlierVersion(AssertableApplicationContext context) {
		JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
		jdbc.execute(new JdbcOutboxStore(context.getBean(DataSource.class), "attach_outbox", "shop").createTable("H2")
			.get(0)
			.replace(" application VARCHAR(128) NOT NULL,", ""));
		jdbc.update("INSERT INTO attach_outbox (channel, item_id, payload, enqueued_at, attempts, next_attempt_at)"
				+ " VALUES ('mail', '<old@x>', ?, 0, 0, 0)", (Object) OutboxStoreContractTests.bytes("old"));
		return context.getBean(OutboxStore.class).stats("mail");
	}

	private static boolean claimedBy(AssertableApplicationContext context, String application) {
		context.getBean(OutboxStore.class).add("mail", "<1@x>", OutboxStoreContractTests.bytes("one"));
		DataSource dataSource = context.getBean(DataSource.class);
		JdbcOutboxStore other = new JdbcOutboxStore(dataSource, "attach_outbox", "another");
		assertThat(other.claim("mail", 10, Duration.ofMinutes(1))).isEmpty();
		JdbcOutboxStore same = new JdbcOutboxStore(dataSource, "attach_outbox", application);
		return same.claim("mail", 10, Duration.ofMinutes(1)).size() == 1;
	}

}
