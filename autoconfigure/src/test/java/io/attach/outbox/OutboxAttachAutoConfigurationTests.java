package io.attach.outbox;

import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

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

	private static boolean claimedBy(AssertableApplicationContext context, String application) {
		context.getBean(OutboxStore.class).add("mail", "<1@x>", OutboxStoreContractTests.bytes("one"));
		DataSource dataSource = context.getBean(DataSource.class);
		JdbcOutboxStore other = new JdbcOutboxStore(dataSource, "attach_outbox", "another");
		assertThat(other.claim("mail", 10, Duration.ofMinutes(1))).isEmpty();
		JdbcOutboxStore same = new JdbcOutboxStore(dataSource, "attach_outbox", application);
		return same.claim("mail", 10, Duration.ofMinutes(1)).size() == 1;
	}

}
