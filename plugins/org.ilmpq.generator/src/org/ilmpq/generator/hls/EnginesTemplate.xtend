package org.ilmpq.generator.hls

import org.ilmpq.core.integer.IntegerArithmetic
import org.ilmpq.core.quant.SchemeKind
import org.ilmpq.generator.hls.HlsNetwork.Engine

/**
 * {@code firmware/engines.h} and {@code engines.cpp}: the engines of the design the hardware model sized, one per
 * scheme, each a rows x lanes array that every cycle multiplies (DSP slices) or shifts and adds (LUTs) one input
 * vector into its rows' accumulators; and {@code weight_layer}, the tiled loop nest (Zhang et al., FPGA 2015) that
 * every conv and linear layer runs on them, all engines reading the same input lanes at once, ending in the integer
 * requantization of every output row. Integers only.
 */
final class EnginesTemplate {

	val HlsNetwork design

	new(HlsNetwork design) {
		this.design = design
	}

	def String header(String header) '''
		«header»
		//
		// The engines of the accelerator that the hardware model sized for «design.networkName» on «design.target.part»
		// at «design.target.clockMhz.toPlainString» MHz: the design `ilmpq report` shows. Every engine reads the same LANES input
		// channels per cycle and computes its ROWS output rows of one TILE x TILE output tile; each weight layer's rows
		// go to the engine of their scheme.
		#ifndef ILMPQ_ENGINES_H
		#define ILMPQ_ENGINES_H

		#include "ilmpq_layers.h"

		namespace ilmpq {

		const int LANES = «design.config.lanes»;              // Tn: input channels per cycle, shared by every engine
		const int TILE = «design.config.tile»;               // Tr = Tc: an output tile is at most TILE x TILE
		const int ACTIVATION_BITS = «design.activationBits»;     // the engines' activation width
		const int ENGINES = «design.engines.size»;
		const int WORD_BITS = «design.wordBits»;         // a feature-map and weight word: one beat of an AXI HP port (UG585)

		typedef packed_word<WORD_BITS> word_t;
		// A parameter word: the layer's clamps and residual multiplier, a group's row counts, a row's requantization
		// (bias B: bits 0-25, multiplier M: 26-42, shift s + 8: 43-48, output channel: 49-63).
		typedef packed_word<64> param_word_t;

		// Buffers, sized for the largest layer: input codes per lane of a tile (halo and padding included), outputs
		// per row of a tile; the output and residual tile buffers, one bank per code of a word, hold every channel
		// of one output tile.
		const int MAX_INPUT_TILE_AREA = «design.bounds.maxInputTileArea»;
		const int MAX_OUTPUT_TILE_AREA = «design.bounds.maxOutputTileArea»;
		const int TILE_BANKS = «design.maxCodesPerWord»;
		const int OUTPUT_TILE_DEPTH = «design.outputTile.depth»;
		const int RESIDUAL_TILE_DEPTH = «Math.max(1, design.residualTile.depth)»;

		// A lane: an activation code, or an ACTIVATION_BITS-wide slice of a wider input code (the network input's 8-bit
		// pixels go through in «design.maxPasses» passes, the lower slices unsigned, the top one signed: Stripes-style
		// bit-serial passes, docs/hardware-model.md).
		typedef int_t<ACTIVATION_BITS + 1> lane_t;
		typedef int_t<«design.maxInputBits + 1»> input_code_t;   // a whole input code, «design.maxInputBits» bits signed or unsigned
		typedef int_t<«design.maxCodeBits + 1»> tile_code_t;     // a code in a tile buffer, «design.maxCodeBits» bits signed or unsigned
		typedef uint_t<«shiftBits»> shift_t;        // a pass's shift: unsigned, so that a shifter shifts one way only
		// The requantization sum z (docs/quantization.md): the accumulator times a «IntegerArithmetic.MULTIPLIER_BITS»-bit multiplier, shifted, plus a
		// «IntegerArithmetic.BIAS_BITS»-bit bias and a residual code times a «IntegerArithmetic.OPERAND_MULTIPLIER_BITS»-bit multiplier, and a carry.
		typedef int_t<«design.sumBits»> sum_t;

		// The engines' schemes, in the order of a group's row counts (the test bench packs weights by it).
		const char *const ENGINE_KINDS[ENGINES] = {«design.engines.map['"' + scheme.kind.keyword + '"'].join(', ')»};
		const int ENGINE_BITS[ENGINES] = {«design.engines.map[scheme.bits].join(', ')»};
		const int ENGINE_ROWS[ENGINES] = {«design.engines.map[rows].join(', ')»};
		const int ENGINE_CODES_PER_WORD[ENGINES] = {«design.engines.map[codesPerWord].join(', ')»};
		«FOR engine : design.engines»

			«engineDeclaration(engine)»
		«ENDFOR»

		// One weight layer's geometry and its tensors' formats; its tables come with it (see weight_layer).
		struct weight_layer_shape {
		    int in_channels, in_height, in_width; // as the layer reads its input: a linear layer a vector
		    int in_words_per_pixel, in_bits, in_codes_log2;
		    bool in_signed;
		    int out_channels, out_height, out_width;
		    int out_words_per_pixel, out_bits, out_codes_log2;
		    int kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
		    int groups, in_per_group, lane_groups;
		    int passes;        // ceil(in_bits / ACTIVATION_BITS)
		    bool residual;     // a fused add: the residual operand, of the output's shape, is added before the clamp
		    int residual_words_per_pixel, residual_bits, residual_codes_log2;
		    bool residual_signed;
		};

		// Runs one conv or linear layer (a linear layer is a 1 x 1 convolution of a 1 x 1 map) on the engines:
		//   in        the codes of the layer's input; residual those of a fused add's other operand (a layer without
		//             one passes in, so that every pointer refers to a port); out the layer's output codes;
		//   params    the layer's word (clamp low: bits 0-15, clamp high: 16-31, residual multiplier R: 32-55), then per
		//             group a word of each engine's row count (16 bits each, engine e at 16 e), followed by the group's
		//             rows, each engine's in ascending channel order (FILM-QNN's reordering), a word each;
		//   weights   per group and engine, per row step of the engine's rows in the group, per lane group
		//             (ceil(in_per_group / LANES)) and kernel position (row-major): the step's rows x LANES codes,
		//             row-major, in ceil(rows x LANES / CODES_PER_WORD) words, zero where a lane is missing.
		void weight_layer(weight_layer_shape shape, const word_t *in, const word_t *residual, word_t *out,
		                  const word_t *weights, const param_word_t *params);

		// What the test bench (or a driver) needs to know of one weight layer: its name in the spec and the export,
		// its shape, the spec's rows of each engine's scheme, where its tables lie in the weights and params ports, its
		// tensors (indices of the tensor table; residual -1 when it has none), and the map a flattened input comes from
		// (the host orders a linear layer's weights as the map's codes lie: pixel by pixel).
		struct weight_layer_descriptor {
		    const char *name;
		    weight_layer_shape shape;
		    long rows_per_engine[ENGINES];
		    long weights_offset, weights_size;
		    long params_offset, params_size;
		    int input, output, residual;
		    int flattened_channels, flattened_height, flattened_width;
		};

		} // namespace ilmpq

		#endif
	'''

	/** Bits of the largest shift, (passes - 1) x the activation width. */
	def private shiftBits() {
		val largest = (design.maxPasses - 1) * design.activationBits
		Math.max(1, Integer.SIZE - Integer.numberOfLeadingZeros(largest))
	}

	/** The most cycles of one kernel position: all passes over the largest tile, or loading the next weights. */
	def private long pixelLoopTripCount() {
		Math.max(design.bounds.maxOutputTileArea * design.maxPasses, design.engines.map[blockWords].reduce[a, b|a + b])
	}

	/** Words of a step's block of an engine: ceil(rows x LANES / P), P a power of two. */
	def private stepWords(Engine engine, String rows) {
		'''((«rows» * LANES + «engine.codesPerWord - 1») >> «Integer.numberOfTrailingZeros(engine.codesPerWord)»)'''
	}

	def private engineDeclaration(Engine engine) '''
		// «engine.scheme»: «engine.rows» rows on «IF engine.config.onDsp»DSP slices«IF engine.config.packing.packs», «engine.config.packing.productsPerDsp» products per slice in the hardware model«ENDIF»«ELSE»LUTs, shifts and adds«ENDIF».
		// Widths: a product of a lane and the largest weight needs «engine.productBits» bits, a sum over LANES lanes «engine.sumBits»; the
		// accumulator holds fan-in x largest input x largest weight = «engine.largestAccumulator» (the largest layer) in «engine.accumulatorBits»
		// bits, so it cannot overflow. Its weights of one kernel position: «engine.rows» x LANES codes of «engine.weightBits» bits, «engine.codesPerWord» a word,
		// in «engine.blockWords» words for a full row step (a step of fewer rows in fewer: its rows' codes only).
		const int «engine.prefix.toUpperCase»_ROWS = «engine.rows»;
		const int «engine.prefix.toUpperCase»_CODES_PER_WORD = «engine.codesPerWord»;
		typedef int_t<«engine.weightBits»> «engine.prefix»_weight_t;
		typedef int_t<«engine.productBits»> «engine.prefix»_product_t;
		typedef int_t<«engine.sumBits»> «engine.prefix»_sum_t;
		typedef int_t<«engine.accumulatorBits»> «engine.prefix»_acc_t;
		typedef int_t<«engine.accumulatorBits + IntegerArithmetic.MULTIPLIER_BITS + 1 - IntegerArithmetic.MIN_SHIFT»> «engine.prefix»_scaled_t; // accumulator x M, pre-shifted
		«IF engine.packing > 1»
			// «engine.packing» rows' weights share one multiplier, «engine.productBits» bits apart: «engine.packedBits» bits within the DSP's «design.target.part.device.dspType.aBits»-bit A input«IF engine.packing < engine.config.packing.productsPerDsp»
			// (the hardware model counts «engine.config.packing.productsPerDsp», FINN's packing with accumulation inside the slice; exact
			// products per cycle fit «engine.packing»)«ENDIF»
			const int «engine.prefix.toUpperCase»_PACKING = «engine.packing»;
			typedef int_t<«engine.packedBits»> «engine.prefix»_packed_t;
			typedef int_t<«engine.packedBits + design.activationBits + 1»> «engine.prefix»_packed_product_t;
		«ENDIF»
		void «engine.prefix»_engine(const «engine.prefix»_weight_t weights[«engine.prefix.toUpperCase»_ROWS * LANES], const lane_t lanes[LANES], shift_t shift,
		        «engine.prefix»_acc_t acc[«engine.prefix.toUpperCase»_ROWS]);
	'''

	def String source(String header) '''
		«header»
		#include "engines.h"

		namespace ilmpq {
		«FOR engine : design.engines»

			«engineDefinition(engine)»
		«ENDFOR»

		// Where the next word of an input tile goes: the pixel of the tile (y, x, index) and which of the words that hold
		// the lane group's channels.
		struct tile_cursor {
		    int y, x, index, word;
		};

		// Walks a tile of the output's shape (the output tile, or a fused add's residual tile) a word a cycle: word
		// `word` of pixel (y, x), a pixel's words one after the other, the pixels along the rows. The word lies at
		// dram_word() of its tensor and at place() of the tile buffer's banks.
		struct output_tile_cursor {
		    int y, x, word;

		    long dram_word(int ty, int tx, int map_width, int words_per_pixel) const {
		        return (static_cast<long>(ty + y) * map_width + tx + x) * words_per_pixel + word;
		    }

		    int place(int pixels, int tile_w) const {
		        return word * pixels + y * tile_w + x;
		    }

		    void advance(int words_per_pixel, int tile_w) {
		        if (++word == words_per_pixel) {
		            word = 0;
		            if (++x == tile_w) {
		                x = 0;
		                y++;
		            }
		        }
		    }
		};

		// One word of an input tile, a cycle: the lanes its codes belong to get them (zeros outside the map, past the
		// group's channels nothing); the cursor moves to the next word, then to the next pixel along the row, then down.
		template <int BITS, int P>
		static void load_input_word(const weight_layer_shape &shape, const word_t *in, int first_channel, int lanes_used,
		                            int first_word, int words, int ty, int tx, int in_tile_w, tile_cursor &cursor,
		                            input_code_t tile[LANES][MAX_INPUT_TILE_AREA]) {
		    HLS_PRAGMA(INLINE)
		    const int iy = ty * shape.stride_h - shape.pad_h + cursor.y;
		    const int ix = tx * shape.stride_w - shape.pad_w + cursor.x;
		    const int word_index = first_word + cursor.word;
		    if (iy >= 0 && iy < shape.in_height && ix >= 0 && ix < shape.in_width) {
		        const word_t word = load(in, (static_cast<long>(iy) * shape.in_width + ix) * shape.in_words_per_pixel + word_index, TRAFFIC_INPUT);
		        for (int n = 0; n < LANES; n++) {
		            HLS_PRAGMA(UNROLL)
		            // lane n's channel is at a slot known only at run time: a P:1 multiplexer of the word's fields
		            const int slot = first_channel + n - word_index * P;
		            if (n < lanes_used && slot >= 0 && slot < P) {
		                tile[n][cursor.index] = input_code_t(decode<BITS>(select_field<BITS, P>(word, slot), shape.in_signed));
		            }
		        }
		    } else if (cursor.word == 0) {
		        for (int n = 0; n < LANES; n++) {
		            HLS_PRAGMA(UNROLL)
		            tile[n][cursor.index] = 0;
		        }
		    }
		    if (++cursor.word == words) {
		        cursor.word = 0;
		        cursor.index++;
		        if (++cursor.x == in_tile_w) {
		            cursor.x = 0;
		            cursor.y++;
		        }
		    }
		}

		// load_input_word for the input's code width: one datapath per width a layer of this design reads.
		static void load_input(const weight_layer_shape &shape, const word_t *in, int first_channel, int lanes_used,
		                       int first_word, int words, int ty, int tx, int in_tile_w, tile_cursor &cursor,
		                       input_code_t tile[LANES][MAX_INPUT_TILE_AREA]) {
		    HLS_PRAGMA(INLINE)
		    «byWidth("shape.in_bits", design.weightSteps.map[input.format.bits].toSet, '''load_input_word<%BITS%, %P%>(shape, in, first_channel, lanes_used, first_word, words, ty, tx, in_tile_w, cursor, tile);''')»
		}

		// Word t of an engine's weights of one kernel position: codes t x P to t x P + P - 1 of its ROWS x LANES, into its
		// buffer, a cycle.
		template <int ROWS, int BITS, int P, typename WEIGHT>
		static void load_weight_word(const word_t *block, int t, WEIGHT weights[ROWS * LANES]) {
		    HLS_PRAGMA(INLINE)
		    const word_t word = load(block, t, TRAFFIC_WEIGHTS);
		    for (int s = 0; s < P; s++) {
		        HLS_PRAGMA(UNROLL)
		        const int i = t * P + s;
		        if (i < ROWS * LANES) {
		            weights[i] = WEIGHT(decode<BITS>(field<BITS>(word, s), true));
		        }
		    }
		}

		// The output stage of an engine's rows in one row step (docs/quantization.md): per row its multiplier M, shift
		// s (the word holds s + 8) and bias B; per output pixel z = floor(acc x M / 2^s) + B, plus the residual
		// operand's code x R for a fused
		// add, and the code of z, clamped (a fused ReLU or ReLU6 is the clamp), into the output tile buffer.
		template <int ROWS, typename ACC, typename SCALED>
		static void store_rows(const ACC acc[MAX_OUTPUT_TILE_AREA][ROWS], int rows, const param_word_t *row_params,
		                       int pixels, const weight_layer_shape &shape, int lowest, int highest,
		                       const uint_t<«IntegerArithmetic.OPERAND_MULTIPLIER_BITS»> &residual_multiplier,
		                       const tile_code_t residual_tile[TILE_BANKS][RESIDUAL_TILE_DEPTH],
		                       tile_code_t out_tile[TILE_BANKS][OUTPUT_TILE_DEPTH]) {
		    HLS_PRAGMA(INLINE)
		    HLS_LABEL(store_rows)
		    for (int m = 0; m < rows; m++) {
		        const param_word_t word = load(row_params, m, TRAFFIC_PARAMETERS);
		        const int_t<«IntegerArithmetic.BIAS_BITS»> bias = int_t<«IntegerArithmetic.BIAS_BITS»>(decode<«IntegerArithmetic.BIAS_BITS»>(static_cast<unsigned>(bits_at<«IntegerArithmetic.BIAS_BITS»>(word, 0)), true));
		        const uint_t<«IntegerArithmetic.MULTIPLIER_BITS»> multiplier = bits_at<«IntegerArithmetic.MULTIPLIER_BITS»>(word, «IntegerArithmetic.BIAS_BITS»);
		        const uint_t<6> shift = bits_at<6>(word, «IntegerArithmetic.BIAS_BITS + IntegerArithmetic.MULTIPLIER_BITS»);
		        const int channel = static_cast<int>(bits_at<15>(word, 49));
		        const int out_bank = channel & ((1 << shape.out_codes_log2) - 1);
		        const int out_base = (channel >> shape.out_codes_log2) * pixels;
		        const int residual_bank = channel & ((1 << shape.residual_codes_log2) - 1);
		        const int residual_base = (channel >> shape.residual_codes_log2) * pixels;
		        HLS_LABEL(store_pixels)
		        for (int p = 0; p < pixels; p++) {
		            HLS_PRAGMA(PIPELINE II = 1)
		            HLS_PRAGMA(LOOP_TRIPCOUNT min = 1 max = «design.bounds.maxOutputTileArea»)
		            const SCALED product = acc[p][m] * multiplier;
		            HLS_PRAGMA(BIND_OP variable = product op = mul impl = dsp)
		            // floor(acc x M / 2^s), s from -8 to 31: the product shifted left by 8 (wiring), right by s + 8
		            const SCALED scaled = SCALED(product) << «-IntegerArithmetic.MIN_SHIFT»;
		            sum_t z = sum_t(scaled >> shift) + bias;
		            if (shape.residual) {
		                z += sum_t(residual_tile[residual_bank][residual_base + p] * residual_multiplier);
		            }
		            out_tile[out_bank][out_base + p] = tile_code_t(to_code(z, lowest, highest));
		        }
		    }
		}

		// One word of a tile of packed codes into the tile buffer's banks: code s of word j of pixel p goes to bank s,
		// place j x pixels + p.
		template <int BITS, int P>
		static void unpack_tile_word(const word_t &word, bool is_signed, int place, tile_code_t tile[TILE_BANKS][RESIDUAL_TILE_DEPTH]) {
		    HLS_PRAGMA(INLINE)
		    for (int s = 0; s < P; s++) {
		        HLS_PRAGMA(UNROLL)
		        tile[s][place] = tile_code_t(decode<BITS>(field<BITS>(word, s), is_signed));
		    }
		}

		// One word of the output tile from the banks: channels j x P to j x P + P - 1 of pixel p (zeros past the last).
		template <int BITS, int P>
		static word_t pack_tile_word(const tile_code_t tile[TILE_BANKS][OUTPUT_TILE_DEPTH], int place, int first_channel,
		                             int channels) {
		    HLS_PRAGMA(INLINE)
		    word_t word = 0;
		    for (int s = 0; s < P; s++) {
		        HLS_PRAGMA(UNROLL)
		        set_field<BITS>(word, s, first_channel + s < channels ? static_cast<int>(tile[s][place]) : 0);
		    }
		    return word;
		}

		// The loop nest of Zhang et al. (FPGA 2015) as FILM-QNN runs it on several engines: per output tile, per group,
		// per row step (every engine takes its next ROWS rows of the group), per lane group (LANES input channels, loaded
		// once for all engines) and kernel position, one pipelined pass over the tile's pixels in which every engine
		// multiplies-accumulates ROWS x LANES products per cycle. Pixels innermost: consecutive iterations update
		// different accumulators, so the accumulation carries no dependence from one cycle to the next. The output stage
		// requantizes each row step into the output tile buffer, which holds every channel of the tile and is written out
		// as whole words once the tile is done.
		void weight_layer(weight_layer_shape shape, const word_t *in, const word_t *residual, word_t *out,
		                  const word_t *weights, const param_word_t *params) {
		    HLS_PRAGMA(INLINE off)
		    const int kernel_area = shape.kernel_h * shape.kernel_w;

		    input_code_t input_tile[2][LANES][MAX_INPUT_TILE_AREA];
		    HLS_PRAGMA(ARRAY_PARTITION variable = input_tile dim = 1 complete)
		    HLS_PRAGMA(ARRAY_PARTITION variable = input_tile dim = 2 complete)
		    tile_code_t out_tile[TILE_BANKS][OUTPUT_TILE_DEPTH];
		    HLS_PRAGMA(ARRAY_PARTITION variable = out_tile dim = 1 complete)
		    tile_code_t residual_tile[TILE_BANKS][RESIDUAL_TILE_DEPTH];
		    HLS_PRAGMA(ARRAY_PARTITION variable = residual_tile dim = 1 complete)
		    «FOR engine : design.engines»
		    	«engine.prefix»_weight_t «engine.prefix»_weights[2][«engine.prefix.toUpperCase»_ROWS * LANES];
		    	HLS_PRAGMA(ARRAY_PARTITION variable = «engine.prefix»_weights dim = 0 complete)
		    	«engine.prefix»_acc_t «engine.prefix»_acc[MAX_OUTPUT_TILE_AREA][«engine.prefix.toUpperCase»_ROWS];
		    	HLS_PRAGMA(ARRAY_PARTITION variable = «engine.prefix»_acc dim = 2 complete)
		    «ENDFOR»

		    HLS_LABEL(tile_rows)
		    for (int ty = 0; ty < shape.out_height; ty += TILE) {
		        HLS_LABEL(tile_columns)
		        for (int tx = 0; tx < shape.out_width; tx += TILE) {
		            const int tile_h = shape.out_height - ty < TILE ? shape.out_height - ty : TILE;
		            const int tile_w = shape.out_width - tx < TILE ? shape.out_width - tx : TILE;
		            const int pixels = tile_h * tile_w;
		            const int in_tile_h = (tile_h - 1) * shape.stride_h + (shape.kernel_h - 1) * shape.dilation_h + 1;
		            const int in_tile_w = (tile_w - 1) * shape.stride_w + (shape.kernel_w - 1) * shape.dilation_w + 1;
		            const int in_tile_area = in_tile_h * in_tile_w;
		            // the layer's word, read once per tile as the hardware model counts it
		            const param_word_t layer_word = load(params, 0, TRAFFIC_PARAMETERS);
		            const int lowest = decode<16>(static_cast<unsigned>(bits_at<16>(layer_word, 0)), true);
		            const int highest = decode<16>(static_cast<unsigned>(bits_at<16>(layer_word, 16)), true);
		            const uint_t<«IntegerArithmetic.OPERAND_MULTIPLIER_BITS»> residual_multiplier = bits_at<«IntegerArithmetic.OPERAND_MULTIPLIER_BITS»>(layer_word, 32);
		            «IF design.residualTile.banks > 0»
		            if (shape.residual) {
		                // the residual operand's codes of this tile, a word a cycle
		                output_tile_cursor cursor = {0, 0, 0};
		                HLS_LABEL(load_residual)
		                for (int t = 0; t < pixels * shape.residual_words_per_pixel; t++) {
		                    HLS_PRAGMA(PIPELINE II = 1)
		                    HLS_PRAGMA(LOOP_TRIPCOUNT min = 1 max = «design.residualTile.depth»)
		                    const word_t word = load(residual, cursor.dram_word(ty, tx, shape.out_width, shape.residual_words_per_pixel), TRAFFIC_RESIDUAL);
		                    const int place = cursor.place(pixels, tile_w);
		                    «byWidth("shape.residual_bits", design.weightSteps.filter[residual.present].map[residual.get.format.bits].toSet, '''unpack_tile_word<%BITS%, %P%>(word, shape.residual_signed, place, residual_tile);''')»
		                    cursor.advance(shape.residual_words_per_pixel, tile_w);
		                }
		            }
		            «ELSE»
		            (void)residual; // no layer of this design has a fused add
		            «ENDIF»
		            const word_t *group_weights = weights;
		            const param_word_t *group_params = params + 1;
		            HLS_LABEL(groups)
		            for (int g = 0; g < shape.groups; g++) {
		                const param_word_t counts = load(group_params, 0, TRAFFIC_PARAMETERS);
		                «FOR engine : design.engines»
		                	const int «engine.prefix»_count = static_cast<int>(bits_at<16>(counts, «16 * design.engines.indexOf(engine)»));
		                «ENDFOR»
		                «FOR engine : design.engines»
		                	«val previous = design.engines.takeWhile[it !== engine].lastOrNull»
		                	const param_word_t *«engine.prefix»_params = «IF previous === null»group_params + 1«ELSE»«previous.prefix»_params + «previous.prefix»_count«ENDIF»;
		                «ENDFOR»
		                // the engines' weights of the group follow one another: each engine's row steps, lane groups and
		                // kernel positions; an engine's row steps are counted as its first row passes its count
		                «FOR engine : design.engines»
		                	«val previous = design.engines.takeWhile[it !== engine].lastOrNull»
		                	const word_t *«engine.prefix»_blocks = «IF previous === null»group_weights«ELSE»«previous.prefix»_end«ENDIF»;
		                	const word_t *«engine.prefix»_end = «engine.prefix»_blocks;
		                	for (int first = 0; first < «engine.prefix»_count; first += «engine.prefix.toUpperCase»_ROWS) {
		                	    const int rows = «engine.prefix»_count - first < «engine.prefix.toUpperCase»_ROWS ? «engine.prefix»_count - first : «engine.prefix.toUpperCase»_ROWS;
		                	    «engine.prefix»_end += shape.lane_groups * kernel_area * «stepWords(engine, "rows")»;
		                	}
		                «ENDFOR»
		                const int first_channel_of_group = g * shape.in_per_group;
		                «FOR engine : design.engines»
		                	int «engine.prefix»_first = 0;
		                «ENDFOR»
		                HLS_LABEL(row_steps)
		                for (int step = 0; «design.engines.map[prefix + '_first < ' + prefix + '_count'].join(' || ')»; step++) {
		                    «FOR engine : design.engines»
		                    	const int «engine.prefix»_left = «engine.prefix»_count - «engine.prefix»_first;
		                    	const int «engine.prefix»_rows = «engine.prefix»_left < 0 ? 0 : «engine.prefix»_left > «engine.prefix.toUpperCase»_ROWS ? «engine.prefix.toUpperCase»_ROWS : «engine.prefix»_left;
		                    	const int «engine.prefix»_words = «stepWords(engine, engine.prefix + "_rows")»;
		                    «ENDFOR»
		                    // words of one kernel position's weights of every engine with rows in this step
		                    const int weight_words = «design.engines.map[prefix + '_words'].join(' + ')»;
		                    HLS_LABEL(clear)
		                    for (int p = 0; p < pixels; p++) {
		                        HLS_PRAGMA(PIPELINE II = 1)
		                        «FOR engine : design.engines»
		                        	for (int m = 0; m < «engine.prefix.toUpperCase»_ROWS; m++) {
		                        	    «engine.prefix»_acc[p][m] = 0;
		                        	}
		                        «ENDFOR»
		                    }
		                    // the input tile of the first lane group into buffer 0; each later lane group's goes into the
		                    // other buffer, a word per cycle, while the engines compute with this one (ping-pong)
		                    int lane_first = first_channel_of_group;
		                    int lanes_used = shape.in_per_group < LANES ? shape.in_per_group : LANES;
		                    int first_word = lane_first >> shape.in_codes_log2;
		                    int words = ((lane_first + lanes_used - 1) >> shape.in_codes_log2) - first_word + 1;
		                    tile_cursor first_tile = {0, 0, 0, 0};
		                    HLS_LABEL(load_first_input)
		                    for (int t = 0; t < in_tile_area * words; t++) {
		                        HLS_PRAGMA(PIPELINE II = 1)
		                        load_input(shape, in, lane_first, lanes_used, first_word, words, ty, tx, in_tile_w, first_tile, input_tile[0]);
		                    }
		                    HLS_LABEL(lane_groups)
		                    for (int lane_group = 0; lane_group < shape.lane_groups; lane_group++) {
		                        const int current_input = lane_group & 1;
		                        const bool more_input = lane_group + 1 < shape.lane_groups;
		                        const int next_first = lane_first + LANES;
		                        const int next_left = first_channel_of_group + shape.in_per_group - next_first;
		                        const int next_used = next_left < LANES ? next_left : LANES;
		                        const int next_word = next_first >> shape.in_codes_log2;
		                        const int next_words = more_input ? ((next_first + next_used - 1) >> shape.in_codes_log2) - next_word + 1 : 0;
		                        const int next_values = in_tile_area * next_words;
		                        tile_cursor next_tile = {0, 0, 0, 0};
		                        int loaded = 0;
		                        // the weights of the first kernel position into buffer 0; each later position's go into the
		                        // other buffer while the engines compute with this one (ping-pong), so that a position costs
		                        // max(passes x pixels, weight words) cycles rather than their sum
		                        «FOR engine : design.engines»
		                        	const word_t *«engine.prefix»_position = «engine.prefix»_blocks + lane_group * kernel_area * «engine.prefix»_words;
		                        «ENDFOR»
		                        HLS_LABEL(load_first_weights)
		                        for (int t = 0; t < weight_words; t++) {
		                            HLS_PRAGMA(PIPELINE II = 1)
		                            «loadWeightWord("0", "0")»
		                        }
		                        int ky = 0;
		                        int kx = 0;
		                        HLS_LABEL(kernel)
		                        for (int k = 0; k < kernel_area; k++) {
		                            const int current = k & 1;
		                            const bool more = k + 1 < kernel_area;
		                            const int computing = shape.passes * pixels;
		                            const int cycles = more && weight_words > computing ? weight_words : computing;
		                            int pass = 0;
		                            int p = 0;
		                            int oy = 0;
		                            int ox = 0;
		                            HLS_LABEL(pixels)
		                            for (int t = 0; t < cycles; t++) {
		                                HLS_PRAGMA(PIPELINE II = 1)
		                                HLS_PRAGMA(LOOP_TRIPCOUNT min = 1 max = «pixelLoopTripCount»)
		                                // reads come from the current buffers only, writes go to the other ones
		                                HLS_PRAGMA(DEPENDENCE variable = input_tile type = inter false)
		                                «FOR engine : design.engines»
		                                	HLS_PRAGMA(DEPENDENCE variable = «engine.prefix»_weights type = inter false)
		                                «ENDFOR»
		                                if (t < computing) {
		                                    const shift_t shift = pass * ACTIVATION_BITS;
		                                    lane_t lanes[LANES];
		                                    const int i = (oy * shape.stride_h + ky * shape.dilation_h) * in_tile_w + ox * shape.stride_w
		                                                  + kx * shape.dilation_w;
		                                    for (int n = 0; n < LANES; n++) {
		                                        const input_code_t slice = input_tile[current_input][n][i] >> shift;
		                                        lanes[n] = pass < shape.passes - 1 ? lane_t(slice & ((1 << ACTIVATION_BITS) - 1)) : lane_t(slice);
		                                    }
		                                    «FOR engine : design.engines»
		                                    	«engine.prefix»_engine(«engine.prefix»_weights[current], lanes, shift, «engine.prefix»_acc[p]);
		                                    «ENDFOR»
		                                    if (++ox == tile_w) {
		                                        ox = 0;
		                                        oy++;
		                                    }
		                                    if (++p == pixels) {
		                                        p = 0;
		                                        oy = 0;
		                                        pass++;
		                                    }
		                                }
		                                if (more && t < weight_words) {
		                                    «loadWeightWord("k + 1", "1 - current")»
		                                }
		                                if (loaded < next_values) {
		                                    load_input(shape, in, next_first, next_used, next_word, next_words, ty, tx, in_tile_w, next_tile,
		                                               input_tile[1 - current_input]);
		                                    loaded++;
		                                }
		                            }
		                            if (++kx == shape.kernel_w) {
		                                kx = 0;
		                                ky++;
		                            }
		                        }
		                        // what of the next tile the computing left to load
		                        HLS_LABEL(load_rest_of_input)
		                        for (; loaded < next_values; loaded++) {
		                            HLS_PRAGMA(PIPELINE II = 1)
		                            load_input(shape, in, next_first, next_used, next_word, next_words, ty, tx, in_tile_w, next_tile,
		                                       input_tile[1 - current_input]);
		                        }
		                        lane_first = next_first;
		                    }
		                    «FOR engine : design.engines»
		                    	store_rows<«engine.prefix.toUpperCase»_ROWS, «engine.prefix»_acc_t, «engine.prefix»_scaled_t>(«engine.prefix»_acc, «engine.prefix»_rows, «engine.prefix»_params + «engine.prefix»_first, pixels, shape, lowest,
		                    	        highest, residual_multiplier, residual_tile, out_tile);
		                    «ENDFOR»
		                    «FOR engine : design.engines»
		                    	«engine.prefix»_first += «engine.prefix.toUpperCase»_ROWS;
		                    	«engine.prefix»_blocks += shape.lane_groups * kernel_area * «engine.prefix»_words;
		                    «ENDFOR»
		                }
		                «val last = design.engines.last»
		                group_weights = «last.prefix»_end;
		                group_params = «last.prefix»_params + «last.prefix»_count;
		            }
		            // the tile's output codes, every channel, a word a cycle
		            output_tile_cursor cursor = {0, 0, 0};
		            HLS_LABEL(store_tile)
		            for (int t = 0; t < pixels * shape.out_words_per_pixel; t++) {
		                HLS_PRAGMA(PIPELINE II = 1)
		                HLS_PRAGMA(LOOP_TRIPCOUNT min = 1 max = «design.outputTile.depth»)
		                const int place = cursor.place(pixels, tile_w);
		                word_t word = 0;
		                «byWidth("shape.out_bits", design.weightSteps.map[output.format.bits].toSet, '''word = pack_tile_word<%BITS%, %P%>(out_tile, place, cursor.word * %P%, shape.out_channels);''')»
		                store(out, cursor.dram_word(ty, tx, shape.out_width, shape.out_words_per_pixel), word);
		                cursor.advance(shape.out_words_per_pixel, tile_w);
		            }
		        }
		    }
		}

		} // namespace ilmpq
	'''

	/**
	 * A call for one of the code widths a value can take at run time: a switch over the design's widths, each case
	 * instantiating the template for its width and codes per word (compile-time constants, so that every field is
	 * a fixed part-select). The one width of a design is a plain call.
	 */
	def private byWidth(String variable, Iterable<Integer> widths, String call) {
		val sorted = widths.toSet.sort
		if (sorted.size == 1) {
			return instantiate(call, sorted.head)
		}
		'''
			switch («variable») {
			«FOR bits : sorted»
				case «bits»:
				    «instantiate(call, bits)»
				    break;
			«ENDFOR»
			default:
			    break;
			}
		'''
	}

	def private instantiate(String call, int bits) {
		call.replace("%BITS%", Integer.toString(bits)).replace("%P%",
			Integer.toString(org.ilmpq.core.integer.CodeFormat.codesPerWord(bits, design.wordBits)))
	}

	/**
	 * One cycle of loading the weights of kernel position {@code position} into buffer {@code buffer}: cycle t
	 * loads word t of the engines' blocks one after the other, each block its step's rows only (an engine whose
	 * rows of the group ran out loads nothing; the rows of its buffer past the step's keep old weights, and what
	 * they compute is never stored).
	 */
	def private loadWeightWord(String position, String buffer) {
		val branches = newArrayList
		val before = newArrayList
		for (engine : design.engines) {
			val words = engine.prefix + "_words"
			val offset = before.join(" + ")
			branches += "if (t < " + (before + #[words]).join(" + ") + ") {\n    load_weight_word<" + engine.prefix.toUpperCase
				+ "_ROWS, " + engine.weightBits + ", " + engine.codesPerWord + ">(" + engine.prefix + "_position + ("
				+ position + ") * " + words + ", t" + (if (before.empty) "" else " - (" + offset + ")") + ", "
				+ engine.prefix + "_weights[" + buffer + "]);\n}"
			before += words
		}
		branches.join(" else ")
	}

	def private engineDefinition(Engine engine) {
		val p = engine.prefix
		val rows = p.toUpperCase + "_ROWS"
		if (engine.packing > 1) return packedEngineDefinition(engine)
		'''
			// «engine.scheme»: «IF engine.config.onDsp»products on DSP slices«ELSE»sign, shift and add on LUTs: no multiplier«ENDIF». Inlined into the pixel loop, whose
			// pipeline it joins: ROWS x LANES terms per cycle, an adder tree per row.
			void «p»_engine(const «p»_weight_t weights[«rows» * LANES], const lane_t lanes[LANES], shift_t shift,
			        «p»_acc_t acc[«rows»]) {
			    HLS_PRAGMA(INLINE)
			    HLS_LABEL(«p»_rows)
			    for (int m = 0; m < «rows»; m++) {
			        HLS_PRAGMA(UNROLL)
			        «p»_sum_t sum = 0;
			        «IF !engine.config.onDsp»
			        	// the adder tree on LUTs: this engine's whole point is to leave the DSP slices to the others
			        	HLS_PRAGMA(BIND_OP variable = sum op = add impl = fabric)
			        «ENDIF»
			        HLS_LABEL(«p»_lanes)
			        for (int n = 0; n < LANES; n++) {
			            HLS_PRAGMA(UNROLL)
			            «term(engine)»
			        }
			        acc[m] += «p»_acc_t(sum) << shift;
			    }
			}
		'''
	}

	/**
	 * A fixed-point engine whose rows share multipliers: the weights of PACKING rows side by side in one operand
	 * (Xilinx WP486, "Deep Learning with INT8 Optimization on Xilinx Devices"), times the lane they share. Each
	 * field of the product holds one row's product exactly, as the fields are a product wide: the lowest field,
	 * read as a signed number, is the first row's product; subtracting it and shifting gives the others.
	 */
	def private packedEngineDefinition(Engine engine) {
		val p = engine.prefix
		val rows = p.toUpperCase + "_ROWS"
		val packing = p.toUpperCase + "_PACKING"
		'''
			// «engine.scheme»: products on DSP slices, «engine.packing» rows per multiplier. Inlined into the pixel loop, whose pipeline it joins.
			void «p»_engine(const «p»_weight_t weights[«rows» * LANES], const lane_t lanes[LANES], shift_t shift,
			        «p»_acc_t acc[«rows»]) {
			    HLS_PRAGMA(INLINE)
			    HLS_LABEL(«p»_row_groups)
			    for (int first = 0; first < «rows»; first += «packing») {
			        HLS_PRAGMA(UNROLL)
			        «p»_sum_t sums[«packing»];
			        for (int k = 0; k < «packing»; k++) {
			            sums[k] = 0;
			        }
			        HLS_LABEL(«p»_lanes)
			        for (int n = 0; n < LANES; n++) {
			            HLS_PRAGMA(UNROLL)
			            // w[first + «engine.packing - 1»] x 2^(«engine.packing - 1» x «engine.productBits») + ... + w[first]: one operand
			            «p»_packed_t packed = 0;
			            for (int k = «packing» - 1; k >= 0; k--) {
			                const «p»_weight_t weight = first + k < «rows» ? «p»_weight_t(weights[(first + k) * LANES + n]) : «p»_weight_t(0);
			                packed = (packed << «engine.productBits») + weight;
			            }
			            «p»_packed_product_t product = packed * lanes[n];
			            HLS_PRAGMA(BIND_OP variable = product op = mul impl = dsp)
			            for (int k = 0; k < «packing»; k++) {
			                const «p»_product_t field = product; // the low «engine.productBits» bits, signed: w[first + k] x lane
			                sums[k] += field;
			                product = (product - field) >> «engine.productBits»;
			            }
			        }
			        for (int k = 0; k < «packing» && first + k < «rows»; k++) {
			            acc[first + k] += «p»_acc_t(sums[k]) << shift;
			        }
			    }
			}
		'''
	}

	def private term(Engine engine) {
		val p = engine.prefix
		switch engine.scheme.kind {
			case SchemeKind.FIXED: '''
				// the code is the integer weight (FILM-QNN's symmetric grid): one product per lane
				const «p»_product_t product = «p»_weight_t(weights[m * LANES + n]) * lanes[n];
				HLS_PRAGMA(BIND_OP variable = product op = mul impl = dsp)
				sum += product;
			'''
			case SchemeKind.POT: '''
				// code c != 0 weighs sign(c) x 2^(|c| - 1) (docs/export-format.md): the lane shifted, negated for c < 0
				const «p»_weight_t code = weights[m * LANES + n];
				const int magnitude = code < 0 ? int(-code) : int(code);
				const «p»_product_t shifted = «p»_product_t(lanes[n]) << static_cast<unsigned>(magnitude == 0 ? 0 : magnitude - 1);
				const «p»_product_t term = magnitude == 0 ? «p»_product_t(0) : code < 0 ? «p»_product_t(-shifted) : shifted;
				sum += term;
			'''
			case SchemeKind.SP2: {
				val m1 = engine.scheme.bits / 2
				val m2 = engine.scheme.bits - 1 - m1
				val top = (1 << m1) - 1
				'''
					// |c| = i1 x 2^«m2» + i2 weighs q(i1) + q(i2), q(i) = 2^(«top» - i) for i > 0, 0 for i = 0
					// (docs/export-format.md): two shifts and an add, negated for c < 0
					const «p»_weight_t code = weights[m * LANES + n];
					const int magnitude = code < 0 ? int(-code) : int(code);
					const int first = magnitude >> «m2»;
					const int second = magnitude & «(1 << m2) - 1»;
					const «p»_product_t lane = lanes[n];
					const «p»_product_t both = (first == 0 ? «p»_product_t(0) : «p»_product_t(lane << static_cast<unsigned>(«top» - first)))
					                           + (second == 0 ? «p»_product_t(0) : «p»_product_t(lane << static_cast<unsigned>(«top» - second)));
					const «p»_product_t term = code < 0 ? «p»_product_t(-both) : both;
					sum += term;
				'''
			}
		}
	}
}
