package io.attach.sample;

import java.util.concurrent.atomic.AtomicInteger;

import io.attach.sample.users.UserRepository;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Counts the reads of a user that reach the database, to tell a cache hit from a miss.
 *
 * @author attach
 */
@Configuration(proxyBeanMethods = false)
class UserQueryCounter {

	static final AtomicInteger reads = new AtomicInteger();

	@Bean
	static BeanPostProcessor userQueryCountingPostProcessor() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (!(bean instanceof UserRepository)) {
					return bean;
				}
				ProxyFactory proxy = new ProxyFactory(bean);
				proxy.setProxyTargetClass(true);
				proxy.addAdvice((MethodInterceptor) (invocation) -> {
					if (invocation.getMethod().getName().equals("findById")) {
						reads.incrementAndGet();
					}
					return invocation.proceed();
				});
				return proxy.getProxy();
			}

		};
	}

}
