package org.ilmpq.dsl.ide.symbols;

import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper.DocumentSymbolNameProvider;
import org.eclipse.xtext.naming.QualifiedName;

/**
 * Symbols (outline, document and workspace symbols) named as the spec writes them: {@code conv1}, not the
 * qualified {@code resnet18.conv1}; the tree shows where a layer belongs.
 */
public class IlmpqSymbolNames extends DocumentSymbolNameProvider {

	@Override
	protected String getName(QualifiedName name) {
		return name == null ? null : name.getLastSegment();
	}
}
