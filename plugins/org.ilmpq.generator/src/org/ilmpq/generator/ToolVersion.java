package org.ilmpq.generator;

/** The version the workbench's generated files name in their headers. */
public final class ToolVersion {

	private ToolVersion() {
	}

	/** The version of the jar this runs from, as the build stamped it; "development build" elsewhere. */
	public static String get() {
		String version = ToolVersion.class.getPackage().getImplementationVersion();
		return version == null ? "development build" : version;
	}

	/** "ILMPQ Workbench 0.1.0-SNAPSHOT". */
	public static String generator() {
		return "ILMPQ Workbench " + get();
	}
}
