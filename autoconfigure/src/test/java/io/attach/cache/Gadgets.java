package io.attach.cache;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Classes outside the allowed packages that record being instantiated or initialized, as a gadget would run code.
 *
 * @author attach
 */
final class Gadgets {

	static final AtomicBoolean javaGadgetRead = new AtomicBoolean();

	static final AtomicBoolean jsonGadgetCreated = new AtomicBoolean();

	static final AtomicBoolean jsonGadgetInitialized = new AtomicBoolean();

	static final AtomicBoolean typeArgumentGadgetInitialized = new AtomicBoolean();

	private Gadgets() {
	}

	static void reset() {
		javaGadgetRead.set(false);
		jsonGadgetCreated.set(false);
		jsonGadgetInitialized.set(false);
		typeArgumentGadgetInitialized.set(false);
	}

	/**
	 * Runs code when Java deserialization reads it.
	 */
	static final class JavaGadget implements Serializable {

		private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
			in.defaultReadObject();
			javaGadgetRead.set(true);
		}

	}

	/**
	 * Runs code when it is loaded and when it is constructed.
	 */
	public static class JsonGadget {

		static {
			jsonGadgetInitialized.set(true);
		}

		public String name;

		public JsonGadget() {
			jsonGadgetCreated.set(true);
		}

	}

	/**
	 * Runs code when it is loaded, as a type argument of a generic class name.
	 */
	public static class TypeArgumentGadget {

		static {
			typeArgumentGadgetInitialized.set(true);
		}

	}

}
