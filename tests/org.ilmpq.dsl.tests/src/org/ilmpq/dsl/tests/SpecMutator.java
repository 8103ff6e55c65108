package org.ilmpq.dsl.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded mutations of a spec, as a user's slip, an editor's glitch or a hostile file makes them: at the level of
 * tokens (delete, duplicate, swap, replace with another of the spec's tokens or a keyword), of lines (delete,
 * duplicate, swap), numbers at their extremes, characters a terminal or parser chokes on, truncation, and deep
 * nesting (parentheses, long sums, deep blocks). The same seed gives the same mutants, so a failure is replayed
 * from its seed and index.
 */
final class SpecMutator {

	private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*|[0-9]+(\\.[0-9]+)?|\\S");

	private static final String[] NUMBERS = { "0", "1", "-1", "2", "3", "7", "16", "255", "65535", "2147483647",
			"2147483648", "4294967296", "9223372036854775807", "9223372036854775808", "999999999999999999999",
			"0.5", "100.0000001", "1e9", "00000000000000000001", "16777216" };

	private static final String[] KEYWORDS = { "network", "target", "quantization", "split", "pot", "fixed", "sp2",
			"activations", "input", "output", "block", "tensor", "int", "conv", "linear", "relu", "add", "concat",
			"flatten", "maxpool", "avgpool", "globalavgpool", "batchnorm", "depthwise", "groups", "out", "kernel",
			"stride", "padding", "dilation", "budget", "clock", "MHz", "lut", "dsp", "bram", "%", "x", "=", ",", "(",
			")", "{", "}", ":", "+", "-", "*", "/", "//", "/*", "*/", "first", "last", "layer", "every", "epochs" };

	private static final String[] CHARACTERS = { "\u0000", "\u0007", "\u001b[2J", "\r", "\n", "\t", "\u2028", "\u2029",
			"\uFEFF", "\u202E", "\u0301", "\uD83D\uDE00", "\uD83D", "\uFFFF", "\u00A0", "é", "\\", "\"", "'", "#",
			"@", "$", "~", "`" };

	private final SplittableRandom random;

	SpecMutator(long seed) {
		this.random = new SplittableRandom(seed);
	}

	/** One mutant of {@code spec}: one to three mutations in a row. */
	String mutate(String spec) {
		String mutant = spec;
		int mutations = 1 + random.nextInt(3);
		for (int i = 0; i < mutations; i++) {
			mutant = mutateOnce(mutant);
		}
		return mutant;
	}

	private String mutateOnce(String spec) {
		List<int[]> tokens = tokens(spec);
		if (tokens.isEmpty()) {
			return spec + pick(KEYWORDS);
		}
		int[] token = tokens.get(random.nextInt(tokens.size()));
		String text = spec.substring(token[0], token[1]);
		return switch (random.nextInt(14)) {
		case 0 -> replace(spec, token, "");
		case 1 -> replace(spec, token, text + " " + text);
		case 2 -> {
			int[] other = tokens.get(random.nextInt(tokens.size()));
			yield other[0] > token[1] ? spec.substring(0, token[0]) + spec.substring(other[0], other[1])
					+ spec.substring(token[1], other[0]) + text + spec.substring(other[1]) : spec;
		}
		case 3 -> {
			int[] other = tokens.get(random.nextInt(tokens.size()));
			yield replace(spec, token, spec.substring(other[0], other[1]));
		}
		case 4 -> replace(spec, token, pick(KEYWORDS));
		case 5, 6 -> replaceNumber(spec, tokens);
		case 7 -> insert(spec, pick(CHARACTERS));
		case 8 -> spec.substring(0, random.nextInt(spec.length() + 1));
		case 9 -> lines(spec);
		case 10 -> nestNumber(spec, tokens, "(".repeat(1 + random.nextInt(200)), true);
		case 11 -> nestNumber(spec, tokens, "", false);
		case 12 -> deepBlocks(spec);
		default -> insert(spec, pick(KEYWORDS) + " ");
		};
	}

	private String replaceNumber(String spec, List<int[]> tokens) {
		List<int[]> numbers = new ArrayList<>();
		for (int[] token : tokens) {
			if (Character.isDigit(spec.charAt(token[0]))) {
				numbers.add(token);
			}
		}
		if (numbers.isEmpty()) {
			return insert(spec, pick(NUMBERS));
		}
		return replace(spec, numbers.get(random.nextInt(numbers.size())), pick(NUMBERS));
	}

	/** A number wrapped in parentheses, or turned into a long sum. */
	private String nestNumber(String spec, List<int[]> tokens, String open, boolean parentheses) {
		for (int attempt = 0; attempt < 8; attempt++) {
			int[] token = tokens.get(random.nextInt(tokens.size()));
			if (Character.isDigit(spec.charAt(token[0]))) {
				String number = spec.substring(token[0], token[1]);
				String nested = parentheses ? open + number + ")".repeat(open.length())
						: number + " + 0".repeat(1 + random.nextInt(2_000));
				return replace(spec, token, nested);
			}
		}
		return spec;
	}

	/** Blocks that each call the one before twice, appended, and an instance of the last. */
	private String deepBlocks(String spec) {
		int depth = 1 + random.nextInt(40);
		StringBuilder blocks = new StringBuilder("\nblock z0(tensor t) {\n    r = relu(t)\n    output r\n}\n");
		for (int i = 1; i <= depth; i++) {
			blocks.append("block z" + i + "(tensor t) {\n    a = z" + (i - 1) + "(t)\n    c = z" + (i - 1)
					+ "(a)\n    output c\n}\n");
		}
		Matcher input = Pattern.compile("(?m)^input (\\w+)").matcher(spec);
		String argument = input.find() ? input.group(1) : "x";
		return spec + blocks + "zz = z" + depth + "(" + argument + ")\n";
	}

	private String lines(String spec) {
		List<String> lines = new ArrayList<>(List.of(spec.split("\n", -1)));
		int i = random.nextInt(lines.size());
		int j = random.nextInt(lines.size());
		switch (random.nextInt(3)) {
		case 0 -> lines.remove(i);
		case 1 -> lines.add(j, lines.get(i));
		default -> {
			String line = lines.get(i);
			lines.set(i, lines.get(j));
			lines.set(j, line);
		}
		}
		return String.join("\n", lines);
	}

	private String insert(String spec, String text) {
		int at = random.nextInt(spec.length() + 1);
		return spec.substring(0, at) + text + spec.substring(at);
	}

	private static String replace(String spec, int[] token, String text) {
		return spec.substring(0, token[0]) + text + spec.substring(token[1]);
	}

	private String pick(String[] choices) {
		return choices[random.nextInt(choices.length)];
	}

	private static List<int[]> tokens(String spec) {
		List<int[]> tokens = new ArrayList<>();
		Matcher matcher = TOKEN.matcher(spec);
		while (matcher.find()) {
			tokens.add(new int[] { matcher.start(), matcher.end() });
		}
		return tokens;
	}
}
