package org.ilmpq.dsl.scoping;

import org.eclipse.xtext.naming.DefaultDeclarativeQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.ilmpq.dsl.ilmpq.Block;

/**
 * A block is known by its own name, in its file and in the index: a network calls {@code BasicBlock(...)} whether
 * the block is its own or comes from a library it imports (which libraries those are is the
 * {@link LibraryGlobalScopeProvider}'s business, so two libraries' blocks never meet unless one file imports both).
 */
public class IlmpqQualifiedNameProvider extends DefaultDeclarativeQualifiedNameProvider {

	public QualifiedName qualifiedName(Block block) {
		return block.getName() == null ? null : QualifiedName.create(block.getName());
	}
}
