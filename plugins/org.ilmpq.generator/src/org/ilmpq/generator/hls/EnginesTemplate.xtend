package org.ilmpq.generator.hls

import org.ilmpq.core.hardware.DepthwiseUnit
import org.ilmpq.core.hardware.LoopNestSchedule
import org.ilmpq.core.hardware.MemoryBandwidth
import org.ilmpq.core.integer.CodeFormat
import org.ilmpq.core.integer.IntegerArithmetic
import org.ilmpq.core.quant.SchemeKind
import org.ilmpq.generator.hls.HlsNetwork.Engine

/**
 * {@code firmware/engines.h} and {@code engines.cpp}: the design the hardware model sized, as hls4ml writes a
 * network: the numbers of the design (lanes, tile, buffers, widths) and one config struct per engine, which the
 * static templates of the runtime headers take. {@code ilmpq_engines.h} has the engines' datapaths (each a rows x
 * lanes array that every cycle multiplies on DSP slices, or shifts and adds on LUTs, one input vector into its rows'
 * accumulators) and the depthwise unit's; {@code ilmpq_loop_nest.h} has the tiled loop nest (Zhang et al., FPGA
 * 2015) that every conv and linear layer runs on them, ending in the integer requantization of every output row.
 * What this template writes beyond the numbers is what varies with the design's code widths. Integers only.
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
		// What takes a group's rows: the engines, and the depthwise unit where a layer runs on it (see dw_config).
		const bool DEPTHWISE_UNIT = «design.depthwiseUnit.present»;
		#define ILMPQ_DEPTHWISE_UNIT «IF design.depthwiseUnit.present»1«ELSE»0«ENDIF»
		const int UNITS = ENGINES«IF design.depthwiseUnit.present» + 1«ENDIF»;
		const int DW_WINDOW = «DepthwiseUnit.WINDOW»;
		const int DW_TAPS = DW_WINDOW * DW_WINDOW;
		const int DW_WEIGHT_BITS = «DepthwiseUnit.WEIGHT_BITS»;
		const int DW_CODES_PER_WORD = «CodeFormat.codesPerWord(DepthwiseUnit.WEIGHT_BITS, design.wordBits)»;
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
		// The most trips of a row step's loop, for LOOP_TRIPCOUNT (HlsNetwork.stepTripCount): not a figure of the model.
		const long STEP_TRIP_COUNT = «design.stepTripCount»;

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
		typedef uint_t<«design.shiftBits»> shift_t;        // a slice's shift: unsigned, so that a shifter shifts one way only
		// The requantization sum z (docs/quantization.md): the accumulator times a «IntegerArithmetic.MULTIPLIER_BITS»-bit multiplier, shifted, plus a
		// «IntegerArithmetic.BIAS_BITS»-bit bias and a residual code times a «IntegerArithmetic.OPERAND_MULTIPLIER_BITS»-bit multiplier, and a carry.
		typedef int_t<«design.sumBits»> sum_t;

		// The engines' schemes, in the order of a group's row counts (the test bench packs weights by it).
		const char *const ENGINE_KINDS[ENGINES] = {«design.engines.map['"' + scheme.kind.keyword + '"'].join(', ')»};
		const int ENGINE_BITS[ENGINES] = {«design.engines.map[scheme.bits].join(', ')»};
		const int ENGINE_ROWS[ENGINES] = {«design.engines.map[rows].join(', ')»};
		const int ENGINE_CODES_PER_WORD[ENGINES] = {«design.engines.map[codesPerWord].join(', ')»};

		// An engine's datapath and the scheme of its codes (ilmpq_engines.h).
		enum datapath_kind { LUT_SHIFT_ADD, DSP_PRODUCTS, DSP_PACKED };
		enum code_scheme { FIXED_CODE, POT_CODE, SP2_CODE };
		«FOR engine : design.engines»

			«engineConfig(engine)»
		«ENDFOR»
		«IF design.depthwiseUnit.present»

			«depthwiseConfig(design.depthwiseUnit.get)»
		«ENDIF»

		// The units in the order of a group's row counts, for the loop nest's code of each (ilmpq_loop_nest.h).
		#define ILMPQ_EACH_ENGINE(UNIT) «design.engines.map['UNIT(' + prefix + ')'].join(' ')»
		#define ILMPQ_EACH_UNIT(UNIT) ILMPQ_EACH_ENGINE(UNIT)«IF design.depthwiseUnit.present» UNIT(dw)«ENDIF»

		} // namespace ilmpq

		#include "ilmpq_weight_layer.h"

		#endif
	'''

	def private engineConfig(Engine engine) '''
		// «engine.scheme»: «engine.rows» rows on «IF engine.config.onDsp»DSP slices«IF engine.config.packing.packs», «engine.config.packing.productsPerDsp» products per slice in the hardware model«ENDIF»«ELSE»LUTs, shifts and adds«ENDIF».
		// Widths: a product of a lane and the largest weight needs «engine.productBits» bits, a sum over LANES lanes «engine.sumBits»; the
		// accumulator holds fan-in x largest input x largest weight = «engine.largestAccumulator» (the largest layer) in «engine.accumulatorBits»
		// bits, so it cannot overflow. Its weights of one kernel position: «engine.rows» x LANES codes of «engine.weightBits» bits, «engine.codesPerWord» a word,
		// in «engine.blockWords» words for a full row step (a step of fewer rows in fewer: its rows' codes only).
		«IF engine.packing > 1»
			// «engine.packing» rows' weights share one multiplier, «engine.fieldBits» bits apart: «engine.packedBits» bits within the DSP's «design.target.part.device.dspType.aBits»-bit A input
			// (the hardware model's DspPacking: «engine.packing» products per slice).
		«ENDIF»
		struct «engine.prefix»_config {
		    static const int INDEX = «design.engines.indexOf(engine)»;
		    static const bool DEPTHWISE = false;
		    static const datapath_kind DATAPATH = «IF !engine.config.onDsp»LUT_SHIFT_ADD«ELSEIF engine.packing > 1»DSP_PACKED«ELSE»DSP_PRODUCTS«ENDIF»;
		    static const code_scheme KIND = «switch engine.scheme.kind { case SchemeKind.FIXED: 'FIXED_CODE' case SchemeKind.POT: 'POT_CODE' default: 'SP2_CODE' }»;
		    «unitSizes(engine, "LANES")»
		    typedef int_t<«engine.weightBits»> weight_t;
		    typedef int_t<«engine.productBits»> product_t;
		    typedef int_t<«engine.sumBits»> sum_t;
		    typedef int_t<«engine.accumulatorBits»> acc_t;
		    «IF engine.packing > 1»
		    	static const int PACKING = «engine.packing»;
		    	static const int FIELD_BITS = «engine.fieldBits»;
		    	typedef int_t<«engine.packedBits»> packed_t;
		    	typedef int_t<«engine.packedBits + design.activationBits + 1»> packed_product_t;
		    «ENDIF»
		};
	'''

	def private depthwiseConfig(Engine unit) '''
		// The depthwise unit (docs/hardware-model.md, "Depthwise unit"): a depthwise layer's group of channels on the
		// lanes, lane n its own channel, with a window of DW_WINDOW x DW_WINDOW input codes sliding over its input tile,
		// DW_LINES line buffers of the rows above the current one, DW_LINE_DEPTH codes in each of their two memories
		// (the even and the odd columns: an input tile row of «design.depthwiseLineWidth» codes at most), and DW_TAPS
		// multipliers on LUTs by that channel's integer weights (of DW_WEIGHT_BITS bits, whatever its scheme). Widths: a
		// product needs «unit.productBits» bits, a sum of DW_TAPS products «unit.sumBits», which holds fan-in x largest input x largest weight
		// = «unit.largestAccumulator». Its weights: LANES x DW_TAPS codes, «unit.codesPerWord» a word, in «unit.blockWords» words for a group of LANES channels.
		const int DW_LINES = «DepthwiseUnit.LINES»;
		const int DW_LINE_DEPTH = «(design.depthwiseLineWidth + 1) / 2»;
		struct dw_config {
		    static const int INDEX = ENGINES;
		    static const bool DEPTHWISE = true;
		    «unitSizes(unit, "DW_TAPS")»
		    typedef int_t<DW_WEIGHT_BITS> weight_t;
		    typedef int_t<«unit.productBits»> product_t;
		    typedef int_t<«unit.sumBits»> sum_t;
		    typedef int_t<«unit.accumulatorBits»> acc_t;
		};
	'''

	/** A unit's rows and the sizes of its weights of one kernel position: ROWS x CODES_PER_ROW codes. */
	def private unitSizes(Engine unit, String codesPerRow) '''
		static const int ROWS = «IF unit === design.depthwiseUnit.orElse(null)»LANES«ELSE»«unit.rows»«ENDIF»;
		static const int BITS = «unit.weightBits»;
		static const int CODES_PER_ROW = «codesPerRow»;
		static const int WEIGHT_CODES = ROWS * CODES_PER_ROW;
		static const int CODES_PER_WORD = «unit.codesPerWord»;
		static const int CODES_LOG2 = «Integer.numberOfTrailingZeros(unit.codesPerWord)»;
	'''

	def String source(String header) '''
		«header»
		#include "engines.h"
		#include "ilmpq_tiles.h"
		#include "ilmpq_engines.h"
		#include "ilmpq_loop_nest.h"

		namespace ilmpq {

		// What weight_layer does by the code widths of the design's layers: one datapath per width a layer reads or
		// writes, each instantiated for its codes per word (compile-time constants: every field a fixed part-select).
		struct code_widths {
		    // One word of an input tile: load_input_word, or for a layer with its kernel columns on the lanes
		    // load_unrolled_input_word.
		    static void load_input(const weight_layer_shape &shape, const word_t *in, const lane_group_input &group,
		                           const input_window &window, tile_cursor &cursor, input_code_t tile[LANES][MAX_INPUT_TILE_AREA]) {
		        HLS_PRAGMA(INLINE)
		        «IF design.weightSteps.exists[columnsOnLanes > 1]»
		        	if (shape.unroll > 1) {
		        	    «byWidth("shape.in_bits", design.weightSteps.filter[columnsOnLanes > 1].map[input.format.bits], '''load_unrolled_input_word<%BITS%, %P%>(shape, in, group, window.ty, window.tx, window.in_tile_w, window.lane_tile_w, cursor, tile);''')»
		        	    return;
		        	}
		        «ENDIF»
		        «byWidth("shape.in_bits", design.weightSteps.map[input.format.bits], '''load_input_word<%BITS%, %P%>(shape, in, group.first, group.used, group.first_word, group.words, window.ty, window.tx, window.in_tile_w, cursor, tile);''')»
		    }

		    // Word `index` of a pixel of the output tile, from the banks.
		    static word_t pack_output(const weight_layer_shape &shape, const tile_code_t tile[TILE_BANK_GROUPS][OUTPUT_LANES][OUTPUT_TILE_DEPTH],
		                              int place, int index) {
		        HLS_PRAGMA(INLINE)
		        word_t word = 0;
		        «byWidth("shape.out_bits", design.weightSteps.map[output.format.bits], '''word = pack_tile_word<%BITS%, %P%>(tile, place, index * %P%, shape.out_channels);''')»
		        return word;
		    }

		    // A word of a fused add's residual operand into the banks.
		    static void unpack_residual(const weight_layer_shape &shape, const word_t &word, int place,
		                                tile_code_t tile[TILE_BANK_GROUPS][OUTPUT_LANES][RESIDUAL_TILE_DEPTH]) {
		        HLS_PRAGMA(INLINE)
		        «IF design.residualTile.banks > 0»
		        	«byWidth("shape.residual_bits", design.weightSteps.filter[residual.present].map[residual.get.format.bits], '''unpack_tile_word<%BITS%, %P%>(word, shape.residual_signed, place, tile);''')»
		        «ELSE»
		        	(void)shape, (void)word, (void)place, (void)tile; // no layer of this design has a fused add
		        «ENDIF»
		    }
		};

		void weight_layer(weight_layer_shape shape, const word_t *in, const word_t *residual, word_t *out,
		                  const word_t *weights, const param_word_t *params) {
		    HLS_PRAGMA(INLINE off)
		    run_weight_layer<code_widths>(shape, in, residual, out, weights, params);
		}

		} // namespace ilmpq
	'''

	/**
	 * A call for one of the code widths a value can take at run time: a switch over the design's widths, each case
	 * instantiating the template for its width and codes per word. The one width of a design is a plain call.
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
			Integer.toString(CodeFormat.codesPerWord(bits, design.wordBits)))
	}
}
