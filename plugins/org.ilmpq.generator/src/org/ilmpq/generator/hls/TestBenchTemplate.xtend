package org.ilmpq.generator.hls

/**
 * {@code tb/tb_<network>.cpp}: reads the export in {@code firmware/weights/} (or a folder given as the first
 * argument), packs it into the design's tables, runs the top function on the golden sample and compares every
 * weight layer's input codes and the output bit for bit. Exit status 0 only on a full match, 1 on a mismatch, 2 when
 * the export cannot be read or does not fit the design.
 */
final class TestBenchTemplate {

	def static String render(HlsNetwork design, String header) {
		val top = design.topFunction
		'''
			«header»
			//
			// C simulation of «design.network.networkName»: tb_«top» [EXPORT_DIR]   (default firmware/weights)
			#include <cstdio>
			#include <string>
			#include <vector>

			#include "«top».h"
			#include "ilmpq_export.h"

			int main(int argc, char **argv) {
			    using namespace ilmpq;
			    const std::string directory = argc > 1 ? argv[1] : "firmware/weights";
			    const std::string network = "«design.network.networkName»";
			    std::vector<weight_word_t> weights(design::WEIGHTS_SIZE);
			    std::vector<row_index_t> rows(design::ROWS_SIZE);
			    std::vector<real_t> params(design::PARAMS_SIZE);
			    std::vector<real_t> scratch(design::SCRATCH_SIZE);
			    std::vector<real_t> output(design::OUTPUT_SIZE);
			    host::golden_data golden;
			    try {
			        host::pack(host::read_weights(directory + "/weights.txt", network), design::WEIGHT_LAYER,
			                   design::WEIGHT_LAYERS, weights.data(), rows.data(), params.data());
			        golden = host::read_golden(directory + "/golden.txt", network);
			    } catch (const host::export_error &e) {
			        std::fprintf(stderr, "tb_«top»: %s\n", e.what());
			        return 2;
			    }
			    if (static_cast<long>(golden.sample.values.size()) != design::INPUT_SIZE ||
			        static_cast<long>(golden.output.values.size()) != design::OUTPUT_SIZE) {
			        std::fprintf(stderr, "tb_«top»: golden.txt has %zu input and %zu output values, the design %ld and %ld\n",
			                     golden.sample.values.size(), golden.output.values.size(), design::INPUT_SIZE, design::OUTPUT_SIZE);
			        return 2;
			    }
			    // qualified, so that a network named like a local or a name of ilmpq is still the top function
			    ::«top»(golden.sample.values.data(), output.data(), scratch.data(), weights.data(), rows.data(), params.data());
			    const bool matched = host::compare(golden, design::WEIGHT_LAYER, design::WEIGHT_LAYERS, golden.sample.values.data(),
			                                       output.data(), scratch.data(), params.data(), network);
			    return matched ? 0 : 1;
			}
		'''
	}
}
