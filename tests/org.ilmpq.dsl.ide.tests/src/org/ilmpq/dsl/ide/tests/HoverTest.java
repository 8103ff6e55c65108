package org.ilmpq.dsl.ide.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.hover.IHoverService;
import org.eclipse.xtext.util.CancelIndicator;
import org.junit.jupiter.api.Test;

/** Hover texts, through the service the language server answers hover requests with. */
class HoverTest {

	private static final String SPEC = """
			network n
			target PYNQ-Z2
			quantization {
			    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
			    activations fixed 4
			}
			block Pair(tensor x, int c) {
			    a = conv(x, out=c, kernel=3, padding=1)
			    b = relu(a)
			    output b
			}
			input image: 3 x 32 x 32
			conv1 = conv(image, out=16, kernel=3, padding=1)
			relu1 = relu(conv1)
			p1 = Pair(relu1, c=8)
			flat = flatten(p1)
			fc = linear(flat, out=10)
			output fc
			""";

	/** The hover text at the first character of the {@code occurrence}-th (from 0) occurrence of {@code word}. */
	private static String hover(String word, int occurrence) {
		int offset = -1;
		for (int i = 0; i <= occurrence; i++) {
			offset = SPEC.indexOf(word, offset + 1);
		}
		Document document = new Document(1, SPEC);
		HoverParams params = new HoverParams(new TextDocumentIdentifier("inline.ilmpq"), document.getPosition(offset));
		return IdeServicesFixture.INJECTOR.getInstance(IHoverService.class)
				.hover(document, IdeServicesFixture.load(SPEC), params, CancelIndicator.NullImpl).getContents().getRight()
				.getValue();
	}

	@Test
	void aLayerShowsItsOutputShapeMacsAndRowsPerScheme() {
		// 16 x 32 x 32 outputs of 3 x 3 x 3 MACs each; 16 rows split 60/35/5 by the largest remainder
		assertEquals("**conv1**: output 16 x 32 x 32\n\n442,368 MACs, 448 parameters  \n"
				+ "16 rows: 10 pot 4, 5 fixed 4, 1 fixed 8", hover("conv1 =", 0));
	}

	@Test
	void aReferenceToALayerShowsTheLayer() {
		assertEquals(hover("conv1 =", 0), hover("conv1)", 0));
	}

	@Test
	void aBlockInstanceShowsItsResultAndTheSumOfItsLayers() {
		assertEquals("**p1**: instance of block `Pair`, 2 layers\n\noutput 8 x 32 x 32  \n"
				+ "1,179,648 MACs, 1,160 parameters", hover("p1 =", 0));
	}

	@Test
	void aLayerInsideABlockSaysThatItsFiguresArePerInstance() {
		assertEquals("**a**, a layer of block `Pair`: its shape and rows depend on the instance; hover an instance "
				+ "of the block for its figures", hover("a = conv", 0));
	}

	@Test
	void theTargetShowsTheResourcesOfItsDevice() {
		String text = hover("PYNQ-Z2", 0);
		assertEquals("**PYNQ-Z2: xc7z020clg400-1** (XC7Z020, Zynq-7000, speed grade -1)\n\n"
				+ "220 DSP slices (DSP48E1), 53,200 LUTs, 106,400 flip-flops, 140 BRAM36 (280 BRAM18)",
				text.substring(0, text.indexOf("  \n")));
	}

	@Test
	void anUnknownDeviceHasNoHover() {
		String spec = SPEC.replace("PYNQ-Z2", "PYNQ-Z3");
		Document document = new Document(1, spec);
		HoverParams params = new HoverParams(new TextDocumentIdentifier("inline.ilmpq"),
				document.getPosition(spec.indexOf("PYNQ-Z3")));
		assertEquals(IHoverService.EMPTY_HOVER, IdeServicesFixture.INJECTOR.getInstance(IHoverService.class)
				.hover(document, IdeServicesFixture.load(spec), params, CancelIndicator.NullImpl));
	}
}
