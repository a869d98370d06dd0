package io.attach.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SubscribeMethodProcessor}.
 *
 * @author attach
 */
class SubscribeMethodProcessorTests {

	@TempDir
	Path spool;

	private ApplicationContextRunner runner() {
		return MessagingTestRunners.withoutDatabase(this.spool).withPropertyValues("MESSAGING_BACKEND=in-process");
	}

	@Test
	void methodTakingAGenericPayloadReceivesIt() {
		runner().withBean(Lists.class).run((context) -> {
			context.getBean(MessagePublisher.class).publish("numbers", List.of(1, 2, 3));
			Lists lists = context.getBean(Lists.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> !lists.received.isEmpty());
			assertThat(lists.received).containsExactly(List.of(1, 2, 3));
		});
	}

	@Test
	void methodWithTwoParametersFailsTheStartupNamingIt() {
		runner().withBean(TwoParameters.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("@Subscribe method " + TwoParameters.class.getName() + ".handle")
				.hasMessageContaining("must take exactly one parameter"));
	}

	@Test
	void methodTakingARawReceivedMessageFailsTheStartup() {
		runner().withBean(Raw.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("takes a ReceivedMessage without a payload type"));
	}

	@Test
	void methodTakingAReceivedMessageOfAWildcardFailsTheStartup() {
		runner().withBean(Wildcard.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("takes a ReceivedMessage without a payload type"));
	}

	@Test
	void invalidTopicFailsTheStartupNamingTheMethod() {
		runner().withBean(BadTopic.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("@Subscribe method " + BadTopic.class.getName() + ".handle of bean")
				.hasStackTraceContaining("Invalid topic name 'user created'"));
	}

	@Test
	void unresolvedPlaceholderFailsTheStartup() {
		runner().withBean(Placeholder.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("missing.group"));
	}

	@Test
	void withoutABackendAnnotatedMethodCannotBeSubscribed() {
		SubscribeMethodProcessor processor = new SubscribeMethodProcessor(
				new DefaultListableBeanFactory().getBeanProvider(MessagingSubscriptions.class), new MockEnvironment());
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> processor.postProcessAfterInitialization(new Lists(), "lists"))
			.withMessageContaining("messaging has no backend");
	}

	@Test
	void beanWithoutAnnotatedMethodsIsLeftAlone() {
		SubscribeMethodProcessor processor = new SubscribeMethodProcessor(
				new DefaultListableBeanFactory().getBeanProvider(MessagingSubscriptions.class), new MockEnvironment());
		Object bean = new Object();
		assertThat(processor.postProcessAfterInitialization(bean, "plain")).isSameAs(bean);
	}

	static class Lists {

		final List<List<Integer>> received = new CopyOnWriteArrayList<>();

		@Subscribe(topic = "numbers", group = "summer")
		void handle(List<Integer> numbers) {
			this.received.add(numbers);
		}

	}

	static class TwoParameters {

		@Subscribe(topic = "t", group = "g")
		void handle(String one, String two) {
		}

	}

	static class Raw {

		@Subscribe(topic = "t", group = "g")
		@SuppressWarnings("rawtypes")
		void handle(ReceivedMessage message) {
		}

	}

	static class Wildcard {

		@Subscribe(topic = "t", group = "g")
		void handle(ReceivedMessage<?> message) {
		}

	}

	static class BadTopic {

		@Subscribe(topic = "user created", group = "g")
		void handle(String payload) {
		}

	}

	static class Placeholder {

		@Subscribe(topic = "t", group = "${missing.group}")
		void handle(String payload) {
		}

	}

}
