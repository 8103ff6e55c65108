package org.ilmpq.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import org.ilmpq.core.text.MessageText;

/**
 * Says in words why a file operation failed. Java's file exceptions carry the path as their whole message
 * ({@code FileAlreadyExistsException: out}) or print their class name; a user needs the path and the reason.
 */
final class IoFailure {

	private IoFailure() {
	}

	static String describe(IOException e) {
		if (e instanceof FileAlreadyExistsException exists) {
			return exists.getFile() + " exists and is not a folder";
		}
		if (e instanceof NoSuchFileException missing) {
			return missing.getFile() + " does not exist";
		}
		if (e instanceof NotDirectoryException notFolder) {
			return notFolder.getFile() + " is not a folder";
		}
		if (e instanceof AccessDeniedException denied) {
			return denied.getFile() + ": permission denied";
		}
		if (e instanceof FileSystemException other) {
			return MessageText.escape((other.getFile() == null ? "" : other.getFile() + ": ")
					+ (other.getReason() == null ? "cannot be used" : other.getReason()));
		}
		return MessageText.escape(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
	}
}
