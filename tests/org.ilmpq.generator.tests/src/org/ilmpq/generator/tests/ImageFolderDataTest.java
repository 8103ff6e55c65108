package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Inject;

/**
 * The script's other way in to data: torchvision ImageFolders in DIR/train and DIR/val, here the first 200 and
 * the last 100 of scikit-learn's digits written as PNG files, two classes.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class ImageFolderDataTest {

	/** Writes digits 0 and 1 as 8 x 8 grey PNGs into images/{train,val}/{zero,one}; argv[1]: leave out val/one. */
	private static final String WRITE_IMAGES = """
			import os
			import sys

			import numpy as np
			from PIL import Image
			from sklearn.datasets import load_digits

			digits = load_digits(n_class=2)
			for index, (image, label) in enumerate(zip(digits.images, digits.target)):
			    part = "train" if index < 200 else "val"
			    name = ("zero", "one")[label]
			    if part == "val" and name == "one" and sys.argv[1] == "incomplete":
			        continue
			    folder = os.path.join("images", part, name)
			    os.makedirs(folder, exist_ok=True)
			    Image.fromarray((image * 255 / 16).astype(np.uint8)).save(os.path.join(folder, "%d.png" % index))
			""";

	@Inject
	private SpecFixture fixture;

	@TempDir
	Path directory;

	private Path quant;

	@BeforeEach
	void generate() {
		quant = GeneratedScript.write(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"), "digits-cnn.ilmpq",
				directory);
	}

	@Test
	void theScriptTrainsOnImageFolders() {
		SystemPython.run(quant, 120, SystemPython.script(quant, "images.py", WRITE_IMAGES).toString(), "complete");
		String output = SystemPython.run(quant, 300, "digits_cnn.py", "train", "--image-folder", "images",
				"--epochs", "3", "--device", "cpu");
		assertTrue(output.contains("digits_cnn spec: test accuracy "), output);
		assertTrue(output.contains(" % on 160 samples"), output);
	}

	@Test
	void foldersWithDifferentClassesAreRefusedRatherThanMislabelled() {
		SystemPython.run(quant, 120, SystemPython.script(quant, "images.py", WRITE_IMAGES).toString(), "incomplete");
		String output = SystemPython.runFailing(quant, 120, "digits_cnn.py", "train", "--image-folder", "images");
		assertEquals("error: --image-folder images: images/train has classes ['one', 'zero'], images/val has "
				+ "['zero']\n", output);
	}
}
