package io.attach.sample.avatars;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to a limit and throws {@link AvatarTooLargeException} past it, so that storage aborts the
 * write and nothing of an oversized upload is kept.
 *
 * @author attach
 */
final class SizeLimitedInputStream extends FilterInputStream {

	private final long maxBytes;

	private long read;

	SizeLimitedInputStream(InputStream in, long maxBytes) {
		super(in);
		this.maxBytes = maxBytes;
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		if (b >= 0) {
			count(1);
		}
		return b;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		int n = super.read(buffer, offset, length);
		if (n > 0) {
			count(n);
		}
		return n;
	}

	@Override
	public long skip(long n) throws IOException {
		long skipped = super.skip(n);
		count(skipped);
		return skipped;
	}

	private void count(long n) {
		this.read += n;
		if (this.read > this.maxBytes) {
			throw new AvatarTooLargeException(this.maxBytes);
		}
	}

}
