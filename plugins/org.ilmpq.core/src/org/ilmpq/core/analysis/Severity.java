package org.ilmpq.core.analysis;

public enum Severity {
	ERROR, WARNING
}
