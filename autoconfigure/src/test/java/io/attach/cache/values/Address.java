package io.attach.cache.values;

import java.io.Serializable;
import java.util.Objects;

/**
 * A mutable, non-final class of the application's own package, which is written with its class name.
 *
 * @author attach
 */
public class Address implements Serializable {

	private String city;

	public Address() {
	}

	public Address(String city) {
		this.city = city;
	}

	public String getCity() {
		return this.city;
	}

	public void setCity(String city) {
		this.city = city;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Address address && Objects.equals(this.city, address.city);
	}

	@Override
	public int hashCode() {
		return Objects.hashCode(this.city);
	}

}
