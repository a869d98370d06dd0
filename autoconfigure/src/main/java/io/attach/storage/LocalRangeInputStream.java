package io.attach.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads at most a number of bytes of a stream: a byte range of a local file.
 *
 * @author attach
 */
final class LocalRangeInputStream extends FilterInputStream {

	private long remaining;

	LocalRangeInputStream(InputStream in, long length) {
		super(in);
		this.remaining = length;
	}

	@Override
	public int read() throws IOException {
		if (this.remaining <= 0) {
			return -1;
		}
		int read = super.read();
		if (read >= 0) {
			this.remaining--;
		}
		return read;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		if (this.remaining <= 0) {
			return -1;
		}
		int read = super.read(buffer, offset, (int) Math.min(length, this.remaining));
		if (read > 0) {
			this.remaining -= read;
		}
		return read;
	}

	@Override
	public long skip(long n) throws IOException {
		long skipped = super.skip(Math.min(n, this.remaining));
		this.remaining -= skipped;
		return skipped;
	}

	@Override
	public int available() throws IOException {
		return (int) Math.min(super.available(), this.remaining);
	}

	@Override
	public boolean markSupported() {
		return false;
	}

}
