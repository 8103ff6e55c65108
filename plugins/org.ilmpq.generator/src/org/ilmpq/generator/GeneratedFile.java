package org.ilmpq.generator;

/**
 * One file a generator produces.
 *
 * @param path where it goes, relative to the output folder, with '/' between folders
 * @param content its whole text
 */
public record GeneratedFile(String path, String content) {
}
