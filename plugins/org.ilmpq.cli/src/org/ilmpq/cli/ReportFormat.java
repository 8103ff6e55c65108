package org.ilmpq.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * How {@code ilmpq validate} prints what it found. Diagnostics go to standard output, the summary and unreadable
 * files to standard error, so that standard output stays machine-readable in every format.
 */
public enum ReportFormat {

	/**
	 * One line per diagnostic, as compilers print them, so that editors and CI annotators pick them up:
	 * {@code FILE:LINE:COL: error: MESSAGE [CODE]}.
	 */
	GCC {
		@Override
		void print(List<SpecCheck> checks, PrintWriter out, PrintWriter err) {
			for (SpecCheck check : checks) {
				check.failure().ifPresent(reason -> err.println("ilmpq: cannot read " + check.file() + ": " + reason));
				check.printInternalErrors(err);
				for (Diagnostic d : check.diagnostics()) {
					out.println(d.file() + ":" + d.line() + ":" + d.column() + ": " + d.severity() + ": " + d.message()
							+ " [" + shortCode(d.code()) + "]");
				}
			}
			long errors = checks.stream().mapToLong(SpecCheck::errors).sum();
			long warnings = checks.stream().mapToLong(SpecCheck::warnings).sum();
			long read = checks.stream().filter(c -> c.failure().isEmpty()).count();
			err.println("ilmpq: " + count(read, "file") + " checked: " + count(errors, "error") + ", "
					+ count(warnings, "warning"));
		}
	},

	/**
	 * One JSON document: {@code {"files": [{"file", "diagnostics": [{"severity", "line", "column", "endLine",
	 * "endColumn", "offset", "length", "code", "message"}]} or {"file", "failure"}], "errors", "warnings"}}.
	 */
	JSON {
		@Override
		void print(List<SpecCheck> checks, PrintWriter out, PrintWriter err) {
			JsonObject report = new JsonObject();
			JsonArray files = new JsonArray();
			for (SpecCheck check : checks) {
				check.printInternalErrors(err);
				if (check.failure().isPresent()) {
					JsonObject file = new JsonObject();
					file.addProperty("file", check.file());
					file.addProperty("failure", check.failure().get());
					files.add(file);
					continue;
				}
				// the spec, then each library it imports that has something to say
				Map<String, JsonArray> byFile = new LinkedHashMap<>();
				byFile.put(check.file(), new JsonArray());
				for (Diagnostic d : check.diagnostics()) {
					byFile.computeIfAbsent(d.file(), f -> new JsonArray()).add(json(d));
				}
				byFile.forEach((name, diagnostics) -> {
					JsonObject file = new JsonObject();
					file.addProperty("file", name);
					file.add("diagnostics", diagnostics);
					files.add(file);
				});
			}
			report.add("files", files);
			report.addProperty("errors", checks.stream().mapToLong(SpecCheck::errors).sum());
			report.addProperty("warnings", checks.stream().mapToLong(SpecCheck::warnings).sum());
			out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(report));
		}
	};

	abstract void print(List<SpecCheck> checks, PrintWriter out, PrintWriter err);

	/** One diagnostic as the JSON format writes it. */
	private static JsonObject json(Diagnostic d) {
		JsonObject diagnostic = new JsonObject();
		diagnostic.addProperty("severity", d.severity());
		diagnostic.addProperty("line", d.line());
		diagnostic.addProperty("column", d.column());
		diagnostic.addProperty("endLine", d.endLine());
		diagnostic.addProperty("endColumn", d.endColumn());
		diagnostic.addProperty("offset", d.offset());
		diagnostic.addProperty("length", d.length());
		diagnostic.addProperty("code", d.code());
		diagnostic.addProperty("message", d.message());
		return diagnostic;
	}

	/** {@code org.ilmpq.split-sum} as {@code split-sum}; Xtext's own codes by their last segment. */
	static String shortCode(String code) {
		int dot = code.lastIndexOf('.');
		return (dot < 0 ? code : code.substring(dot + 1)).toLowerCase(Locale.ROOT);
	}

	private static String count(long n, String noun) {
		return n + " " + noun + (n == 1 ? "" : "s");
	}
}
