package io.attach.cache;

import java.util.Collection;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.NamedType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;
import tools.jackson.databind.jsontype.TypeIdResolver;
import tools.jackson.databind.jsontype.impl.ClassNameIdResolver;
import tools.jackson.databind.jsontype.impl.DefaultTypeResolverBuilder;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * A {@link RedisSerializer} that stores cached values as JSON with their class name, and reads back only the classes
 * that {@link CacheValueTypes} allows: a value written by anyone else is data, never a choice of class.
 *
 * @author attach
 */
final class JsonCacheValueSerializer implements RedisSerializer<Object> {

	private static final byte[] EMPTY = new byte[0];

	private final ObjectMapper mapper;

	JsonCacheValueSerializer(JsonMapper mapper, CacheValueTypes types) {
		this.mapper = mapper.rebuild()
			.setDefaultTyping(new AllowedClassTyping(types))
			// A class that lost a property in a deploy still reads; one that gained one reads it as its default.
			.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
			.build();
	}

	/**
	 * Creates a serializer on the application's {@link JsonMapper}, or on a default one if it has none.
	 * @param beanFactory the bean factory that may hold the application's mapper
	 * @param types the classes a value may name
	 * @return the serializer
	 */
	static RedisSerializer<Object> create(BeanFactory beanFactory, CacheValueTypes types) {
		return new JsonCacheValueSerializer(beanFactory.getBeanProvider(JsonMapper.class).getIfAvailable(JsonMapper::new),
				types);
	}

	@Override
	public byte[] serialize(@Nullable Object value) {
		if (value == null) {
			return EMPTY;
		}
		try {
			return this.mapper.writerFor(Object.class).writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Could not write " + value.getClass().getName() + " as JSON", ex);
		}
	}

	@Override
	public @Nullable Object deserialize(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length == 0) {
			return null;
		}
		try {
			return this.mapper.readValue(bytes, Object.class);
		}
		catch (JacksonException ex) {
			String hint = (ex instanceof InvalidTypeIdException)
					? " (a class outside the application's packages needs attach.cache.allowed-packages)" : "";
			throw new SerializationException("Could not read a cached value" + hint + ": " + ex.getOriginalMessage(),
					ex);
		}
	}

	/**
	 * Class names on every value whose declared type does not say what it is, checked against the allowed types.
	 */
	private static final class AllowedClassTyping extends DefaultTypeResolverBuilder {

		AllowedClassTyping(CacheValueTypes types) {
			super(types, DefaultTyping.NON_FINAL, JsonTypeInfo.As.PROPERTY, JsonTypeInfo.Id.CLASS, "@class");
		}

		@Override
		public DefaultTypeResolverBuilder withDefaultImpl(Class<?> defaultImpl) {
			return this;
		}

		@Override
		public DefaultTypeResolverBuilder typeIdVisibility(boolean isVisible) {
			return this;
		}

		@Override
		protected TypeIdResolver idResolver(DatabindContext context, JavaType baseType,
				PolymorphicTypeValidator validator, Collection<NamedType> subtypes, boolean forSer, boolean forDeser) {
			return new ClassNameIdResolver(baseType, subtypes, validator) {

				// Jackson loads and initializes the type arguments of a generic name before it validates them.
				@Override
				protected JavaType _typeFromId(DatabindContext context, String id) {
					if (id.indexOf('<') >= 0) {
						return context.reportBadDefinition(baseType, "Generic class name not allowed: " + id);
					}
					return super._typeFromId(context, id);
				}

			};
		}

	}

}
