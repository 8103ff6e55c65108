package org.ilmpq.core.export;

import java.io.IOException;

/** A file that is not an export of the version this reads: the message names the file, the line and the problem. */
public class ExportFormatException extends IOException {

	private static final long serialVersionUID = 1L;

	public ExportFormatException(String file, int line, String problem) {
		super(file + ":" + line + ": " + problem);
	}
}
