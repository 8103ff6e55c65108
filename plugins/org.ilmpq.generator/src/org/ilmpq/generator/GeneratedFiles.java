package org.ilmpq.generator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes generated files below an output folder, all of them or none (docs/hls.md, "Interrupted runs"). Every
 * changed file is first written into a staging folder inside the output folder ({@code .ilmpq-staging-PID}, on the
 * same file system, so that moving a file out of it is a rename); only when all are written are they moved into
 * place, each file it replaces moved aside first, and a failure on the way moves everything back. A run killed
 * while moving leaves its staging folder with a journal, and the next run into the folder undoes what it had
 * moved before doing anything else; it also removes what interrupted runs left (their staging folders, the
 * temporary files of earlier versions). A file whose content is unchanged is not touched, so that build tools
 * watching the folder see no change.
 */
public final class GeneratedFiles {

	private static final String STAGING_PREFIX = ".ilmpq-staging-";
	private static final String JOURNAL = "journal";
	/** The temporary files {@code AtomicFile} writes beside a file: {@code .NAME.PID.tmp}. */
	private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.(\\d+)\\.tmp");

	private GeneratedFiles() {
	}

	/**
	 * Writes {@code files} below {@code directory}: afterwards every one of them has its new content, or (on an
	 * exception) the folder is as it was before. Returns the files written or found unchanged, in order.
	 */
	public static List<Path> write(Path directory, List<GeneratedFile> files) throws IOException {
		if (files.isEmpty()) {
			return List.of();
		}
		Path root = directory.toAbsolutePath().normalize();
		Files.createDirectories(root);
		recoverInterruptedRuns(root);
		List<Path> targets = new ArrayList<>();
		List<Change> changes = new ArrayList<>();
		Set<Path> seen = new LinkedHashSet<>();
		Set<Path> folders = new LinkedHashSet<>();
		for (GeneratedFile file : files) {
			Path target = root.resolve(file.path()).normalize();
			if (!target.startsWith(root) || target.equals(root)) {
				throw new IOException(file.path() + " lies outside " + directory);
			}
			if (!seen.add(target)) {
				throw new IOException(file.path() + " is generated twice");
			}
			targets.add(target);
			byte[] content = file.content().getBytes(StandardCharsets.UTF_8);
			if (folders.add(target.getParent())) {
				removeStaleTemporaryFiles(target.getParent());
			}
			if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) || !Arrays.equals(Files.readAllBytes(target), content)) {
				checkWritable(root, target);
				changes.add(new Change(root.relativize(target), content, Files.exists(target, LinkOption.NOFOLLOW_LINKS)));
			}
		}
		if (changes.isEmpty()) {
			return targets;
		}
		Path staging = root.resolve(STAGING_PREFIX + ProcessHandle.current().pid());
		deleteTree(staging);
		try {
			for (Change change : changes) {
				Path staged = staging.resolve("new").resolve(change.path());
				Files.createDirectories(staged.getParent());
				Files.write(staged, change.content());
			}
			commit(root, staging, changes);
		} finally {
			deleteTree(staging);
		}
		return targets;
	}

	/** One file to write: its path below the output folder, its content, whether a file is there now. */
	private record Change(Path path, byte[] content, boolean replaces) {
	}

	/**
	 * Refuses before anything is staged what cannot be written: a folder or link where a file goes, a file where a
	 * folder goes, a folder that may not be written to.
	 */
	private static void checkWritable(Path root, Path target) throws IOException {
		if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
			throw new IOException(target + " is " + (Files.isDirectory(target) ? "a folder" : "not a plain file")
					+ " where a generated file goes");
		}
		Path existing = target.getParent();
		while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
			existing = existing.getParent();
		}
		if (!Files.isDirectory(existing)) {
			throw new IOException(existing + " is a file where a folder of generated files goes");
		}
		if (!Files.isWritable(existing)) {
			throw new IOException(existing + " cannot be written to");
		}
		if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isWritable(target)) {
			throw new IOException(target + " cannot be written to");
		}
	}

	/**
	 * Moves the staged files into place, each file it replaces to {@code old/} first. The journal, written before the
	 * first move, lets the next run undo a commit this process did not finish.
	 */
	private static void commit(Path root, Path staging, List<Change> changes) throws IOException {
		StringBuilder journal = new StringBuilder();
		for (Change change : changes) {
			journal.append(change.replaces() ? "replace\t" : "create\t").append(change.path()).append('\n');
		}
		Files.writeString(staging.resolve(JOURNAL), journal);
		try {
			for (Change change : changes) {
				Path target = root.resolve(change.path());
				Files.createDirectories(target.getParent());
				if (change.replaces()) {
					Path old = staging.resolve("old").resolve(change.path());
					Files.createDirectories(old.getParent());
					move(target, old);
				}
				move(staging.resolve("new").resolve(change.path()), target);
			}
		} catch (IOException | RuntimeException e) {
			try {
				undo(root, staging);
			} catch (IOException | RuntimeException undoing) {
				e.addSuppressed(undoing);
			}
			throw e;
		}
	}

	/**
	 * Undoes a commit from its journal: every replaced file that was moved aside goes back, every created file that
	 * was moved in goes away. A file not yet moved was never touched.
	 */
	private static void undo(Path root, Path staging) throws IOException {
		Path journal = staging.resolve(JOURNAL);
		if (!Files.exists(journal)) {
			return; // killed before its first move: nothing was touched
		}
		for (String line : Files.readAllLines(journal)) {
			int tab = line.indexOf('\t');
			if (tab < 0) {
				continue; // cut short by the kill: it was written before any move, so the move never came
			}
			Path path = Path.of(line.substring(tab + 1));
			Path target = root.resolve(path).normalize();
			if (!target.startsWith(root)) {
				continue;
			}
			Path old = staging.resolve("old").resolve(path);
			boolean movedIn = !Files.exists(staging.resolve("new").resolve(path));
			if (Files.exists(old)) {
				move(old, target);
			} else if (line.startsWith("create") && movedIn) {
				Files.deleteIfExists(target);
			}
		}
	}

	/** What runs into this folder that are no longer running left: their moves undone, their staging removed. */
	private static void recoverInterruptedRuns(Path root) throws IOException {
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, STAGING_PREFIX + "*")) {
			for (Path staging : entries) {
				if (!isRunning(staging.getFileName().toString().substring(STAGING_PREFIX.length()))) {
					undo(root, staging);
					deleteTree(staging);
				}
			}
		}
	}

	/** The temporary files earlier versions wrote beside each file, {@code .NAME.PID.tmp}, of processes now gone. */
	private static void removeStaleTemporaryFiles(Path folder) throws IOException {
		if (!Files.isDirectory(folder)) {
			return;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, ".*.tmp")) {
			for (Path entry : entries) {
				Matcher matcher = TEMPORARY.matcher(entry.getFileName().toString());
				if (matcher.matches() && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && !isRunning(matcher.group(1))) {
					Files.deleteIfExists(entry);
				}
			}
		}
	}

	private static boolean isRunning(String pid) {
		try {
			long id = Long.parseLong(pid);
			return id == ProcessHandle.current().pid() || ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false);
		} catch (NumberFormatException e) {
			return true; // not one of ours: leave it
		}
	}

	private static void move(Path from, Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		} catch (AtomicMoveNotSupportedException e) {
			Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static void deleteTree(Path folder) throws IOException {
		if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(folder)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> {
				try {
					Files.deleteIfExists(path);
				} catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			});
		} catch (UncheckedIOException e) {
			throw e.getCause();
		}
	}
}
