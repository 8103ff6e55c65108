package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.report.DeviceStudy;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.ilmpq.generator.report.ReportCsv;
import org.ilmpq.generator.report.ReportHtml;
import org.ilmpq.generator.report.ReportJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Document;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.inject.Inject;

/**
 * The reports of {@code ilmpq report}: the JSON conforms to docs/report.schema.json, the HTML is well-formed,
 * the output is the same for the same input, and the reports of a small spec are the reviewed golden files
 * (golden/report; rerun with -Dilmpq.golden.update=true to rewrite them, then review the diff).
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class ReportTest {

	private static final String TINY = """
			network tiny
			target PYNQ-Z2
			quantization {
			    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
			}
			input x: 16 x 28 x 28
			c1 = conv(x, out=32, kernel=3, padding=1, bias=false)
			r1 = relu(c1)
			c2 = conv(r1, out=32, kernel=3, stride=2, padding=1, bias=false)
			f = flatten(c2)
			fc = linear(f, out=10)
			output fc
			""";

	@Inject
	private SpecFixture fixture;

	private DeviceStudy study(String spec, String device) {
		SpecAnalysis analysis = fixture.analyze(spec);
		Target target = new Target(DeviceLibrary.builtIn().resolve(device).orElseThrow(), BigDecimal.valueOf(100),
				Map.of());
		return DeviceStudy.of(analysis.lowered().spec(), analysis.network(), target);
	}

	@Test
	void theJsonReportConformsToItsSchema() {
		JsonObject schema = JsonParser.parseString(SpecFixture.read("docs/report.schema.json")).getAsJsonObject();
		String json = ReportJson.render("examples/resnet18-xc7z020.ilmpq",
				study(SpecFixture.read("examples/resnet18-xc7z020.ilmpq"), "PYNQ-Z2"));
		assertEquals(List.of(), JsonSchemaCheck.errors(schema, JsonParser.parseString(json)));
	}

	@Test
	void theSchemaCheckCatchesAMissingField() {
		JsonObject schema = JsonParser.parseString(SpecFixture.read("docs/report.schema.json")).getAsJsonObject();
		JsonObject report = JsonParser.parseString(ReportJson.render("tiny.ilmpq", study(TINY, "PYNQ-Z2")))
				.getAsJsonObject();
		report.getAsJsonObject("summary").remove("clock_mhz");
		report.getAsJsonObject("summary").getAsJsonObject("resources").getAsJsonObject("lut").addProperty("used", -1);
		assertEquals(List.of("$.summary: missing clock_mhz", "$.summary.resources.lut.used: -1 is below 0"),
				JsonSchemaCheck.errors(schema, report));
	}

	@Test
	void theHtmlReportIsWellFormedAndSelfContained() throws Exception {
		DeviceStudy study = study(SpecFixture.read("examples/resnet18-xc7z020.ilmpq"), "PYNQ-Z2");
		String html = ReportHtml.render("examples/resnet18-xc7z020.ilmpq", study, List.of(study));
		Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
				.parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
		assertEquals(3, document.getElementsByTagName("svg").getLength(), "utilisation, layers, Pareto front");
		assertEquals(0, document.getElementsByTagName("script").getLength());
		assertTrue(!html.replace("http://www.w3.org/2000/svg", "").contains("http"), "nothing comes from the network");
	}

	@Test
	void theSameStudyGivesTheSameBytes() {
		assertEquals(ReportJson.render("tiny.ilmpq", study(TINY, "PYNQ-Z2")),
				ReportJson.render("tiny.ilmpq", study(TINY, "PYNQ-Z2")));
		DeviceStudy once = study(TINY, "ZC706");
		DeviceStudy twice = study(TINY, "ZC706");
		assertEquals(ReportHtml.render("tiny.ilmpq", once, List.of(once)),
				ReportHtml.render("tiny.ilmpq", twice, List.of(twice)));
	}

	@Test
	void theMachinesLanguageChangesNoByte() {
		// Turkish lower-cases I to a dotless i, German groups thousands with dots, Persian writes other digits
		DeviceStudy study = study(TINY, "PYNQ-Z2");
		String json = ReportJson.render("tiny.ilmpq", study);
		String csv = ReportCsv.render("tiny.ilmpq", study);
		String html = ReportHtml.render("tiny.ilmpq", study, List.of(study));
		Locale before = Locale.getDefault();
		try {
			for (Locale locale : List.of(Locale.forLanguageTag("tr-TR"), Locale.GERMANY, Locale.forLanguageTag("fa-IR"))) {
				Locale.setDefault(locale);
				DeviceStudy again = study(TINY, "PYNQ-Z2");
				assertEquals(json, ReportJson.render("tiny.ilmpq", again), locale.toString());
				assertEquals(csv, ReportCsv.render("tiny.ilmpq", again), locale.toString());
				assertEquals(html, ReportHtml.render("tiny.ilmpq", again, List.of(again)), locale.toString());
			}
		} finally {
			Locale.setDefault(before);
		}
	}

	@Test
	void theReportsOfASmallSpecAreTheReviewedGoldenFiles() throws IOException {
		DeviceStudy study = study(TINY, "PYNQ-Z2");
		golden("tiny-pynq-z2.json", ReportJson.render("tiny.ilmpq", study));
		golden("tiny-pynq-z2.csv", ReportCsv.render("tiny.ilmpq", study));
		golden("tiny-pynq-z2.html", ReportHtml.render("tiny.ilmpq", study, List.of(study)));
	}

	private static void golden(String name, String actual) throws IOException {
		Path file = SpecFixture.repository().resolve("tests/org.ilmpq.generator.tests/golden/report").resolve(name);
		if (Boolean.getBoolean("ilmpq.golden.update")) {
			Files.writeString(file, actual, StandardCharsets.UTF_8);
		}
		assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, name);
	}
}
