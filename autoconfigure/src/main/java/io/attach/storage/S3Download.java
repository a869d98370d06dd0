package io.attach.storage;

import java.io.FilterInputStream;
import java.io.IOException;

import software.amazon.awssdk.core.ResponseInputStream;

/**
 * An S3 object's content as {@link FileStorage#open} returns it: closed before its end, it aborts the connection
 * instead of letting the HTTP client read the rest of the object to reuse it, which for a client that went away from
 * a large download would hold the request thread until every byte had arrived.
 *
 * @author attach
 */
final class S3Download extends FilterInputStream {

	private final ResponseInputStream<?> response;

	private boolean ended;

	S3Download(ResponseInputStream<?> response) {
		super(response);
		this.response = response;
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		this.ended |= (b < 0);
		return b;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		int n = super.read(buffer, offset, length);
		this.ended |= (n < 0);
		return n;
	}

	@Override
	public void close() throws IOException {
		if (!this.ended) {
			this.response.abort();
		}
		super.close();
	}

}
