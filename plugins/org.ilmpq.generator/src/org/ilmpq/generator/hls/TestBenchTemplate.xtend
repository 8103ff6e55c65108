package org.ilmpq.generator.hls

/**
 * {@code tb/tb_<network>.cpp}: reads the export in {@code firmware/weights/} (or a folder given as the first
 * argument), packs it into the design's words, runs the top function on the golden input codes and compares every
 * stored tensor bit for bit. Exit status 0 only on a full match, 1 on a mismatch, 2 when the export cannot be read
 * or does not fit the design. The counting build (ILMPQ_COUNTING: {@code make traffic}, {@code make cycles}) also
 * writes the words each step moved to {@code traffic.csv} and the cycles of each weight layer to {@code cycles.csv}.
 */
final class TestBenchTemplate {

	def static String render(HlsNetwork design, String header) {
		val top = design.topFunction
		'''
			«header»
			//
			// C simulation of «design.networkName»: tb_«top» [EXPORT_DIR]   (default firmware/weights)
			#include <cstdio>
			#include <string>
			#include <vector>

			#include "«top».h"
			#include "ilmpq_export.h"

			int main(int argc, char **argv) {
			    using namespace ilmpq;
			    const std::string directory = argc > 1 ? argv[1] : "firmware/weights";
			    const std::string network = "«design.networkName»";
			    std::vector<word_t> input(design::INPUT_WORDS);
			    std::vector<word_t> output(design::OUTPUT_WORDS);
			    std::vector<word_t> scratch(design::SCRATCH_WORDS);
			    std::vector<word_t> weights(design::WEIGHTS_WORDS);
			    std::vector<param_word_t> params(design::PARAMS_WORDS);
			    host::golden_data golden;
			    try {
			        host::pack(host::read_weights(directory + "/weights.txt", network), weights.data(), params.data());
			        golden = host::read_golden(directory + "/golden.txt", network);
			        const tensor_layout &in = design::TENSOR[0];
			        if (golden.order.empty() || golden.order[0] != in.name ||
			            golden.codes[in.name].size() != static_cast<std::size_t>(in.channels) * in.height * in.width) {
			            throw host::export_error(directory + "/golden.txt: the first codes are not those of the input " + in.name);
			        }
			        host::pack_tensor(golden.codes[in.name], in, input.data());
			    } catch (const host::export_error &e) {
			        std::fprintf(stderr, "tb_«top»: %s\n", e.what());
			        return 2;
			    }
			    // qualified, so that a network named like a local or a name of ilmpq is still the top function
			    ::«top»(input.data(), output.data(), scratch.data(), weights.data(), params.data());
			#if defined(ILMPQ_COUNTING)
			    if (!host::write_traffic("traffic.csv") || !host::write_cycles("cycles.csv")) {
			        std::fprintf(stderr, "tb_«top»: traffic.csv or cycles.csv cannot be written\n");
			        return 2;
			    }
			#endif
			    return host::compare(golden, input.data(), output.data(), scratch.data(), network) ? 0 : 1;
			}
		'''
	}
}
