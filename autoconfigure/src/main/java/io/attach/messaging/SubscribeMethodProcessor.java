package io.attach.messaging;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.ReflectionUtils;

/**
 * Subscribes every {@link Subscribe @Subscribe} method of a bean through {@link MessagingSubscriptions}, with its
 * topic and group resolved against the environment ({@code ${...}} placeholders); a method that cannot be subscribed
 * fails the startup, naming it.
 *
 * @author attach
 */
final class SubscribeMethodProcessor implements BeanPostProcessor {

	private final ObjectProvider<MessagingSubscriptions> subscriptions;

	private final Environment environment;

	SubscribeMethodProcessor(ObjectProvider<MessagingSubscriptions> subscriptions, Environment environment) {
		this.subscriptions = subscriptions;
		this.environment = environment;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> target = AopUtils.getTargetClass(bean);
		Map<Method, Subscribe> methods = MethodIntrospector.selectMethods(target,
				(MethodIntrospector.MetadataLookup<Subscribe>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, Subscribe.class));
		methods.forEach((method, subscribe) -> subscribe(bean, beanName, method, subscribe));
		return bean;
	}

	private void subscribe(Object bean, String beanName, Method method, Subscribe subscribe) {
		String where = "@Subscribe method " + method.getDeclaringClass().getName() + "." + method.getName()
				+ " of bean '" + beanName + "'";
		Type payload = payloadType(method, where);
		String topic;
		String group;
		try {
			topic = Topics.check(this.environment.resolveRequiredPlaceholders(subscribe.topic()));
			group = Topics.checkGroup(this.environment.resolveRequiredPlaceholders(subscribe.group()));
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException(where + ": " + ex.getMessage(), ex);
		}
		MessagingSubscriptions subscriptions = this.subscriptions.getIfAvailable();
		if (subscriptions == null) {
			throw new BeanInitializationException(where + " cannot be subscribed: messaging has no backend. Set"
					+ " AMQP_URL to use RabbitMQ, or MESSAGING_BACKEND=in-process to deliver messages in this application");
		}
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		ReflectionUtils.makeAccessible(invocable);
		boolean whole = ReceivedMessage.class.equals(method.getParameterTypes()[0]);
		subscriptions.subscribe(topic, group, payload, (message) -> invoke(bean, invocable,
				whole ? message : message.payload()));
	}

	private static Type payloadType(Method method, String where) {
		if (method.getParameterCount() != 1) {
			throw new BeanInitializationException(where + " must take exactly one parameter: the payload, or a"
					+ " ReceivedMessage of it; it takes " + method.getParameterCount());
		}
		ResolvableType parameter = ResolvableType.forMethodParameter(method, 0);
		if (!ReceivedMessage.class.equals(parameter.resolve())) {
			return parameter.getType();
		}
		ResolvableType payload = parameter.as(ReceivedMessage.class).getGeneric(0);
		// Raw, a wildcard or a type variable: nothing tells what to read the JSON as.
		if (payload.resolve() == null || !(payload.getType() instanceof Class || payload.hasGenerics())) {
			throw new BeanInitializationException(where + " takes a ReceivedMessage without a payload type: declare it,"
					+ " such as ReceivedMessage<UserCreated>");
		}
		return payload.getType();
	}

	private static void invoke(Object bean, Method method, Object argument) throws Exception {
		try {
			method.invoke(bean, argument);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getTargetException();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}
