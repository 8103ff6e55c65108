package org.ilmpq.dsl.conversion;

import java.math.BigDecimal;

import org.eclipse.xtext.conversion.impl.AbstractDeclarativeValueConverterService;
import org.eclipse.xtext.conversion.impl.IDValueConverter;
import org.eclipse.xtext.conversion.IValueConverter;
import org.eclipse.xtext.conversion.ValueConverter;
import org.eclipse.xtext.conversion.ValueConverterException;
import org.eclipse.xtext.conversion.impl.AbstractLexerBasedConverter;
import org.eclipse.xtext.conversion.impl.AbstractValueConverter;
import org.eclipse.xtext.nodemodel.INode;

import com.google.inject.Inject;

/**
 * Value converters of the .ilmpq grammar. Numbers are {@code long} and {@link BigDecimal} so that an absurd
 * size reaches validation as the number the user wrote; only a number beyond {@code long} is refused here, with
 * a message rather than an overflow.
 */
public class IlmpqValueConverters extends AbstractDeclarativeValueConverterService {

	@Inject
	private IDValueConverter idValueConverter;

	@ValueConverter(rule = "ID")
	public IValueConverter<String> ID() {
		return idValueConverter;
	}

	@ValueConverter(rule = "INT")
	public IValueConverter<Long> INT() {
		return new LongConverter();
	}

	@ValueConverter(rule = "Decimal")
	public IValueConverter<BigDecimal> Decimal() {
		return new DecimalConverter();
	}

	@ValueConverter(rule = "ValidID")
	public IValueConverter<String> ValidID() {
		return new ValidIdConverter();
	}

	@ValueConverter(rule = "STRING")
	public IValueConverter<String> STRING() {
		return new PathConverter();
	}

	/** An import's path between its quotes, as written: no escapes, so that a Windows path keeps its backslashes. */
	static class PathConverter extends AbstractValueConverter<String> {
		@Override
		public String toValue(String string, INode node) {
			if (string == null || string.length() < 2) {
				throw new ValueConverterException("a path is written between double quotes: \"blocks.ilmpq\"", node, null);
			}
			return string.substring(1, string.length() - 1);
		}

		@Override
		public String toString(String value) {
			if (value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
				throw new ValueConverterException("a path cannot hold a quote or a line break: " + value, null, null);
			}
			return '"' + value + '"';
		}
	}

	/** Names may be reserved words escaped with ^ ({@code ^conv}), as Xtext IDs may. */
	static class ValidIdConverter extends AbstractValueConverter<String> {
		@Override
		public String toValue(String string, INode node) {
			return string != null && string.startsWith("^") ? string.substring(1) : string;
		}

		@Override
		public String toString(String value) {
			return value;
		}
	}

	static class LongConverter extends AbstractLexerBasedConverter<Long> {
		@Override
		public Long toValue(String string, INode node) {
			if (string == null || string.isEmpty()) {
				throw new ValueConverterException("a whole number is missing", node, null);
			}
			try {
				return Long.parseLong(string);
			} catch (NumberFormatException e) {
				// no cause: Xtext would show the cause's message instead of this one
				throw new ValueConverterException("the number " + string + " is too large: at most " + Long.MAX_VALUE,
						node, null);
			}
		}

		@Override
		protected String toEscapedString(Long value) {
			return value.toString();
		}
	}

	static class DecimalConverter extends AbstractValueConverter<BigDecimal> {
		@Override
		public BigDecimal toValue(String string, INode node) {
			if (string == null || string.isEmpty()) {
				throw new ValueConverterException("a number is missing", node, null);
			}
			try {
				return new BigDecimal(string);
			} catch (NumberFormatException e) {
				throw new ValueConverterException("'" + string + "' is not a number", node, null);
			}
		}

		@Override
		public String toString(BigDecimal value) {
			return value.toPlainString();
		}
	}
}
