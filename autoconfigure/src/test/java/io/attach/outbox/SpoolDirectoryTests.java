package io.attach.outbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for where a {@link FileOutboxStore} keeps its items when {@code attach.outbox.directory} is not set, and
 * what it says when it cannot.
 *
 * @author attach
 */
class SpoolDirectoryTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OutboxAttachAutoConfiguration.class));

	@TempDir
	Path home;

	private String userHome;

	// The default lives under the user's home: this test's own, not the real one.
	@BeforeEach
	void useTemporaryHome() {
		this.userHome = System.getProperty("user.home");
		System.setProperty("user.home", this.home.toString());
	}

	@AfterEach
	void restoreHome() {
		System.setProperty("user.home", this.userHome);
	}

	@Test
	void whenNoDirectoryIsSetThenItemsAreKeptUnderTheUsersHomeForThisUserOnly() {
		this.contextRunner.withPropertyValues("spring.application.name=orders").run((context) -> {
			Path expected = this.home.resolve(".attach/outbox/orders");
			assertThat(context.getBean(OutboxStore.class).location()).isEqualTo("directory " + expected);
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(expected))).isEqualTo("rwx------");
		});
	}

	@Test
	void whenTheUserHasNoHomeThenTheErrorNamesTheSetting() {
		// What the JVM reports for a uid without a passwd entry, as containers often run with.
		System.setProperty("user.home", "?");
		this.contextRunner.run((context) -> assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> context.getBean(OutboxStore.class))
			.havingRootCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageContaining("user.home is '?'")
			.withMessageContaining("attach.outbox.directory"));
	}

	@Test
	void whenTheDirectoryCannotBeCreatedThenTheErrorNamesTheSetting() throws Exception {
		// As on a read-only root file system: something in the way of the directory.
		Path file = Files.writeString(this.home.resolve("file"), "not a directory");
		this.contextRunner.withPropertyValues("attach.outbox.directory=" + file.resolve("outbox"))
			.run((context) -> assertThatExceptionOfType(BeanCreationException.class)
				.isThrownBy(() -> context.getBean(OutboxStore.class))
				.withStackTraceContaining("Cannot use the outbox directory " + file.resolve("outbox"))
				.withStackTraceContaining("set attach.outbox.directory to a writable directory"));
	}

}
