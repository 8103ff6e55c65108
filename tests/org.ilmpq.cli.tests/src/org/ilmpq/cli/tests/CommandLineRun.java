package org.ilmpq.cli.tests;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ilmpq.cli.IlmpqCommand;

/** What one in-process run of {@code ilmpq} printed and returned. */
record CommandLineRun(int exitCode, String out, String err) {

	static CommandLineRun ilmpq(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = IlmpqCommand.run(new PrintWriter(out), new PrintWriter(err), args);
		return new CommandLineRun(code, out.toString(), err.toString());
	}

	/** Writes {@code content} to {@code name} in {@code directory}, in UTF-8. */
	static Path write(Path directory, String name, String content) throws IOException {
		Path file = directory.resolve(name);
		Files.writeString(file, content, StandardCharsets.UTF_8);
		return file;
	}
}
