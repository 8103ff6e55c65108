package org.ilmpq.dsl.ui.wizards;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.Path;
import org.eclipse.core.runtime.Platform;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;

/**
 * The templates of the New ILMPQ Spec wizard: examples shipped in the plug-in's {@code examples/} folder (the
 * repository's examples, checked by the build like every spec), with the network renamed after the new file and the
 * blocks of the libraries an example imports written into it, so that the new file stands alone.
 */
public enum SpecTemplate {

	RESNET18_XC7Z020("ResNet-18 on XC7Z020 (PYNQ-Z2)", "resnet18-xc7z020.ilmpq"),
	SMALL_CNN("Small CNN for 8 x 8 digits (PYNQ-Z2)", "digits-cnn.ilmpq");

	private static final Pattern NETWORK = Pattern.compile("(?m)^network\\s+\\S+");
	private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+\"([^\"]+)\".*\\R");
	private static final Pattern LIBRARY_HEADER = Pattern.compile("(?s)^.*?^library\\s+\\S+\\R\\s*", Pattern.MULTILINE);

	private final String label;
	private final String example;

	SpecTemplate(String label, String example) {
		this.label = label;
		this.example = example;
	}

	public String label() {
		return label;
	}

	public static List<String> labels() {
		return List.of(values()).stream().map(SpecTemplate::label).toList();
	}

	/** The template's text with its network named after {@code fileName} (made a valid name). */
	public String text(String fileName) {
		String source = withImportsWrittenOut(example(example));
		return NETWORK.matcher(source).replaceFirst(Matcher.quoteReplacement("network " + networkName(fileName)));
	}

	/** Each {@code import "blocks/x.ilmpq"} line replaced by the blocks of that library of the examples. */
	private static String withImportsWrittenOut(String source) {
		Matcher imports = IMPORT.matcher(source);
		StringBuilder text = new StringBuilder();
		while (imports.find()) {
			String library = example(imports.group(1));
			Matcher header = LIBRARY_HEADER.matcher(library);
			String blocks = header.lookingAt() ? library.substring(header.end()) : library;
			imports.appendReplacement(text, Matcher.quoteReplacement(blocks));
		}
		imports.appendTail(text);
		return text.toString();
	}

	/**
	 * {@code my-net.ilmpq} gives {@code my_net}: a name starts with a letter or an underscore, and is no keyword
	 * ({@code network.ilmpq} gives {@code network_}).
	 */
	public static String networkName(String fileName) {
		String base = fileName.toLowerCase(Locale.ROOT).endsWith(".ilmpq")
				? fileName.substring(0, fileName.length() - ".ilmpq".length())
				: fileName;
		String name = base.replaceAll("[^A-Za-z0-9_]", "_");
		if (name.isEmpty() || !Character.isLetter(name.charAt(0)) && name.charAt(0) != '_') {
			name = "n_" + name;
		}
		return keywords().contains(name) ? name + "_" : name;
	}

	private static java.util.Set<String> keywords() {
		return org.eclipse.xtext.GrammarUtil.getAllKeywords(IlmpqUiPlugin.getDefault().injector()
				.getInstance(org.eclipse.xtext.IGrammarAccess.class).getGrammar());
	}

	/** The text of one of the plug-in's examples. */
	static String example(String name) {
		URL url = FileLocator.find(Platform.getBundle(IlmpqUiPlugin.ID), new Path("examples/" + name));
		if (url == null) {
			throw new IllegalStateException("the plug-in " + IlmpqUiPlugin.ID + " has no examples/" + name);
		}
		try (InputStream in = url.openStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
