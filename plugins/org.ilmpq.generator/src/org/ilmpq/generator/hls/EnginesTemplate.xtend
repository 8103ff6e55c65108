package org.ilmpq.generator.hls

import org.ilmpq.core.quant.SchemeKind
import org.ilmpq.generator.hls.HlsNetwork.Engine

/**
 * {@code firmware/engines.h} and {@code engines.cpp}: the engines of the design the hardware model sized, one per
 * scheme, each a rows x lanes array that every cycle multiplies (DSP slices) or shifts and adds (LUTs) one input
 * vector into its rows' accumulators; and {@code weight_layer}, the tiled loop nest (Zhang et al., FPGA 2015) that
 * every conv and linear layer runs on them, all engines reading the same input lanes at once.
 */
final class EnginesTemplate {

	val HlsNetwork design
	val String guard

	new(HlsNetwork design) {
		this.design = design
		this.guard = "ILMPQ_ENGINES_H"
	}

	def String header(String header) '''
		«header»
		//
		// The engines of the accelerator that the hardware model sized for «design.network.networkName» on «design.target.part»
		// at «design.target.clockMhz.toPlainString» MHz: the design `ilmpq report` shows. Every engine reads the same LANES input
		// channels per cycle and computes its ROWS output rows of one TILE x TILE output tile; each weight layer's rows
		// go to the engine of their scheme.
		#ifndef «guard»
		#define «guard»

		#include "ilmpq_layers.h"

		namespace ilmpq {

		const int LANES = «design.config.lanes»;              // Tn: input channels per cycle, shared by every engine
		const int TILE = «design.config.tile»;               // Tr = Tc: an output tile is at most TILE x TILE
		const int ACTIVATION_BITS = «design.activationBits»;     // the engines' activation width
		const int ENGINES = «design.engines.size»;
		const int WEIGHT_ROWS = «design.engines.map[rows].reduce[a, b|a + b]»;   // the engines' rows together: words of weights per kernel position

		// Buffers, sized for the largest layer: input values per channel of a tile (halo and padding included), outputs
		// per row of a tile.
		const int MAX_INPUT_TILE_AREA = «design.maxInputTileArea»;
		const int MAX_OUTPUT_TILE_AREA = «design.maxOutputTileArea»;

		// A lane: an activation code, or an ACTIVATION_BITS-wide slice of a wider input code (the network input's 8-bit
		// pixels go through in «design.weightSteps.map[passes].reduce[a, b | Math.max(a, b)]» passes, the lower slices unsigned, the top one signed: Stripes-style
		// bit-serial passes, docs/hardware-model.md).
		typedef int_t<ACTIVATION_BITS + 1> lane_t;
		typedef int_t<«design.maxInputBits + 1»> input_code_t;   // a whole input code, «design.maxInputBits» bits signed or unsigned
		typedef int_t<8> weight_code_t;    // a weight's code, one byte in DRAM
		typedef code_word<LANES> weight_word_t; // LANES codes of one row: one beat of the weights port
		typedef uint_t<16> row_index_t;    // an output channel in the rows table
		typedef uint_t<«shiftBits»> shift_t;        // a pass's shift: unsigned, so that a shifter shifts one way only

		// The engines' schemes, in the order of the rows table's counts (the test bench packs weights by it).
		const char *const ENGINE_KINDS[ENGINES] = {«design.engines.map['"' + scheme.kind.keyword + '"'].join(', ')»};
		const int ENGINE_BITS[ENGINES] = {«design.engines.map[scheme.bits].join(', ')»};
		const int ENGINE_ROWS[ENGINES] = {«design.engines.map[rows].join(', ')»};
		«FOR engine : design.engines»

			«engineDeclaration(engine)»
		«ENDFOR»

		// One weight layer's geometry; its tables come with it (see weight_layer).
		struct weight_layer_shape {
		    int in_channels, in_height, in_width;
		    int out_channels, out_height, out_width;
		    int kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
		    int groups;
		    bool input_signed;
		    int input_bits;
		    int passes;            // ceil(input_bits / ACTIVATION_BITS)
		    bool residual;         // a fused add: the residual operand is added before the activation
		    activation_t activation;
		};

		// Runs one conv or linear layer (a linear layer is a 1 x 1 convolution of a 1 x 1 map) on the engines:
		//   in        the layer's input feature map, quantized here to input_bits-wide codes as it is loaded;
		//   residual  the other operand of a fused add, read only when shape.residual (a layer without one passes
		//             in, so that every pointer refers to a port); out the result, after the fused activation;
		//   rows      the rows table: for each group, each engine's row count; then for each group and engine, its
		//             rows' output channels in ascending order;
		//   params    the input step S / L, then per row of the rows table its multiplier (STEP x S / L) and bias;
		//   weights   for each group and engine, for each row step of the engine (ceil(count / ROWS)), each lane group
		//             (ceil(in_channels / groups / LANES)) and each kernel position (row-major): ROWS words of LANES
		//             codes, zero where a row or lane is missing. Rows are grouped by scheme per tile, as FILM-QNN
		//             reorders them, so every engine streams only its own rows, one word per cycle.
		void weight_layer(weight_layer_shape shape, const real_t *in, const real_t *residual, real_t *out,
		                  const weight_word_t *weights, const row_index_t *rows, const real_t *params);

		// Where a feature map lives: one of the top function's ports.
		enum port_t { PORT_INPUT, PORT_OUTPUT, PORT_SCRATCH };

		// What the test bench (or a driver) needs to know of one weight layer: its name in the spec and the export, its
		// geometry, the spec's rows of each engine's scheme, where its tables lie in the weights, rows and params
		// ports, and where its input lies.
		struct weight_layer_descriptor {
		    const char *name;
		    weight_layer_shape shape;
		    long rows_per_engine[ENGINES];
		    long weights_offset, weights_size;
		    long rows_offset, rows_size;
		    long params_offset, params_size;
		    port_t input_port;
		    long input_offset;
		};

		} // namespace ilmpq

		#endif
	'''

	/**
	 * One cycle of loading the weights of kernel position {@code block} into buffer {@code buffer}: cycle t loads
	 * row t of the engines' rows one after the other (an engine whose rows of the group ran out loads nothing: what
	 * it computes is never stored).
	 */
	def private loadWeightRow(String block, String buffer) {
		val branches = newArrayList
		val before = newArrayList
		for (engine : design.engines) {
			val rows = engine.prefix.toUpperCase + "_ROWS"
			val offset = before.join(" + ")
			branches += "if (t < " + (before + #[rows]).join(" + ") + ") {\n    if (step < " + engine.prefix
				+ "_steps) {\n        load_weight_row<" + rows + ">(" + engine.prefix + "_blocks + (" + block + ") * "
				+ rows + ", t" + (if (before.empty) "" else " - (" + offset + ")") + ", " + engine.prefix + "_weights["
				+ buffer + "]);\n    }\n}"
			before += rows
		}
		branches.join(" else ")
	}

	/** The most cycles of one kernel position: all passes over the largest tile, or loading the next weights. */
	def private long pixelLoopTripCount() {
		val passes = design.weightSteps.map[it.passes].reduce[a, b|Math.max(a, b)]
		val weightRows = design.engines.map[rows].reduce[a, b|a + b]
		Math.max(design.maxOutputTileArea * passes, weightRows)
	}

	/** Bits of the largest shift, (passes - 1) x the activation width. */
	def private shiftBits() {
		val largest = (design.weightSteps.map[passes].reduce[a, b|Math.max(a, b)] - 1) * design.activationBits
		Math.max(1, Integer.SIZE - Integer.numberOfLeadingZeros(largest))
	}

	def private engineDeclaration(Engine engine) '''
		// «engine.scheme»: «engine.rows» rows on «IF engine.config.onDsp»DSP slices«IF engine.config.packing.packs», «engine.config.packing.productsPerDsp» products per slice in the hardware model«ENDIF»«ELSE»LUTs, shifts and adds«ENDIF».
		// Widths: a product of a lane and the largest weight needs «engine.productBits» bits, a sum over LANES lanes «engine.sumBits»; the
		// accumulator holds fan-in x largest input x largest weight = «engine.largestAccumulator» (the largest layer) in «engine.accumulatorBits»
		// bits, so it cannot overflow.
		const int «engine.prefix.toUpperCase»_ROWS = «engine.rows»;
		typedef int_t<«engine.weightBits»> «engine.prefix»_weight_t;
		typedef int_t<«engine.productBits»> «engine.prefix»_product_t;
		typedef int_t<«engine.sumBits»> «engine.prefix»_sum_t;
		typedef int_t<«engine.accumulatorBits»> «engine.prefix»_acc_t;
		«IF engine.packing > 1»
			// «engine.packing» rows' weights share one multiplier, «engine.productBits» bits apart: «engine.packedBits» bits within the DSP's «design.target.part.device.dspType.aBits»-bit A input«IF engine.packing < engine.config.packing.productsPerDsp»
			// (the hardware model counts «engine.config.packing.productsPerDsp», FINN's packing with accumulation inside the slice; exact
			// products per cycle fit «engine.packing»)«ENDIF»
			const int «engine.prefix.toUpperCase»_PACKING = «engine.packing»;
			typedef int_t<«engine.packedBits»> «engine.prefix»_packed_t;
			typedef int_t<«engine.packedBits + design.activationBits + 1»> «engine.prefix»_packed_product_t;
		«ENDIF»
		void «engine.prefix»_engine(const weight_code_t weights[«engine.prefix.toUpperCase»_ROWS][LANES], const lane_t lanes[LANES], shift_t shift,
		        «engine.prefix»_acc_t acc[«engine.prefix.toUpperCase»_ROWS]);
	'''

	def String source(String header) '''
		«header»
		#include "engines.h"

		namespace ilmpq {
		«FOR engine : design.engines»

			«engineDefinition(engine)»
		«ENDFOR»

		// Where the next value of an input tile goes: its lane (the channel of the group), its place in the tile.
		struct tile_cursor {
		    int channel, y, x, index;
		};

		// One value of an input tile, quantized to its code as it arrives (zero outside the map or past the group's
		// channels); the cursor moves to the next: along the row, down the tile, then to the next channel.
		static void load_input_value(const weight_layer_shape &shape, const real_t *in, int group_channel, int ty, int tx,
		                             int in_tile_w, int tile_area, real_t input_step, long long lowest, long long levels,
		                             tile_cursor &cursor, input_code_t tile[LANES][MAX_INPUT_TILE_AREA]) {
		    HLS_PRAGMA(INLINE)
		    const int in_per_group = shape.in_channels / shape.groups;
		    const int iy = ty * shape.stride_h - shape.pad_h + cursor.y;
		    const int ix = tx * shape.stride_w - shape.pad_w + cursor.x;
		    const bool inside = cursor.channel < in_per_group && iy >= 0 && iy < shape.in_height && ix >= 0 && ix < shape.in_width;
		    tile[cursor.channel % LANES][cursor.index] =
		        inside ? input_code_t(quantize(in[((group_channel + cursor.channel) * shape.in_height + iy) * shape.in_width + ix],
		                                       input_step, lowest, levels))
		               : input_code_t(0);
		    if (++cursor.index == tile_area) {
		        cursor.index = 0;
		        cursor.y = 0;
		        cursor.x = 0;
		        cursor.channel++;
		    } else if (++cursor.x == in_tile_w) {
		        cursor.x = 0;
		        cursor.y++;
		    }
		}

		// Row m of an engine's ROWS x LANES weights of one kernel position: one word of LANES codes, one cycle.
		template <int ROWS>
		static void load_weight_row(const weight_word_t *block, int m, weight_code_t weights[ROWS][LANES]) {
		    HLS_PRAGMA(INLINE)
		    const weight_word_t word = block[m];
		    for (int n = 0; n < LANES; n++) {
		        weights[m][n] = word.code(n);
		    }
		}

		// The output stage of an engine's rows in one row step: acc x (STEP x S / L) + BIAS, the fused residual add
		// and activation, written to each row's output channel.
		template <int ROWS, typename ACC>
		static void store_rows(const ACC acc[MAX_OUTPUT_TILE_AREA][ROWS], int rows, const row_index_t *channels,
		                       const real_t *params, const weight_layer_shape &shape, int ty, int tx, int tile_w, int pixels,
		                       const real_t *residual, real_t *out) {
		    HLS_PRAGMA(INLINE)
		    HLS_LABEL(store_rows)
		    for (int m = 0; m < rows; m++) {
		        const int channel = channels[m];
		        const real_t multiplier = params[2 * m];
		        const real_t bias = params[2 * m + 1];
		        int oy = 0;
		        int ox = 0;
		        HLS_LABEL(store_pixels)
		        for (int p = 0; p < pixels; p++) {
		            HLS_PRAGMA(PIPELINE II = 1)
		            HLS_PRAGMA(LOOP_TRIPCOUNT min = 1 max = MAX_OUTPUT_TILE_AREA)
		            const int index = (channel * shape.out_height + ty + oy) * shape.out_width + tx + ox;
		            real_t y = real_t(acc[p][m].to_int64()) * multiplier + bias;
		            if (shape.residual) {
		                y += residual[index];
		            }
		            out[index] = activate(y, shape.activation);
		            if (++ox == tile_w) {
		                ox = 0;
		                oy++;
		            }
		        }
		    }
		}

		// Row steps of an engine over count rows, and the rows of one step.
		static int row_steps(int count, int engine_rows) {
		    return (count + engine_rows - 1) / engine_rows;
		}

		static int rows_in_step(int count, int step, int engine_rows) {
		    int left = count - step * engine_rows;
		    return left < 0 ? 0 : left > engine_rows ? engine_rows : left;
		}

		// The loop nest of Zhang et al. (FPGA 2015) as FILM-QNN runs it on several engines: per output tile, per row step
		// (every engine takes its next ROWS rows of the group), per lane group (LANES input channels, loaded and
		// quantized once for all engines) and kernel position, one pipelined pass over the tile's pixels in which every
		// engine multiplies-accumulates ROWS x LANES products per cycle. Pixels innermost: consecutive iterations update
		// different accumulators, so the accumulation carries no dependence from one cycle to the next.
		void weight_layer(weight_layer_shape shape, const real_t *in, const real_t *residual, real_t *out,
		                  const weight_word_t *weights, const row_index_t *rows, const real_t *params) {
		    HLS_PRAGMA(INLINE off)
		    const int in_per_group = shape.in_channels / shape.groups;
		    const int lane_groups = (in_per_group + LANES - 1) / LANES;
		    const int kernel_area = shape.kernel_h * shape.kernel_w;
		    const long long levels = shape.input_signed ? (1LL << (shape.input_bits - 1)) - 1 : (1LL << shape.input_bits) - 1;
		    const long long lowest = shape.input_signed ? -levels : 0;
		    const real_t input_step = params[0];

		    input_code_t input_tile[2][LANES][MAX_INPUT_TILE_AREA];
		    HLS_PRAGMA(ARRAY_PARTITION variable = input_tile dim = 1 complete)
		    HLS_PRAGMA(ARRAY_PARTITION variable = input_tile dim = 2 complete)
		    «FOR engine : design.engines»
		    	weight_code_t «engine.prefix»_weights[2][«engine.prefix.toUpperCase»_ROWS][LANES];
		    	HLS_PRAGMA(ARRAY_PARTITION variable = «engine.prefix»_weights dim = 0 complete)
		    	«engine.prefix»_acc_t «engine.prefix»_acc[MAX_OUTPUT_TILE_AREA][«engine.prefix.toUpperCase»_ROWS];
		    	HLS_PRAGMA(ARRAY_PARTITION variable = «engine.prefix»_acc dim = 2 complete)
		    «ENDFOR»

		    const row_index_t *channels = rows + shape.groups * ENGINES;
		    const real_t *row_params = params + 1;
		    const weight_word_t *group_weights = weights;
		    HLS_LABEL(groups)
		    for (int g = 0; g < shape.groups; g++) {
		        «FOR engine : design.engines»
		        	const int «engine.prefix»_count = rows[g * ENGINES + «design.engines.indexOf(engine)»];
		        	const int «engine.prefix»_steps = row_steps(«engine.prefix»_count, «engine.prefix.toUpperCase»_ROWS);
		        «ENDFOR»
		        int steps = 0;
		        «FOR engine : design.engines»
		        	steps = «engine.prefix»_steps > steps ? «engine.prefix»_steps : steps;
		        «ENDFOR»
		        «FOR engine : design.engines»
		        	«val previous = design.engines.takeWhile[it !== engine].lastOrNull»
		        	const weight_word_t *«engine.prefix»_blocks = «IF previous === null»group_weights«ELSE»«previous.prefix»_blocks + «previous.prefix»_steps * lane_groups * kernel_area * «previous.prefix.toUpperCase»_ROWS«ENDIF»;
		        	const row_index_t *«engine.prefix»_channels = «IF previous === null»channels«ELSE»«previous.prefix»_channels + «previous.prefix»_count«ENDIF»;
		        	const real_t *«engine.prefix»_params = «IF previous === null»row_params«ELSE»«previous.prefix»_params + 2 * «previous.prefix»_count«ENDIF»;
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
		                HLS_LABEL(row_steps)
		                for (int step = 0; step < steps; step++) {
		                    «FOR engine : design.engines»
		                    	const int «engine.prefix»_rows = rows_in_step(«engine.prefix»_count, step, «engine.prefix.toUpperCase»_ROWS);
		                    «ENDFOR»
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
		                    // other buffer, a value per cycle, while the engines compute with this one (ping-pong)
		                    const int tile_values = LANES * in_tile_h * in_tile_w;
		                    tile_cursor first_tile = {0, 0, 0, 0};
		                    HLS_LABEL(load_first_input)
		                    for (int v = 0; v < tile_values; v++) {
		                        HLS_PRAGMA(PIPELINE II = 1)
		                        load_input_value(shape, in, g * in_per_group, ty, tx, in_tile_w, in_tile_h * in_tile_w, input_step,
		                                         lowest, levels, first_tile, input_tile[0]);
		                    }
		                    HLS_LABEL(lane_groups)
		                    for (int lane_group = 0; lane_group < lane_groups; lane_group++) {
		                        const int current_input = lane_group & 1;
		                        const bool more_input = lane_group + 1 < lane_groups;
		                        tile_cursor next_tile = {(lane_group + 1) * LANES, 0, 0, 0};
		                        int loaded = 0;
		                        // the weights of the first kernel position into buffer 0; each later position's go into the
		                        // other buffer while the engines compute with this one (ping-pong), so that a position costs
		                        // max(passes x pixels, WEIGHT_ROWS) cycles rather than their sum
		                        const int first_block = (step * lane_groups + lane_group) * kernel_area;
		                        HLS_LABEL(load_first_weights)
		                        for (int t = 0; t < WEIGHT_ROWS; t++) {
		                            HLS_PRAGMA(PIPELINE II = 1)
		                            «loadWeightRow("first_block", "0")»
		                        }
		                        int ky = 0;
		                        int kx = 0;
		                        HLS_LABEL(kernel)
		                        for (int k = 0; k < kernel_area; k++) {
		                            const int current = k & 1;
		                            const bool more = k + 1 < kernel_area;
		                            const int computing = shape.passes * pixels;
		                            const int cycles = more && WEIGHT_ROWS > computing ? WEIGHT_ROWS : computing;
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
		                                if (more && t < WEIGHT_ROWS) {
		                                    «loadWeightRow("first_block + k + 1", "1 - current")»
		                                }
		                                if (more_input && loaded < tile_values) {
		                                    load_input_value(shape, in, g * in_per_group, ty, tx, in_tile_w, in_tile_h * in_tile_w, input_step,
		                                                     lowest, levels, next_tile, input_tile[1 - current_input]);
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
		                        for (; more_input && loaded < tile_values; loaded++) {
		                            HLS_PRAGMA(PIPELINE II = 1)
		                            load_input_value(shape, in, g * in_per_group, ty, tx, in_tile_w, in_tile_h * in_tile_w, input_step,
		                                             lowest, levels, next_tile, input_tile[1 - current_input]);
		                        }
		                    }
		                    «FOR engine : design.engines»
		                    	store_rows<«engine.prefix.toUpperCase»_ROWS>(«engine.prefix»_acc, «engine.prefix»_rows, «engine.prefix»_channels + step * «engine.prefix.toUpperCase»_ROWS,
		                    	        «engine.prefix»_params + 2 * step * «engine.prefix.toUpperCase»_ROWS, shape, ty, tx, tile_w, pixels, residual, out);
		                    «ENDFOR»
		                }
		            }
		        }
		        «val last = design.engines.last»
		        group_weights = «last.prefix»_blocks + «last.prefix»_steps * lane_groups * kernel_area * «last.prefix.toUpperCase»_ROWS;
		        channels = «last.prefix»_channels + «last.prefix»_count;
		        row_params = «last.prefix»_params + 2 * «last.prefix»_count;
		    }
		}

		} // namespace ilmpq
	'''

	def private engineDefinition(Engine engine) {
		val p = engine.prefix
		val rows = p.toUpperCase + "_ROWS"
		if (engine.packing > 1) return packedEngineDefinition(engine)
		'''
			// «engine.scheme»: «IF engine.config.onDsp»products on DSP slices«ELSE»sign, shift and add on LUTs: no multiplier«ENDIF». Inlined into the pixel loop, whose
			// pipeline it joins: ROWS x LANES terms per cycle, an adder tree per row.
			void «p»_engine(const weight_code_t weights[«rows»][LANES], const lane_t lanes[LANES], shift_t shift,
			        «p»_acc_t acc[«rows»]) {
			    HLS_PRAGMA(INLINE)
			    HLS_LABEL(«p»_rows)
			    for (int m = 0; m < «rows»; m++) {
			        HLS_PRAGMA(UNROLL)
			        «p»_sum_t sum = 0;
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
			void «p»_engine(const weight_code_t weights[«rows»][LANES], const lane_t lanes[LANES], shift_t shift,
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
			                const «p»_weight_t weight = first + k < «rows» ? «p»_weight_t(weights[first + k][n]) : «p»_weight_t(0);
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
				const «p»_product_t product = «p»_weight_t(weights[m][n]) * lanes[n];
				HLS_PRAGMA(BIND_OP variable = product op = mul impl = dsp)
				sum += product;
			'''
			case SchemeKind.POT: '''
				// code c != 0 weighs sign(c) x 2^(|c| - 1) (docs/export-format.md): the lane shifted, negated for c < 0
				const «p»_weight_t code = weights[m][n];
				const int magnitude = code < 0 ? int(-code) : int(code);
				const «p»_product_t shifted = «p»_product_t(lanes[n]) << static_cast<unsigned>(magnitude == 0 ? 0 : magnitude - 1);
				const «p»_product_t term = magnitude == 0 ? «p»_product_t(0) : code < 0 ? «p»_product_t(-shifted) : shifted;
				HLS_PRAGMA(BIND_OP variable = sum op = add impl = fabric)
				sum += term;
			'''
			case SchemeKind.SP2: {
				val m1 = engine.scheme.bits / 2
				val m2 = engine.scheme.bits - 1 - m1
				val top = (1 << m1) - 1
				'''
					// |c| = i1 x 2^«m2» + i2 weighs q(i1) + q(i2), q(i) = 2^(«top» - i) for i > 0, 0 for i = 0
					// (docs/export-format.md): two shifts and an add, negated for c < 0
					const «p»_weight_t code = weights[m][n];
					const int magnitude = code < 0 ? int(-code) : int(code);
					const int first = magnitude >> «m2»;
					const int second = magnitude & «(1 << m2) - 1»;
					const «p»_product_t lane = lanes[n];
					const «p»_product_t both = (first == 0 ? «p»_product_t(0) : «p»_product_t(lane << static_cast<unsigned>(«top» - first)))
					                           + (second == 0 ? «p»_product_t(0) : «p»_product_t(lane << static_cast<unsigned>(«top» - second)));
					const «p»_product_t term = code < 0 ? «p»_product_t(-both) : both;
					HLS_PRAGMA(BIND_OP variable = sum op = add impl = fabric)
					sum += term;
				'''
			}
		}
	}
}
