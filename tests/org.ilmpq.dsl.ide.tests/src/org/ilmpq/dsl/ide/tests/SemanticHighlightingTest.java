package org.ilmpq.dsl.ide.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.junit.jupiter.api.Test;

/** Semantic highlighting: what each highlighted piece of text is, by style. */
class SemanticHighlightingTest {

	private static List<String> highlighted(String text) {
		XtextResource resource = IdeServicesFixture.load(text);
		List<String> positions = new ArrayList<>();
		IdeServicesFixture.INJECTOR.getInstance(ISemanticHighlightingCalculator.class).provideHighlightingFor(resource,
				(offset, length, styles) -> positions.add(text.substring(offset, offset + length) + " "
						+ String.join(",", styles).replace("ilmpq.", "")),
				CancelIndicator.NullImpl);
		return positions;
	}

	@Test
	void namesAreColouredByWhatTheyReferTo() {
		assertEquals(List.of("PYNQ-Z2 device", "pot 4 scheme", "fixed 4 scheme", "B block", "t parameter",
				"c parameter", "t tensor-reference", "c parameter", "y tensor-reference", "x tensor-reference", "B block", "a tensor-reference",
				"c parameter", "b tensor-reference"), highlighted("""
						network n
						target PYNQ-Z2
						quantization {
						    split 60 % pot 4, 40 % fixed 4
						}
						block B(tensor t, int c) {
						    y = conv(t, out=c, kernel=1)
						    output y
						}
						input x: 3 x 8 x 8
						a = relu(x)
						b = B(a, c=4)
						output b
						"""));
	}
}
