package org.ilmpq.dsl.ide.contentassist;

import org.eclipse.xtext.Assignment;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistContext;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.ide.editor.contentassist.IIdeContentProposalAcceptor;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Part;
import org.ilmpq.dsl.services.IlmpqGrammarAccess;

import com.google.inject.Inject;

/**
 * Content assist beyond keywords and names in scope (which Xtext proposes from the grammar and the scope
 * provider): the part numbers and boards of the device library after {@code target}, and templates where the
 * grammar allows what they write (LSP snippets: the language server sends them as such, the workbench editor makes
 * them templates with linked names).
 */
public class IlmpqContentProposals extends IdeContentProposalProvider {

	@Inject
	private IlmpqGrammarAccess grammar;

	@Inject
	private DeviceLibrary devices;

	/** A template: its name (what a prefix matches), what it is, and its text in LSP snippet syntax. */
	public record Template(String name, String description, String snippet) {
	}

	/** Where a layer may start: a convolution with its batch norm and ReLU, the commonest triple of a CNN. */
	public static final Template CONV_BN_RELU = new Template("conv-bn-relu",
			"convolution, batch norm, ReLU",
			"${1:conv2} = conv(${2:x}, out=${3:64}, kernel=3, padding=1, bias=false)\n"
					+ "${4:bn2} = batchnorm(${1:conv2})\n"
					+ "${5:relu2} = relu(${4:bn2})$0");

	/** Where a block may start: ResNet's basic block (He et al. 2016), two 3x3 convolutions and a shortcut. */
	public static final Template RESIDUAL_BLOCK = new Template("residual-block",
			"block of two 3x3 convolutions and an identity shortcut (ResNet's basic block)",
			"block ${1:BasicBlock}(tensor x, int channels) {\n"
					+ "\tconv1 = conv(x, out=channels, kernel=3, padding=1, bias=false)\n"
					+ "\tbn1 = batchnorm(conv1)\n"
					+ "\trelu1 = relu(bn1)\n"
					+ "\tconv2 = conv(relu1, out=channels, kernel=3, padding=1, bias=false)\n"
					+ "\tbn2 = batchnorm(conv2)\n"
					+ "\tsum = add(bn2, x)\n"
					+ "\trelu2 = relu(sum)\n"
					+ "\toutput relu2\n"
					+ "}$0");

	/** Where the quantization section may start: the split ILMPQ reports for XC7Z020 and its row rules. */
	public static final Template QUANTIZATION = new Template("quantization",
			"section with the ILMPQ split (60 % pot 4, 35 % fixed 4, 5 % fixed 8) and its row rules",
			"quantization {\n"
					+ "\tsplit ${1:60} % pot 4, ${2:35} % fixed 4, ${3:5} % fixed 8\n"
					+ "\tactivations fixed ${4:4}\n"
					+ "\tsensitive rows by output-error\n"
					+ "\tpot rows by variance\n"
					+ "}$0");

	@Override
	protected void _createProposals(Keyword keyword, ContentAssistContext context,
			IIdeContentProposalAcceptor acceptor) {
		super._createProposals(keyword, context, acceptor);
		if (keyword == grammar.getBlockAccess().getBlockKeyword_0()) {
			template(RESIDUAL_BLOCK, context, acceptor);
		} else if (keyword == grammar.getQuantizationAccess().getQuantizationKeyword_1()) {
			template(QUANTIZATION, context, acceptor);
		}
	}

	private void template(Template template, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
		String prefix = context.getPrefix();
		int start = context.getOffset() - prefix.length();
		String text = context.getRootNode().getText();
		// where a statement starts, not right after a word that may end one (target Z|: a device, not a layer)
		if (!template.name().startsWith(prefix) || start > 0 && !Character.isWhitespace(text.charAt(start - 1))) {
			return;
		}
		ContentAssistEntry entry = new ContentAssistEntry();
		entry.setPrefix(prefix);
		entry.setProposal(template.snippet());
		entry.setLabel(template.name());
		entry.setDescription(template.description());
		entry.setKind(ContentAssistEntry.KIND_SNIPPET);
		// after the names and keywords a prefix matches
		acceptor.accept(entry, getProposalPriorities().getDefaultPriority(entry) - 1);
	}

	@Override
	protected void _createProposals(Assignment assignment, ContentAssistContext context,
			IIdeContentProposalAcceptor acceptor) {
		if (assignment == grammar.getLayerAccess().getNameAssignment_0()) {
			template(CONV_BN_RELU, context, acceptor);
		}
		if (assignment == grammar.getTargetAccess().getDeviceAssignment_1()) {
			for (String name : devices.names()) {
				ContentAssistEntry entry = getProposalCreator().createProposal(name, context);
				if (entry != null) {
					Part part = devices.resolve(name).orElseThrow();
					entry.setDescription(part.device().name() + ", " + part.device().family() + " ("
							+ part.board().map(board -> part.number()).orElse("speed grade " + part.speedGrade()) + ")");
					acceptor.accept(entry, getProposalPriorities().getDefaultPriority(entry));
				}
			}
			return;
		}
		super._createProposals(assignment, context, acceptor);
	}
}
