package org.ilmpq.core.hardware;

import org.ilmpq.core.integer.CodeFormat;

/**
 * How feature maps and weights lie in DRAM, packed into the words of the AXI ports (docs/hls.md, "Memory"), and
 * so how many words the accelerator moves: the hardware model counts its traffic with these rules, the HLS
 * generator sizes its tables with them, and the generated firmware reads and writes exactly that many words.
 * <ul>
 * <li>A feature map is stored pixel by pixel (height, width, channels: "HWC"), each pixel's channels packed
 * {@link CodeFormat#codesPerWord codes per word} from bit 0 up and starting on a word of its own: a pixel takes
 * {@code ceil(C / P)} words, so that a group of input lanes is one or two words of one pixel, and an output tile
 * is written as whole words.</li>
 * <li>An engine's weights of one kernel position in one row step, the step's rows (at most the engine's ROWS) x
 * LANES codes of its scheme's width in row-major order, are one block of whole words ({@link #blockWords}).</li>
 * <li>Integer parameters (a layer's clamps and residual multiplier, a group's row counts, a row's multiplier,
 * shift, bias and output channel) are one 64-bit word each ({@link #PARAMETER_BITS}).</li>
 * </ul>
 */
public final class FeatureMapLayout {

	/** Bits of one parameter word. */
	public static final int PARAMETER_BITS = 64;

	private FeatureMapLayout() {
	}

	/** Words of one pixel of a map of {@code channels} channels. */
	public static long wordsPerPixel(long channels, CodeFormat format, int wordBits) {
		long perWord = format.codesPerWord(wordBits);
		return (channels + perWord - 1) / perWord;
	}

	/** Words of a whole map. */
	public static long words(long channels, long height, long width, CodeFormat format, int wordBits) {
		return height * width * wordsPerPixel(channels, format, wordBits);
	}

	/** Words of one pixel holding channels {@code first} to {@code first + count - 1}, {@code perWord} a word. */
	public static long wordsCovering(long first, long count, long perWord) {
		return (first + count - 1) / perWord - first / perWord + 1;
	}

	/** Words of an engine's block of one kernel position: {@code rows x lanes} codes of {@code bits} each. */
	public static long blockWords(long rows, long lanes, int bits, int wordBits) {
		long perWord = CodeFormat.codesPerWord(bits, wordBits);
		return (rows * lanes + perWord - 1) / perWord;
	}

	/**
	 * Words of an engine's blocks of one kernel position over all its row steps of {@code rows} rows: full steps of
	 * {@code engineRows}, the last one of what is left.
	 */
	public static long stepBlockWords(long rows, long engineRows, long lanes, int bits, int wordBits) {
		long full = rows / engineRows;
		long last = rows - full * engineRows;
		return full * blockWords(engineRows, lanes, bits, wordBits)
				+ (last > 0 ? blockWords(last, lanes, bits, wordBits) : 0);
	}
}
