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

	/** Writes 12 random 40 x 30 colour images per class and part into imagenet/{train,val}/{a,b}. */
	private static final String WRITE_COLOUR_IMAGES = """
			import os

			import numpy as np
			from PIL import Image

			random = np.random.default_rng(0)
			for part in ("train", "val"):
			    for name in ("a", "b"):
			        folder = os.path.join("imagenet", part, name)
			        os.makedirs(folder, exist_ok=True)
			        for index in range(12):
			            pixels = random.integers(0, 256, (30, 40, 3), dtype=np.uint8)
			            Image.fromarray(pixels).save(os.path.join(folder, "%d.png" % index))
			""";

	/** A small colour network of 16 x 16 inputs, as the ImageNet loader crops them. */
	private static final String COLOUR_NETWORK = """
			network colour
			quantization { split 60 % pot 4, 40 % fixed 4 activations fixed 4 }
			input image: 3 x 16 x 16
			conv1 = conv(image, out=8, kernel=3, padding=1)
			relu1 = relu(conv1)
			pool = globalavgpool(relu1)
			flat = flatten(pool)
			fc = linear(flat, out=2)
			output fc
			""";

	@Test
	void theImageNetLoaderCropsToTheSpecsInputAndTrains() {
		Path colour = GeneratedScript.write(fixture, COLOUR_NETWORK, "colour.ilmpq", directory.resolve("colour"));
		SystemPython.run(colour, 120, SystemPython.script(colour, "images.py", WRITE_COLOUR_IMAGES).toString());
		String output = SystemPython.run(colour, 300, java.util.Map.of("IMAGENET_DIR", "imagenet"), "colour.py",
				"train", "--data", SpecFixture.repository().resolve("examples/data/imagenet.py") + ":datasets",
				"--epochs", "1", "--batch-size", "8", "--device", "cpu");
		assertTrue(output.contains("colour spec: test accuracy "), output);
		assertTrue(output.contains(" % on 24 samples"), output);
	}

	@Test
	void theImageNetLoaderRefusesAGreyInput() {
		String output = SystemPython.runFailing(quant, 120, "digits_cnn.py", "train", "--data",
				SpecFixture.repository().resolve("examples/data/imagenet.py") + ":datasets");
		assertEquals("error: ImageNet gives square colour images (3 x N x N); the spec's input is 1 x 8 x 8\n", output);
	}
}
