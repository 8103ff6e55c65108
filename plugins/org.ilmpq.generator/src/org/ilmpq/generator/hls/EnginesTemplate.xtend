package org.ilmpq.generator.hls

import org.ilmpq.core.hardware.DepthwiseUnit
import org.ilmpq.core.hardware.LoopNestSchedule
import org.ilmpq.core.hardware.MemoryBandwidth
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
		// What takes a group's rows: the engines, and the depthwise unit where a layer runs on it (see dw_unit).
		const bool DEPTHWISE_UNIT = «design.depthwiseUnit.present»;
		const int UNITS = ENGINES«IF design.depthwiseUnit.present» + 1«ENDIF»;
		const int DW_TAPS = «DepthwiseUnit.TAPS»;
		const int DW_WEIGHT_BITS = «DepthwiseUnit.WEIGHT_BITS»;
		const int DW_CODES_PER_WORD = «org.ilmpq.core.integer.CodeFormat.codesPerWord(DepthwiseUnit.WEIGHT_BITS, design.wordBits)»;
		const int WORD_BITS = «design.wordBits»;         // a feature-map and weight word: one beat of an AXI HP port (UG585)

		// What the counting build (make cycles) charges each loop on entry, the hardware model's pipeline depth of a loop
		// over DRAM, which every loop of weight_layer is (LoopNestSchedule, docs/hardware-model.md "Cycles"), and the DRAM
		// bandwidth that bounds a layer's cycles: DRAM_BYTES bytes every DRAM_CYCLES cycles (MemoryBandwidth:
		// «design.target.part.board.orElse(design.target.part.number)» at «design.target.clockMhz.toPlainString» MHz).
		const int DRAM_LOOP_DEPTH = «LoopNestSchedule.DRAM_LOOP_DEPTH»;    // the m_axi latency Vitis HLS schedules a DRAM access for (UG1399)
		const long long DRAM_BYTES = «design.bandwidth.bytes»;
		const long long DRAM_CYCLES = «design.bandwidth.cycles»;
		// A burst: at most MAX_BURST_BEATS beats (the m_axi ports' max_read_burst_length and max_write_burst_length),
		// taking the DRAM whole accesses of DRAM_ACCESS_BYTES (its width x burst length; MemoryBandwidth.burstBytes).
		const int MAX_BURST_BEATS = «MemoryBandwidth.MAX_BURST_BEATS»;
		const long long DRAM_ACCESS_BYTES = «design.bandwidth.accessBytes»;

		typedef packed_word<WORD_BITS> word_t;
		// A parameter word: the layer's clamps and residual multiplier, a group's row counts, a row's requantization
		// (bias B: bits 0-25, multiplier M: 26-42, shift s + 8: 43-48, output channel: 49-63).
		typedef packed_word<64> param_word_t;

		// Buffers, sized for the largest layer: input codes per lane of a tile (halo and padding included), outputs
		// per row of a tile; the output and residual tile buffers, one bank per code of a word (ilmpq_tiles.h), hold
		// every channel of one output tile.
		const int MAX_INPUT_TILE_AREA = «design.bounds.maxInputTileArea»;
		const int MAX_OUTPUT_TILE_AREA = «design.bounds.maxOutputTileArea»;
		const int TILE_BANKS = «design.maxCodesPerWord»;
		const int OUTPUT_TILE_DEPTH = «design.outputTile.depth»;
		const int RESIDUAL_TILE_DEPTH = «Math.max(1, design.residualTile.depth)»;
		const bool RESIDUAL_ADDS = «design.residualTile.banks > 0»;   // whether a layer has a fused add: its datapath exists only then

		// The output stage, which the engines share, taking turns: OUTPUT_LANES lanes, each two pixels of a row a cycle;
		// lane j takes the rows whose channel is j modulo OUTPUT_LANES (LoopNestSchedule.MAX_OUTPUT_LANES), the widest
		// engine's accumulators.
		const int OUTPUT_LANES = «design.outputLanes»;
		const int OUTPUT_LANES_LOG2 = «Integer.numberOfTrailingZeros(design.outputLanes)»;
		const int TILE_BANK_GROUPS = «design.maxCodesPerWord / design.outputLanes»;   // TILE_BANKS / OUTPUT_LANES: the banks of a lane
		typedef int_t<«design.widestAccumulatorBits»> output_acc_t;
		typedef int_t<«design.widestAccumulatorBits + IntegerArithmetic.MULTIPLIER_BITS + 1 - IntegerArithmetic.MIN_SHIFT»> output_scaled_t; // accumulator x M, pre-shifted

		// A lane: an activation code, or an ACTIVATION_BITS-wide slice of a wider input code, the lower slices unsigned,
		// the top one signed. A wider code takes two lanes, lane n and lane n + LANES / 2, a slice each, and the engines'
		// adder trees weigh their upper half by 2^ACTIVATION_BITS; codes of more slices take passes of two
		// (docs/hardware-model.md, "Mappings"). HALVES: whether a layer of this design reads such codes.
		typedef int_t<ACTIVATION_BITS + 1> lane_t;
		const bool HALVES = «design.halves»;
		typedef int_t<«design.maxInputBits + 1»> input_code_t;   // a whole input code, «design.maxInputBits» bits signed or unsigned
		typedef int_t<«design.maxCodeBits + 1»> tile_code_t;     // a code in a tile buffer, «design.maxCodeBits» bits signed or unsigned
		typedef uint_t<«shiftBits»> shift_t;        // a slice's shift: unsigned, so that a shifter shifts one way only
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
		«IF design.depthwiseUnit.present»

			«depthwiseDeclaration(design.depthwiseUnit.get)»
		«ENDIF»

		// One weight layer's geometry and its tensors' formats; its tables come with it (see weight_layer).
		struct weight_layer_shape {
		    int in_channels, in_height, in_width; // as the layer reads its input: a linear layer a vector
		    int in_words_per_pixel, in_bits, in_codes_log2;
		    bool in_signed;
		    int out_channels, out_height, out_width;
		    int out_words_per_pixel, out_bits, out_codes_log2;
		    int kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
		    int groups, in_per_group, lane_groups; // in_per_group: the values a group takes, kernel columns included
		    int slices;          // ceil(in_bits / ACTIVATION_BITS): the activation-wide slices of an input code
		    int lanes_per_value; // 1, or 2: lane n takes a value's slice 2 x pass, lane n + LANES / 2 the one above it
		    int passes;          // ceil(slices / lanes_per_value)
		    int unroll;        // 1, or kernel_w: lane (kx, c) = kx x in_channels + c holds channel c shifted by kx columns
		    bool depthwise;    // on the depthwise unit: a group's channels on its lanes, its rows on no engine
		    bool residual;     // a fused add: the residual operand, of the output's shape, is added before the clamp
		    int residual_words_per_pixel, residual_bits, residual_codes_log2;
		    bool residual_signed;
		};

		// Runs one conv or linear layer (a linear layer is a 1 x 1 convolution of a 1 x 1 map) on the engines:
		//   in        the codes of the layer's input; residual those of a fused add's other operand (a layer without
		//             one passes in, so that every pointer refers to a port); out the layer's output codes;
		//   params    the layer's word (clamp low: bits 0-15, clamp high: 16-31, residual multiplier R: 32-55), then per
		//             group a word of each engine's row count (16 bits each, engine e at 16 e), followed by the group's
		//             rows, each engine's dealt out by output lane (channel modulo OUTPUT_LANES: each lane's rows
		//             ascending, one of each lane in turn), ROWS a row step, within a step lane by lane, a word each;
		//   weights   per group and engine, per row step of the engine's rows in the group, per lane group
		//             (ceil(in_per_group / (LANES / lanes_per_value))) and kernel position (row-major): the step's
		//             rows x LANES codes, row-major, in ceil(rows x LANES / CODES_PER_WORD) words, zero where a lane is
		//             missing; with two lanes a value, lane n + LANES / 2 has lane n's weight. A layer on the depthwise
		//             unit has no rows on the engines (its counts are 0), its group's rows (in_per_group) in channel
		//             order, and per kernel row each channel's DW_TAPS integer weights, the kernel's last at the last tap.
		void weight_layer(weight_layer_shape shape, const word_t *in, const word_t *residual, word_t *out,
		                  const word_t *weights, const param_word_t *params);

		// What the test bench (or a driver) needs to know of one weight layer: its name in the spec and the export,
		// its shape, the spec's rows of each engine's scheme, where its tables lie in the weights and params ports, its
		// tensors (indices of the tensor table; residual -1 when it has none), and the map a flattened input comes from
		// (the host orders a linear layer's weights as the map's codes lie: pixel by pixel).
		struct weight_layer_descriptor {
		    const char *name;
		    weight_layer_shape shape; // as the engines run it: a depthwise layer's groups share the lanes
		    long rows_per_engine[ENGINES];
		    int spec_groups;          // the groups of the spec and the export
		    long weights_offset, weights_size;
		    long params_offset, params_size;
		    int input, output, residual;
		    int flattened_channels, flattened_height, flattened_width;
		};

		} // namespace ilmpq

		#endif
	'''

	/** Bits of the largest shift, that of an input code's top slice: (slices - 1) x the activation width. */
	def private shiftBits() {
		val largest = (design.maxSlices - 1) * design.activationBits
		Math.max(1, Integer.SIZE - Integer.numberOfLeadingZeros(largest))
	}

	/**
	 * The most cycles of one kernel position: all passes over the largest tile (on the depthwise unit with the
	 * cycles that fill its windows), or loading the next weights.
	 */
	def private long pixelLoopTripCount() {
		Math.max(design.bounds.maxOutputTileArea * design.maxPasses + design.config.tile * DepthwiseUnit.TAPS,
			design.units.map[blockWords].reduce[a, b|a + b])
	}

	/** Words of a step's block of an engine: ceil(rows x LANES / P), P a power of two (the unit's rows x DW_TAPS). */
	def private stepWords(Engine engine, String rows) {
		'''((«rows» * «IF engine === design.depthwiseUnit.orElse(null)»DW_TAPS«ELSE»LANES«ENDIF» + «engine.codesPerWord - 1») >> «Integer.numberOfTrailingZeros(engine.codesPerWord)»)'''
	}

	def private depthwiseDeclaration(Engine unit) '''
		// The depthwise unit (docs/hardware-model.md, "Depthwise unit"): a depthwise layer's group of channels on the
		// lanes, lane n its own channel, with a window of DW_TAPS input codes sliding along a kernel row and as many
		// multipliers on LUTs by that channel's integer weights (of DW_WEIGHT_BITS bits, whatever its scheme). Widths: a
		// product needs «unit.productBits» bits, a sum of DW_TAPS products «unit.sumBits»; the accumulator holds fan-in x largest input x
		// largest weight = «unit.largestAccumulator» in «unit.accumulatorBits» bits. Its weights of one kernel row: LANES x DW_TAPS codes, «unit.codesPerWord»
		// a word, in «unit.blockWords» words for a group of LANES channels.
		const int DW_ROWS = LANES;
		typedef int_t<DW_WEIGHT_BITS> dw_weight_t;
		typedef int_t<«unit.productBits»> dw_product_t;
		typedef int_t<«unit.sumBits»> dw_sum_t;
		typedef int_t<«unit.accumulatorBits»> dw_acc_t;
		// one cycle of the unit: acc[n] (0 when clear) + the sum over the taps of lane n's weight x window
		void dw_unit(const dw_weight_t weights[LANES * DW_TAPS], const lane_t window[LANES][DW_TAPS], bool clear,
		        dw_acc_t acc[LANES]);
	'''

	def private depthwiseDefinition() '''
		// The depthwise unit: per lane a kernel row of its channel, LUT multipliers (the DSP slices are the engines').
		// Inlined into the pass loop, whose pipeline it joins.
		void dw_unit(const dw_weight_t weights[LANES * DW_TAPS], const lane_t window[LANES][DW_TAPS], bool clear,
		        dw_acc_t acc[LANES]) {
		    HLS_PRAGMA(INLINE)
		    HLS_LABEL(dw_lanes)
		    for (int n = 0; n < LANES; n++) {
		        HLS_PRAGMA(UNROLL)
		        dw_sum_t sum = 0;
		        HLS_PRAGMA(BIND_OP variable = sum op = add impl = fabric)
		        for (int t = 0; t < DW_TAPS; t++) {
		            HLS_PRAGMA(UNROLL)
		            const dw_product_t product = weights[n * DW_TAPS + t] * window[n][t];
		            HLS_PRAGMA(BIND_OP variable = product op = mul impl = fabric)
		            sum += product;
		        }
		        acc[n] = (clear ? dw_acc_t(0) : acc[n]) + sum;
		    }
		}
	'''

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
		«IF engine.packing > 1»
			// «engine.packing» rows' weights share one multiplier, «engine.fieldBits» bits apart: «engine.packedBits» bits within the DSP's «design.target.part.device.dspType.aBits»-bit A input
			// (the hardware model's DspPacking: «engine.packing» products per slice)
			const int «engine.prefix.toUpperCase»_PACKING = «engine.packing»;
			typedef int_t<«engine.packedBits»> «engine.prefix»_packed_t;
			typedef int_t<«engine.packedBits + design.activationBits + 1»> «engine.prefix»_packed_product_t;
		«ENDIF»
		// one cycle of the engine: acc[m] (0 when clear) + the sum over the lanes of weight x lane, the upper half of the
		// lanes weighed 2^ACTIVATION_BITS where a value takes two lanes (halves), all shifted by a pass's shift
		void «engine.prefix»_engine(const «engine.prefix»_weight_t weights[«engine.prefix.toUpperCase»_ROWS * LANES], const lane_t lanes[LANES], shift_t shift,
		        bool halves, bool clear, «engine.prefix»_acc_t acc[«engine.prefix.toUpperCase»_ROWS]);
	'''

	def String source(String header) '''
		«header»
		#include "engines.h"
		#include "ilmpq_tiles.h"

		namespace ilmpq {
		«FOR engine : design.engines»

			«engineDefinition(engine)»
		«ENDFOR»
		«IF design.depthwiseUnit.present»

			«depthwiseDefinition»
		«ENDIF»

		// load_input_word (or, for a layer with its kernel columns on the lanes, load_unrolled_input_word) for the input's
		// code width: one datapath per width a layer of this design reads.
		static void load_input(const weight_layer_shape &shape, const word_t *in, const lane_group_input &group,
		                       const input_window &window, tile_cursor &cursor, input_code_t tile[LANES][MAX_INPUT_TILE_AREA]) {
		    HLS_PRAGMA(INLINE)
		    «IF design.weightSteps.exists[columnsOnLanes > 1]»
		    	if (shape.unroll > 1) {
		    	    «byWidth("shape.in_bits", design.weightSteps.filter[columnsOnLanes > 1].map[input.format.bits].toSet, '''load_unrolled_input_word<%BITS%, %P%>(shape, in, group, window.ty, window.tx, window.in_tile_w, window.lane_tile_w, cursor, tile);''')»
		    	    return;
		    	}
		    «ENDIF»
		    «byWidth("shape.in_bits", design.weightSteps.map[input.format.bits].toSet, '''load_input_word<%BITS%, %P%>(shape, in, group.first, group.used, group.first_word, group.words, window.ty, window.tx, window.in_tile_w, cursor, tile);''')»
		}

		// One cycle of the work behind a row step (see weight_layer): a round of the previous step's output stage (each
		// lane a row at two pixels, through both ports of the accumulators, residual and output tile buffers), else a
		// word of the finished tile's store, else a word of the next residual tile.
		static void background_cycle(background_work &work, const weight_layer_shape &shape, int lowest, int highest,
		                             const uint_t<«IntegerArithmetic.OPERAND_MULTIPLIER_BITS»> &residual_multiplier, const word_t *residual, word_t *out,
		                             «FOR engine : design.units»const «engine.prefix»_acc_t «engine.prefix»_acc[2][MAX_OUTPUT_TILE_AREA][«engine.prefix.toUpperCase»_ROWS], const param_word_t «engine.prefix»_params[2][«engine.prefix.toUpperCase»_ROWS],
		                             «ENDFOR»tile_code_t residual_tile[TILE_BANK_GROUPS][OUTPUT_LANES][RESIDUAL_TILE_DEPTH],
		                             tile_code_t out_tile[TILE_BANK_GROUPS][OUTPUT_LANES][OUTPUT_TILE_DEPTH]) {
		    HLS_PRAGMA(INLINE)
		    if (work.cycles > 0) {
		        const int engine = work.order[work.slot];
		        const bool pair = work.p + 1 < work.pixels;
		        const int q = pair ? work.p + 1 : work.p;
		        // each lane's row of the engine whose turn it is: its accumulators at both pixels and its parameters
		        output_acc_t acc[OUTPUT_LANES][2];
		        param_word_t param[OUTPUT_LANES];
		        bool busy[OUTPUT_LANES];
		        for (int j = 0; j < OUTPUT_LANES; j++) {
		            HLS_PRAGMA(UNROLL)
		            busy[j] = work.k < work.count[engine][j];
		            const int m = busy[j] ? work.first[engine][j] + work.k : 0;
		            «FOR engine : design.engines SEPARATOR ' else '»if (engine == «design.engines.indexOf(engine)») {
		                acc[j][0] = output_acc_t(«engine.prefix»_acc[work.parity][work.p][m]);
		                acc[j][1] = output_acc_t(«engine.prefix»_acc[work.parity][q][m]);
		                param[j] = «engine.prefix»_params[work.parity][m];
		            }«ENDFOR»«IF design.depthwiseUnit.present» else {
		                // the depthwise unit's lane n holds the group's channel n, which output lane n mod OUTPUT_LANES takes
		                const int n = work.k * OUTPUT_LANES + j;
		                acc[j][0] = output_acc_t(dw_acc[work.parity][work.p][n]);
		                acc[j][1] = output_acc_t(dw_acc[work.parity][q][n]);
		                param[j] = dw_params[work.parity][n];
		            }«ENDIF»
		        }
		        «FOR j : 0 ..< design.outputLanes»
		        	if (busy[«j»]) {
		        	    requantize<«j», output_scaled_t>(acc[«j»][0], param[«j»], work.p, work.pixels, shape, lowest, highest, residual_multiplier, residual_tile, out_tile);
		        	    if (pair) {
		        	        requantize<«j», output_scaled_t>(acc[«j»][1], param[«j»], q, work.pixels, shape, lowest, highest, residual_multiplier, residual_tile, out_tile);
		        	    }
		        	}
		        «ENDFOR»
		        work.p += 2;
		        work.cycles--;
		        if (work.p >= work.pixels) {
		            work.p = 0;
		            if (++work.k == work.rounds[engine]) {
		                work.k = 0;
		                work.slot++;
		            }
		        }
		    } else if (work.store_words > 0) {
		        word_t word = 0;
		        const int place = work.store.place(work.pixels, work.tile_w);
		        «byWidth("shape.out_bits", design.weightSteps.map[output.format.bits].toSet, '''word = pack_tile_word<%BITS%, %P%>(out_tile, place, work.store.word * %P%, shape.out_channels);''')»
		        store(out, work.store.dram_word(work.ty, work.tx, shape.out_width, shape.out_words_per_pixel), word);
		        work.store.advance(work.tile_w);
		        work.store_words--;
		    } else if (work.residual_words > 0) {
		        «IF design.residualTile.banks > 0»
		        	const word_t word = load(residual, work.residual.dram_word(work.next_ty, work.next_tx, shape.out_width, shape.residual_words_per_pixel), TRAFFIC_RESIDUAL);
		        	const int place = work.residual.place(work.next_pixels, work.next_tile_w);
		        	«byWidth("shape.residual_bits", design.weightSteps.filter[residual.present].map[residual.get.format.bits].toSet, '''unpack_tile_word<%BITS%, %P%>(word, shape.residual_signed, place, residual_tile);''')»
		        	work.residual.advance(work.next_tile_w);
		        «ELSE»
		        	(void)residual; // no layer of this design has a fused add
		        «ENDIF»
		        work.residual_words--;
		    }
		}

		// The loop nest of Zhang et al. (FPGA 2015) as FILM-QNN runs it on several engines: per output tile, per group,
		// per row step (every engine takes its next ROWS rows of the group) one pipelined loop (docs/hardware-model.md,
		// "Cycles") that goes through the step's positions, lane group by lane group (LANES input channels, loaded once for
		// all engines) and kernel position by kernel position, each a pass over the tile's pixels in which every engine
		// multiplies-accumulates ROWS x LANES products per cycle. Pixels innermost: consecutive cycles update different
		// accumulators, so the accumulation carries no dependence from one cycle to the next. While a position computes,
		// the loop loads the next position's weights and the next lane group's input tile into the other buffers
		// (ping-pong), the last lane group the first input tile of the step after it; a position lasts as long as the
		// longest of the three. Behind all of it, a word or value a cycle, runs the output stage of the previous step
		// from the other accumulators, then the store of a finished tile, then the next residual tile; and the step's
		// row parameters arrive on their own port. A step lasts as long as the longest of its positions, that work and
		// its parameters.
		void weight_layer(weight_layer_shape shape, const word_t *in, const word_t *residual, word_t *out,
		                  const word_t *weights, const param_word_t *params) {
		    HLS_PRAGMA(INLINE off)
		    // the kernel positions a lane group passes over the pixels for: all, or the rows with the columns on the lanes
		    // or on the depthwise unit's taps
		    const int kernel_columns = shape.unroll > 1 || shape.depthwise ? 1 : shape.kernel_w;
		    const int kernel_area = shape.kernel_h * kernel_columns;
		    const int positions = shape.lane_groups * kernel_area;

		    input_code_t input_tile[2][LANES][MAX_INPUT_TILE_AREA];
		    HLS_PRAGMA(ARRAY_PARTITION variable = input_tile dim = 1 complete)
		    HLS_PRAGMA(ARRAY_PARTITION variable = input_tile dim = 2 complete)
		    // a lane of the output stage writes and reads two pixels of a row a cycle in the banks of its own: true
		    // dual-port memories (UG473)
		    tile_code_t out_tile[TILE_BANK_GROUPS][OUTPUT_LANES][OUTPUT_TILE_DEPTH];
		    HLS_PRAGMA(ARRAY_PARTITION variable = out_tile dim = 1 complete)
		    HLS_PRAGMA(ARRAY_PARTITION variable = out_tile dim = 2 complete)
		    HLS_PRAGMA(BIND_STORAGE variable = out_tile type = ram_t2p)
		    tile_code_t residual_tile[TILE_BANK_GROUPS][OUTPUT_LANES][RESIDUAL_TILE_DEPTH];
		    HLS_PRAGMA(ARRAY_PARTITION variable = residual_tile dim = 1 complete)
		    HLS_PRAGMA(ARRAY_PARTITION variable = residual_tile dim = 2 complete)
		    HLS_PRAGMA(BIND_STORAGE variable = residual_tile type = ram_t2p)
		    «FOR engine : design.engines»
		    	«engine.prefix»_weight_t «engine.prefix»_weights[2][«engine.prefix.toUpperCase»_ROWS * LANES];
		    	HLS_PRAGMA(ARRAY_PARTITION variable = «engine.prefix»_weights dim = 0 complete)
		    	// the step's accumulators and the previous step's, which the output stage reads meanwhile
		    	«engine.prefix»_acc_t «engine.prefix»_acc[2][MAX_OUTPUT_TILE_AREA][«engine.prefix.toUpperCase»_ROWS];
		    	HLS_PRAGMA(ARRAY_PARTITION variable = «engine.prefix»_acc dim = 1 complete)
		    	HLS_PRAGMA(ARRAY_RESHAPE variable = «engine.prefix»_acc dim = 3 complete)
		    	HLS_PRAGMA(BIND_STORAGE variable = «engine.prefix»_acc type = ram_t2p)
		    	param_word_t «engine.prefix»_params[2][«engine.prefix.toUpperCase»_ROWS];
		    	HLS_PRAGMA(ARRAY_PARTITION variable = «engine.prefix»_params dim = 0 complete)
		    «ENDFOR»
		    «IF design.depthwiseUnit.present»
		    	dw_weight_t dw_weights[2][LANES * DW_TAPS];
		    	HLS_PRAGMA(ARRAY_PARTITION variable = dw_weights dim = 0 complete)
		    	dw_acc_t dw_acc[2][MAX_OUTPUT_TILE_AREA][LANES];
		    	HLS_PRAGMA(ARRAY_PARTITION variable = dw_acc dim = 1 complete)
		    	HLS_PRAGMA(ARRAY_RESHAPE variable = dw_acc dim = 3 complete)
		    	HLS_PRAGMA(BIND_STORAGE variable = dw_acc type = ram_t2p)
		    	param_word_t dw_params[2][LANES];
		    	HLS_PRAGMA(ARRAY_PARTITION variable = dw_params dim = 0 complete)
		    	// each lane's window: the input codes of the kernel row's columns, the newest last
		    	lane_t dw_window[LANES][DW_TAPS];
		    	HLS_PRAGMA(ARRAY_PARTITION variable = dw_window dim = 0 complete)
		    «ENDIF»

		    «IF design.depthwiseUnit.present»
		    	// words of each output pixel a group stores behind the next step (LoopNestSchedule.groupStoreWords): on the
		    	// depthwise unit, where a group's channels fill whole words; 0: the tile's words go behind the next tile's first
		    	const int group_store = shape.depthwise && shape.groups > 1 && (shape.in_per_group & ((1 << shape.out_codes_log2) - 1)) == 0
		    	                            ? shape.in_per_group >> shape.out_codes_log2 : 0;
		    «ENDIF»
		    background_work work = {};
		    int parity = 0;
		    // the input buffer of a step's first lane group, and whether the step before it has loaded it
		    int input_base = 0;
		    bool prefetched = false;
		    // the layer's clamp and residual multiplier, which the output stage of a step behind the next tile still needs
		    int lowest = 0;
		    int highest = 0;
		    uint_t<«IntegerArithmetic.OPERAND_MULTIPLIER_BITS»> residual_multiplier = 0;
		    HLS_LABEL(tile_rows)
		    for (int ty = 0; ty < shape.out_height; ty += TILE) {
		        HLS_LABEL(tile_columns)
		        for (int tx = 0; tx < shape.out_width; tx += TILE) {
		            const int tile_h = shape.out_height - ty < TILE ? shape.out_height - ty : TILE;
		            const int tile_w = shape.out_width - tx < TILE ? shape.out_width - tx : TILE;
		            const int pixels = tile_h * tile_w;
		            const input_window window = input_window::of(shape, ty, tx);
		            const int lane_tile_w = window.lane_tile_w;
		            // the tile after this one, whose first input tile the last step loads
		            const bool next_tile = tx + TILE < shape.out_width || ty + TILE < shape.out_height;
		            const input_window next_window = input_window::of(shape, tx + TILE < shape.out_width ? ty : ty + TILE,
		                                                              tx + TILE < shape.out_width ? tx + TILE : 0);
		            // the layer's word, read once per tile as the hardware model counts it (a lone read)
		            ILMPQ_LOOP_CYCLES(1, DRAM_LOOP_DEPTH);
		            const param_word_t layer_word = load(params, 0, TRAFFIC_PARAMETERS);
		            lowest = decode<16>(static_cast<unsigned>(bits_at<16>(layer_word, 0)), true);
		            highest = decode<16>(static_cast<unsigned>(bits_at<16>(layer_word, 16)), true);
		            residual_multiplier = bits_at<«IntegerArithmetic.OPERAND_MULTIPLIER_BITS»>(layer_word, 32);
		            // this tile's residual operand goes behind the first step, after what the previous tile left
		            work.residual_words = shape.residual ? pixels * shape.residual_words_per_pixel : 0;
		            work.residual = output_tile_cursor::over(0, shape.residual_words_per_pixel);
		            work.next_ty = ty;
		            work.next_tx = tx;
		            work.next_tile_w = tile_w;
		            work.next_pixels = pixels;
		            const word_t *group_weights = weights;
		            const param_word_t *group_params = params + 1;
		            HLS_LABEL(groups)
		            for (int g = 0; g < shape.groups; g++) {
		                // a group's runs of words are requests of their own (docs/hardware-model.md, "DRAM bound")
		                ILMPQ_BURST_BREAK();
		                // the group's row counts (none on the depthwise unit, which takes every row of a group)
		                const int counts_words = shape.depthwise ? 0 : 1;
		                param_word_t counts = 0;
		                if (counts_words > 0) {
		                    ILMPQ_LOOP_CYCLES(1, DRAM_LOOP_DEPTH);
		                    counts = load(group_params, 0, TRAFFIC_PARAMETERS, 1);
		                }
		                «FOR engine : design.engines»
		                	const int «engine.prefix»_count = static_cast<int>(bits_at<16>(counts, «16 * design.engines.indexOf(engine)»));
		                «ENDFOR»
		                «IF design.depthwiseUnit.present»
		                	const int dw_count = shape.depthwise ? shape.in_per_group : 0; // the unit takes every row of the group
		                «ENDIF»
		                «FOR engine : design.units»
		                	«val previous = design.units.takeWhile[it !== engine].lastOrNull»
		                	const param_word_t *«engine.prefix»_group_params = «IF previous === null»group_params + counts_words«ELSE»«previous.prefix»_group_params + «previous.prefix»_count«ENDIF»;
		                «ENDFOR»
		                // the engines' weights of the group follow one another: each engine's row steps, lane groups and
		                // kernel positions; an engine's row steps are counted as its first row passes its count
		                «FOR engine : design.units»
		                	«val previous = design.units.takeWhile[it !== engine].lastOrNull»
		                	const word_t *«engine.prefix»_blocks = «IF previous === null»group_weights«ELSE»«previous.prefix»_end«ENDIF»;
		                	const word_t *«engine.prefix»_end = «engine.prefix»_blocks;
		                	for (int first = 0; first < «engine.prefix»_count; first += «engine.prefix.toUpperCase»_ROWS) {
		                	    const int rows = «engine.prefix»_count - first < «engine.prefix.toUpperCase»_ROWS ? «engine.prefix»_count - first : «engine.prefix.toUpperCase»_ROWS;
		                	    «engine.prefix»_end += shape.lane_groups * kernel_area * «stepWords(engine, "rows")»;
		                	}
		                «ENDFOR»
		                const int first_channel_of_group = g * shape.in_per_group;
		                «FOR engine : design.units»
		                	int «engine.prefix»_first = 0;
		                «ENDFOR»
		                HLS_LABEL(row_steps)
		                for (int step = 0; «design.units.map[prefix + '_first < ' + prefix + '_count'].join(' || ')»; step++) {
		                    «FOR engine : design.units»
		                    	const int «engine.prefix»_left = «engine.prefix»_count - «engine.prefix»_first;
		                    	const int «engine.prefix»_rows = «engine.prefix»_left < 0 ? 0 : «engine.prefix»_left > «engine.prefix.toUpperCase»_ROWS ? «engine.prefix.toUpperCase»_ROWS : «engine.prefix»_left;
		                    	const int «engine.prefix»_words = «stepWords(engine, engine.prefix + "_rows")»;
		                    «ENDFOR»
		                    // words of one kernel position's weights of every engine with rows in this step; its parameters
		                    const int weight_words = «design.units.map[prefix + '_words'].join(' + ')»;
		                    const int step_rows = «design.units.map[prefix + '_rows'].join(' + ')»;
		                    «IF design.depthwiseUnit.present»
		                    	// the cycles of a pass: over the pixels; on the depthwise unit, per tile row the cycles that
		                    	// fill the windows, two columns a cycle, then an output a cycle
		                    	const int window_fill = (shape.kernel_w - shape.stride_w + 1) >> 1;
		                    	const int pass_pixels = shape.depthwise ? tile_h * (tile_w + window_fill) : shape.passes * pixels;
		                    «ELSE»
		                    	const int pass_pixels = shape.passes * pixels;
		                    «ENDIF»
		                    // the first position's weights (and for the layer's first step the first lane group's input
		                    // tile) before anything computes (position -1); the next lane group's input tile while a lane
		                    // group computes, and while the last computes the first of the step after this one: the
		                    // group's next step, the next group's first, the next tile's first, or none at the layer's end
		                    const bool more_steps = «design.units.map[prefix + '_first + ' + prefix.toUpperCase + '_ROWS < ' + prefix + '_count'].join(' || ')»;
		                    const bool next_group = !more_steps && g + 1 < shape.groups;
		                    const input_window following_window = more_steps || next_group ? window : next_window;
		                    const lane_group_input following =
		                        more_steps ? lane_group_input::first_of(shape, first_channel_of_group, window.in_tile_area)
		                        : next_group ? lane_group_input::first_of(shape, first_channel_of_group + shape.in_per_group, window.in_tile_area)
		                        : next_tile ? lane_group_input::first_of(shape, 0, next_window.in_tile_area) : lane_group_input::nothing();
		                    lane_group_input now = lane_group_input::first_of(shape, first_channel_of_group, window.in_tile_area);
		                    lane_group_input next = now;
		                    input_window loading = window;
		                    tile_cursor cursor = {0, 0, 0, 0};
		                    int q = -1;
		                    int lane_group = 0;
		                    int k = 0, ky = 0, kx = 0;
		                    int computed = 0, pass = 0, p = 0, oy = 0, ox = 0;«IF design.depthwiseUnit.present» int window_column = 0;«ENDIF»
		                    int weights_loaded = 0, inputs_loaded = 0, params_loaded = 0;
		                    // each engine's rows of the step per output lane, counted as their parameters arrive
		                    int lane_rows[UNITS][OUTPUT_LANES];
		                    HLS_PRAGMA(ARRAY_PARTITION variable = lane_rows dim = 0 complete)
		                    for (int e = 0; e < UNITS; e++) {
		                        HLS_PRAGMA(UNROLL)
		                        for (int j = 0; j < OUTPUT_LANES; j++) {
		                            HLS_PRAGMA(UNROLL)
		                            lane_rows[e][j] = 0;
		                        }
		                    }
		                    long trips = 0;
		                    HLS_LABEL(row_step)
		                    for (bool done = false; !done; trips++) {
		                        HLS_PRAGMA(PIPELINE II = 1)
		                        HLS_PRAGMA(LOOP_TRIPCOUNT min = 1 max = «stepTripCount»)
		                        // reads come from the current buffers only, writes go to the other ones
		                        HLS_PRAGMA(DEPENDENCE variable = input_tile type = inter false)
		                        «FOR engine : design.units»
		                        	HLS_PRAGMA(DEPENDENCE variable = «engine.prefix»_weights type = inter false)
		                        	HLS_PRAGMA(DEPENDENCE variable = «engine.prefix»_acc type = inter false)
		                        	HLS_PRAGMA(DEPENDENCE variable = «engine.prefix»_params type = inter false)
		                        «ENDFOR»
		                        const int input_buffer = q < 0 ? input_base : (input_base + lane_group + 1) & 1;
		                        if (q < 0) {
		                            if (!prefetched && inputs_loaded < now.values) {
		                                load_input(shape, in, now, window, cursor, input_tile[input_base]);
		                                inputs_loaded++;
		                            }
		                        } else if (q < positions) {
		                            «IF design.depthwiseUnit.present»
		                            	if (computed < pass_pixels && shape.depthwise) {
		                            	    // a tile row's first window_fill cycles fill each lane's window with its first
		                            	    // kernel_w - stride_w columns, two a cycle through both ports of a lane's input memory
		                            	    // (the loader writes the other buffer); then a cycle takes stride_w new columns and
		                            	    // computes an output
		                            	    const bool filling = window_column < window_fill;
		                            	    const int before = shape.kernel_w - shape.stride_w; // the columns an output's window shares
		                            	    const int reads = filling ? (before - 2 * window_column > 1 ? 2 : 1) : shape.stride_w;
		                            	    const int at = (oy * shape.stride_h + ky) * lane_tile_w
		                            	                   + (filling ? 2 * window_column : before + (window_column - window_fill) * shape.stride_w);
		                            	    for (int n = 0; n < LANES; n++) {
		                            	        HLS_PRAGMA(UNROLL)
		                            	        const lane_t first = lane_t(input_tile[(input_base + lane_group) & 1][n][at]);
		                            	        const lane_t second = lane_t(input_tile[(input_base + lane_group) & 1][n][reads > 1 ? at + 1 : at]);
		                            	        for (int t = 0; t < DW_TAPS; t++) {
		                            	            HLS_PRAGMA(UNROLL)
		                            	            const int from = t + reads;
		                            	            dw_window[n][t] = from < DW_TAPS ? dw_window[n][from] : from == DW_TAPS ? first : second;
		                            	        }
		                            	    }
		                            	    if (!filling) {
		                            	        // the first kernel row's products replace what the accumulators held
		                            	        dw_unit(dw_weights[q & 1], dw_window, q == 0, dw_acc[parity][p]);
		                            	        p++;
		                            	    }
		                            	    if (++window_column == tile_w + window_fill) {
		                            	        window_column = 0;
		                            	        if (++oy == tile_h) {
		                            	            oy = 0;
		                            	            p = 0;
		                            	        }
		                            	    }
		                            	    computed++;
		                            	}
		                            «ENDIF»
		                            if (computed < pass_pixels«IF design.depthwiseUnit.present» && !shape.depthwise«ENDIF») {
		                                const int first_slice = pass * shape.lanes_per_value;
		                                const bool halves = HALVES && shape.lanes_per_value > 1;
		                                lane_t lanes[LANES];
		                                HLS_PRAGMA(ARRAY_PARTITION variable = lanes dim = 0 complete)
		                                const int i = (oy * shape.stride_h + ky * shape.dilation_h) * lane_tile_w + ox * shape.stride_w
		                                              + kx * shape.dilation_w;
		                                for (int n = 0; n < LANES; n++) {
		                                    // with two lanes a value, lane n + LANES / 2 takes the slice above lane n's of the same code
		                                    const bool upper = halves && n >= LANES / 2;
		                                    const int slice = first_slice + (upper ? 1 : 0);
		                                    const input_code_t bits = input_tile[(input_base + lane_group) & 1][upper ? n - LANES / 2 : n][i] >> shift_t(slice * ACTIVATION_BITS);
		                                    lanes[n] = slice >= shape.slices ? lane_t(0)
		                                               : slice < shape.slices - 1 ? lane_t(bits & ((1 << ACTIVATION_BITS) - 1)) : lane_t(bits);
		                                }
		                                const shift_t shift = first_slice * ACTIVATION_BITS;
		                                // the first products of a row step replace what the accumulators held
		                                const bool clear = q == 0 && pass == 0;
		                                «FOR engine : design.engines»
		                                	«engine.prefix»_engine(«engine.prefix»_weights[q & 1], lanes, shift, halves, clear, «engine.prefix»_acc[parity][p]);
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
		                                computed++;
		                            }
		                            if (inputs_loaded < next.values) {
		                                load_input(shape, in, next, loading, cursor, input_tile[input_buffer]);
		                                inputs_loaded++;
		                            }
		                        }
		                        // the weights of the next position (of position 0 before the first)
		                        if (q + 1 < positions && weights_loaded < weight_words) {
		                            const int t = weights_loaded;
		                            «loadWeightWord("q + 1", "(q + 1) & 1")»
		                            weights_loaded++;
		                        }
		                        // the step's row parameters, for its output stage behind the next step
		                        if (params_loaded < step_rows) {
		                            param_word_t word = 0;
		                            int engine = 0;
		                            «loadParameterWord»
		                            lane_rows[engine][static_cast<int>(bits_at<CHANNEL_FIELD_BITS>(word, CHANNEL_AT)) & (OUTPUT_LANES - 1)]++;
		                            params_loaded++;
		                        }
		                        background_cycle(work, shape, lowest, highest, residual_multiplier, residual, out,
		                                         «FOR engine : design.units»«engine.prefix»_acc, «engine.prefix»_params, «ENDFOR»residual_tile, out_tile);
		                        // the position ends when it has computed and its loads are in
		                        const bool last_of_lane_group = q >= 0 && k + 1 == kernel_area;
		                        if (q < positions && (q < 0 ? prefetched || inputs_loaded == now.values : computed == pass_pixels) &&
		                            (q + 1 == positions || weights_loaded == weight_words) &&
		                            (!last_of_lane_group || inputs_loaded == next.values)) {
		                            if (q >= 0 && ++kx == kernel_columns) {
		                                kx = 0;
		                                ky++;
		                            }
		                            if (q >= 0 && ++k == kernel_area) {
		                                k = 0;
		                                ky = 0;
		                                lane_group++;
		                            }
		                            if (q < 0 || k == 0) {
		                                // the lane group after the one that computes now, or after the last the next step's first
		                                const bool last_lane_group = lane_group + 1 >= shape.lane_groups;
		                                next = last_lane_group ? following
		                                       : lane_group_input::after(q < 0 ? now : next, shape, first_channel_of_group, window.in_tile_area);
		                                loading = last_lane_group ? following_window : window;
		                                cursor = tile_cursor();
		                                inputs_loaded = 0;
		                                if (loading.in_tile_area > 1) {
		                                    ILMPQ_RUN_BREAK(TRAFFIC_INPUT, 0); // a lane group's input tile is a request of its own
		                                }
		                            }
		                            q++;
		                            weights_loaded = 0;
		                            computed = 0;
		                            pass = 0;
		                        }
		                        done = q == positions && work.cycles == 0 && work.store_words == 0 && work.residual_words == 0 &&
		                               params_loaded == step_rows;
		                    }
		                    ILMPQ_LOOP_CYCLES(trips, DRAM_LOOP_DEPTH);
		                    // the next step's first input tile is in the buffer after this step's last lane group's
		                    input_base = (input_base + shape.lane_groups) & 1;
		                    prefetched = true;
		                    // the output stage of this step goes behind the next one
		                    work.parity = parity;
		                    work.pixels = pixels;
		                    work.tile_w = tile_w;
		                    work.ty = ty;
		                    work.tx = tx;
		                    work.slot = 0;
		                    work.k = 0;
		                    work.p = 0;
		                    work.cycles = 0;
		                    int engines_with_rows = 0;
		                    for (int e = 0; e < UNITS; e++) {
		                        HLS_PRAGMA(UNROLL)
		                        // a lane's rows follow those of the lanes before it; the fullest lane sets the engine's rounds
		                        int first = 0;
		                        int rounds = 0;
		                        for (int j = 0; j < OUTPUT_LANES; j++) {
		                            HLS_PRAGMA(UNROLL)
		                            work.first[e][j] = first;
		                            work.count[e][j] = lane_rows[e][j];
		                            first += lane_rows[e][j];
		                            rounds = lane_rows[e][j] > rounds ? lane_rows[e][j] : rounds;
		                        }
		                        work.rounds[e] = rounds;
		                        if (rounds > 0) {
		                            work.order[engines_with_rows++] = e;
		                            work.cycles += rounds * ((pixels + 1) >> 1);
		                        }
		                    }
		                    «IF design.depthwiseUnit.present»
		                    	if (group_store > 0) {
		                    	    // the group's words are whole once its output stage is done: they go behind the next step
		                    	    work.store = output_tile_cursor::over(first_channel_of_group >> shape.out_codes_log2, group_store);
		                    	    work.store_words = pixels * group_store;
		                    	}
		                    «ENDIF»
		                    parity = 1 - parity;
		                    «FOR engine : design.units»
		                    	«engine.prefix»_first += «engine.prefix.toUpperCase»_ROWS;
		                    	«engine.prefix»_blocks += shape.lane_groups * kernel_area * «engine.prefix»_words;
		                    «ENDFOR»
		                }
		                «val last = design.units.last»
		                group_weights = «last.prefix»_end;
		                group_params = «last.prefix»_group_params + «last.prefix»_count;
		            }
		            // the tile's output words go behind the next step, after its output stage (where its groups have not
		            // stored their own)
		            «IF design.depthwiseUnit.present»if (group_store == 0) {«ELSE»{«ENDIF»
		                work.store = output_tile_cursor::over(0, shape.out_words_per_pixel);
		                work.store_words = pixels * shape.out_words_per_pixel;
		            }
		        }
		    }
		    // what the last step left: its output stage and the last tile's words
		    ILMPQ_BURST_BREAK();
		    long trips = 0;
		    HLS_LABEL(last_output_stage)
		    for (; work.cycles > 0 || work.store_words > 0; trips++) {
		        HLS_PRAGMA(PIPELINE II = 1)
		        HLS_PRAGMA(LOOP_TRIPCOUNT min = 1 max = «stepTripCount»)
		        «FOR engine : design.units»
		        	HLS_PRAGMA(DEPENDENCE variable = «engine.prefix»_acc type = inter false)
		        «ENDFOR»
		        background_cycle(work, shape, lowest, highest, residual_multiplier, residual, out, «FOR engine : design.units»«engine.prefix»_acc, «engine.prefix»_params, «ENDFOR»residual_tile, out_tile);
		    }
		    ILMPQ_LOOP_CYCLES(trips, DRAM_LOOP_DEPTH);
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
	 * One cycle of loading the weights of position {@code position} into buffer {@code buffer}: cycle t loads word t
	 * of the engines' blocks one after the other, each block its step's rows only (an engine whose rows of the group
	 * ran out loads nothing; the rows of its buffer past the step's keep old weights, and what they compute is never
	 * stored).
	 */
	def private loadWeightWord(String position, String buffer) {
		val branches = newArrayList
		val before = newArrayList
		for (engine : design.units) {
			val words = engine.prefix + "_words"
			val offset = before.join(" + ")
			// the buffer's bound, ROWS x LANES codes: the unit's LANES x DW_TAPS
			val rows = if (engine === design.depthwiseUnit.orElse(null)) "DW_TAPS" else engine.prefix.toUpperCase + "_ROWS"
			branches += "if (t < " + (before + #[words]).join(" + ") + ") {\n    load_weight_word<"
				+ design.units.indexOf(engine) + ", " + rows + ", " + engine.weightBits + ", " + engine.codesPerWord + ">(" + engine.prefix + "_blocks + ("
				+ position + ") * " + words + ", t" + (if (before.empty) "" else " - (" + offset + ")") + ", "
				+ engine.prefix + "_weights[" + buffer + "]);\n}"
			before += words
		}
		branches.join(" else ")
	}

	/**
	 * One cycle of loading the step's row parameters: word {@code params_loaded} of the engines' rows one after the
	 * other, into the parameter buffers the step's output stage will read.
	 */
	def private loadParameterWord() {
		val branches = newArrayList
		val before = newArrayList
		for (engine : design.units) {
			val rows = engine.prefix + "_rows"
			val index = if (before.empty) "params_loaded" else "params_loaded - (" + before.join(" + ") + ")"
			branches += "if (params_loaded < " + (before + #[rows]).join(" + ") + ") {\n    word = load(" + engine.prefix
				+ "_group_params + " + engine.prefix + "_first, " + index + ", TRAFFIC_PARAMETERS, "
				+ (2 + design.units.indexOf(engine)) + ");\n    "
				+ engine.prefix + "_params[parity][" + index + "] = word;\n    engine = " + design.units.indexOf(engine)
				+ ";\n}"
			before += rows
		}
		branches.join(" else ")
	}

	/**
	 * The most cycles of a row step: every position of the largest layer at its longest, then the output stage of
	 * the largest step and a tile's words (a bound for LOOP_TRIPCOUNT, not a figure of the model).
	 */
	def private long stepTripCount() {
		val positions = design.weightSteps.map[laneGroups * positionsPerLaneGroup]
			.reduce[a, b|Math.max(a, b)]
		val rows = design.units.map[rows].reduce[a, b|a + b]
		(positions + 1) * pixelLoopTripCount + rows * design.bounds.maxOutputTileArea + design.outputTile.depth
			+ design.residualTile.depth
	}

	def private engineDefinition(Engine engine) {
		val p = engine.prefix
		val rows = p.toUpperCase + "_ROWS"
		if (engine.packing > 1) return packedEngineDefinition(engine)
		'''
			// «engine.scheme»: «IF engine.config.onDsp»products on DSP slices«ELSE»sign, shift and add on LUTs: no multiplier«ENDIF». Inlined into the pixel loop, whose
			// pipeline it joins: ROWS x LANES terms per cycle, an adder tree per row, its last level adding the halves.
			void «p»_engine(const «p»_weight_t weights[«rows» * LANES], const lane_t lanes[LANES], shift_t shift,
			        bool halves, bool clear, «p»_acc_t acc[«rows»]) {
			    HLS_PRAGMA(INLINE)
			    HLS_LABEL(«p»_rows)
			    for (int m = 0; m < «rows»; m++) {
			        HLS_PRAGMA(UNROLL)
			        «p»_sum_t low = 0, high = 0; // the lower and the upper half of the lanes
			        «IF !engine.config.onDsp»
			        	// the adder tree on LUTs: this engine's whole point is to leave the DSP slices to the others
			        	HLS_PRAGMA(BIND_OP variable = low op = add impl = fabric)
			        	HLS_PRAGMA(BIND_OP variable = high op = add impl = fabric)
			        «ENDIF»
			        HLS_LABEL(«p»_lanes)
			        for (int n = 0; n < LANES; n++) {
			            HLS_PRAGMA(UNROLL)
			            «term(engine)»
			        }
			        const «p»_acc_t sum = «p»_acc_t(low) + («p»_acc_t(high) << shift_t(halves ? ACTIVATION_BITS : 0));
			        acc[m] = (clear ? «p»_acc_t(0) : acc[m]) + (sum << shift);
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
			        bool halves, bool clear, «p»_acc_t acc[«rows»]) {
			    HLS_PRAGMA(INLINE)
			    HLS_LABEL(«p»_row_groups)
			    for (int first = 0; first < «rows»; first += «packing») {
			        HLS_PRAGMA(UNROLL)
			        «p»_sum_t sums[2][«packing»]; // per row, the lower and the upper half of the lanes
			        for (int k = 0; k < «packing»; k++) {
			            sums[0][k] = 0;
			            sums[1][k] = 0;
			        }
			        HLS_LABEL(«p»_lanes)
			        for (int n = 0; n < LANES; n++) {
			            HLS_PRAGMA(UNROLL)
			            // w[first + «engine.packing - 1»] x 2^(«engine.packing - 1» x «engine.fieldBits») + ... + w[first]: one operand
			            «p»_packed_t packed = 0;
			            for (int k = «packing» - 1; k >= 0; k--) {
			                const «p»_weight_t weight = first + k < «rows» ? «p»_weight_t(weights[(first + k) * LANES + n]) : «p»_weight_t(0);
			                packed = (packed << «engine.fieldBits») + weight;
			            }
			            «p»_packed_product_t product = packed * lanes[n];
			            HLS_PRAGMA(BIND_OP variable = product op = mul impl = dsp)
			            for (int k = 0; k < «packing»; k++) {
			                // the low «engine.productBits» bits, signed, are w[first + k] x lane, which fits them; the field above
			                // starts «engine.fieldBits» bits up once this one's sign is taken back (WP486's correction)
			                const «p»_product_t field = product;
			                sums[n < LANES / 2 ? 0 : 1][k] += field;
			                product = (product - field) >> «engine.fieldBits»;
			            }
			        }
			        for (int k = 0; k < «packing» && first + k < «rows»; k++) {
			            const «p»_acc_t sum = «p»_acc_t(sums[0][k]) + («p»_acc_t(sums[1][k]) << shift_t(halves ? ACTIVATION_BITS : 0));
			            acc[first + k] = (clear ? «p»_acc_t(0) : acc[first + k]) + (sum << shift);
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
				(n < LANES / 2 ? low : high) += product;
			'''
			case SchemeKind.POT: '''
				// code c != 0 weighs sign(c) x 2^(|c| - 1) (docs/export-format.md): the lane shifted, negated for c < 0
				const «p»_weight_t code = weights[m * LANES + n];
				const int magnitude = code < 0 ? int(-code) : int(code);
				const «p»_product_t shifted = «p»_product_t(lanes[n]) << static_cast<unsigned>(magnitude == 0 ? 0 : magnitude - 1);
				const «p»_product_t term = magnitude == 0 ? «p»_product_t(0) : code < 0 ? «p»_product_t(-shifted) : shifted;
				(n < LANES / 2 ? low : high) += term;
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
					(n < LANES / 2 ? low : high) += term;
				'''
			}
		}
	}
}
