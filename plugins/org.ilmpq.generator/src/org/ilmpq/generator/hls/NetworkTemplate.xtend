package org.ilmpq.generator.hls

import org.ilmpq.core.hardware.FabricCosts
import org.ilmpq.core.hardware.MemoryBandwidth
import org.ilmpq.core.integer.IntegerArithmetic
import org.ilmpq.core.model.Operation
import org.ilmpq.generator.hls.HlsNetwork.ConcatStep
import org.ilmpq.generator.hls.HlsNetwork.GlobalPoolStep
import org.ilmpq.generator.hls.HlsNetwork.PoolStep
import org.ilmpq.generator.hls.HlsNetwork.Port
import org.ilmpq.generator.hls.HlsNetwork.RescaleStep
import org.ilmpq.generator.hls.HlsNetwork.Step
import org.ilmpq.generator.hls.HlsNetwork.Tensor
import org.ilmpq.generator.hls.HlsNetwork.WeightStep

/**
 * {@code firmware/<network>.h} and {@code .cpp}: the top function with its AXI interfaces, the tables of the stored
 * tensors and of the steps' parameters, and one function per step, named after the spec's layer it computes,
 * called in the network's order.
 */
final class NetworkTemplate {

	val HlsNetwork design
	val String top

	new(HlsNetwork design) {
		this.design = design
		this.top = design.topFunction
	}

	def String header(String header) '''
		«header»
		//
		// Network «design.networkName» on «design.target.part» at «design.target.clockMhz.toPlainString» MHz: the top function «top» and
		// the tables a host (the test bench, a driver) needs to fill its ports and read them.
		#ifndef ILMPQ_NETWORK_H
		#define ILMPQ_NETWORK_H

		#include "engines.h"

		namespace ilmpq {
		namespace design {

		// Words of each port. Feature maps lie pixel by pixel (height, width), a pixel's channels packed from bit 0 of
		// its own words (docs/hls.md, "Memory").
		const long INPUT_WORDS = «design.inputTensor.words»;     // «design.inputTensor.name»: «design.inputTensor.shape», «design.inputTensor.format» codes
		const long OUTPUT_WORDS = «design.outputTensor.words»;    // «design.outputTensor.name»: «design.outputTensor.shape», «design.outputTensor.format» codes
		const long SCRATCH_WORDS = «design.scratchSize»;   // the stored tensors between them
		const long WEIGHTS_WORDS = «design.weightsSize»;
		const long PARAMS_WORDS = «design.paramsSize»;

		// The stored tensors, in the order they are written: name, the step that writes it, port, first word,
		// channels, height, width, code bits, signed, codes per word, words per pixel.
		const int TENSORS = «design.tensors.size»;
		const tensor_layout TENSOR[TENSORS] = {
		    «FOR tensor : design.tensors SEPARATOR ','»
		    	{"«tensor.name»", "«tensor.producer»", «port(tensor.port)», «tensor.offset», «tensor.shape.channels», «tensor.shape.height», «tensor.shape.width», «tensor.format.bits», «tensor.format.signed», «tensor.codesPerWord», «tensor.wordsPerPixel»}
		    «ENDFOR»
		};

		// The weight layers in the order the top function runs them.
		const int WEIGHT_LAYERS = «design.weightSteps.size»;
		const weight_layer_descriptor WEIGHT_LAYER[WEIGHT_LAYERS] = {
		    «FOR step : design.weightSteps SEPARATOR ','»
		    	«descriptor(step)»
		    «ENDFOR»
		};

		// The adds and activations of their own: z = sum of operand code x R, the code of z clamped. Their parameters:
		// the clamp (low: bits 0-15, high: 16-31), then each operand's multiplier R (bits 0-23).
		struct rescale_descriptor {
		    const char *name;
		    const char *kind; // add, relu or relu6
		    int operands;
		    int operand[«Math.max(1, design.rescaleSteps.map[operands.size].fold(1)[a, b|Math.max(a, b)])»]; // indices of the tensor table
		    int output;
		    long params_offset;
		};
		const int RESCALES = «design.rescaleSteps.size»;
		«IF design.rescaleSteps.empty»
			const rescale_descriptor *const RESCALE = 0;
		«ELSE»
			const rescale_descriptor RESCALE[RESCALES] = {
			    «FOR step : design.rescaleSteps SEPARATOR ','»
			    	{"«step.step.name»", "«step.kind»", «step.operands.size», {«step.operands.map[index].join(', ')»}, «step.output.index», «step.paramsOffset»}
			    «ENDFOR»
			};
		«ENDIF»

		} // namespace design
		} // namespace ilmpq

		// Runs the network on one sample: network_input's codes to network_output's (names that are no HDL keywords, so
		// that the RTL ports keep them), through the stored tensors in scratch, with the weights and params a host packed
		// from an export (see ilmpq_export.h in tb/).
		void «top»(const ilmpq::word_t network_input[ilmpq::design::INPUT_WORDS], ilmpq::word_t network_output[ilmpq::design::OUTPUT_WORDS],
		        ilmpq::word_t scratch[ilmpq::design::SCRATCH_WORDS], const ilmpq::word_t weights[ilmpq::design::WEIGHTS_WORDS],
		        const ilmpq::param_word_t params[ilmpq::design::PARAMS_WORDS]);

		#endif
	'''

	def private descriptor(WeightStep step) {
		val input = step.input
		val out = step.output
		val residual = step.residual
		'''
			{"«step.step.name»",
			 «shape(step)»,
			 {«step.rowsPerEngine.join(', ')»},
			 «step.specGroups», «step.weightsOffset», «step.weightsSize», «step.paramsOffset», «step.paramsSize», «input.index», «out.index», «IF residual.present»«residual.get.index»«ELSE»-1«ENDIF», «
			 IF step.flattens»«input.shape.channels», «input.shape.height», «input.shape.width»«ELSE»0, 0, 0«ENDIF»}
		'''
	}

	/** The initializer of a weight layer's {@code weight_layer_shape}, in the order the struct declares its fields. */
	def private shape(WeightStep step) {
		val input = step.input
		val out = step.output
		val conv = step.convolution
		val residual = step.residual
		// a linear layer reads its input as one pixel of all its codes: the words of a vector, or of a flattened map
		val inWords = if (step.conv) input.wordsPerPixel else input.words
		'''
			{«step.inChannels», «IF step.conv»«input.shape.height», «input.shape.width»«ELSE»1, 1«ENDIF», «inWords», «input.format.bits», «input.codesPerWordLog2», «input.format.signed», // input
			    «out.shape.channels», «out.shape.height», «out.shape.width», «out.wordsPerPixel», «out.format.bits», «out.codesPerWordLog2», // output
			    «IF conv.present»«conv.get.kernel.height», «conv.get.kernel.width», «conv.get.stride.height», «conv.get.stride.width», «conv.get.padding.height», «conv.get.padding.width», «conv.get.dilation.height», «conv.get.dilation.width»«ELSE»1, 1, 1, 1, 0, 0, 1, 1«ENDIF», // kernel, stride, padding, dilation
			    «step.groups», «step.lanesPerGroup», «step.laneGroups», «step.slices», «step.lanesPerValue», «step.passes», «step.columnsOnLanes», «step.onDepthwiseUnit», // groups, values per group, lane groups, slices, lanes per value, passes, kernel columns on the lanes, depthwise unit
			    «residual.present», «IF residual.present»«residual.get.wordsPerPixel», «residual.get.format.bits», «residual.get.codesPerWordLog2», «residual.get.format.signed»«ELSE»0, «design.maxCodeBits», 0, false«ENDIF», // residual
			    «step.tile» // output tile
			}'''
	}

	def private static port(Port port) {
		"ilmpq::PORT_" + port.name
	}

	def String source(String header) '''
		«header»
		#include "«top».h"

		// The steps, named after the spec's layers; everything of the runtime is named with ilmpq::, so that a layer
		// named like a runtime function or type cannot hide it.
		namespace layers {
		«FOR step : design.steps»

			«function(step)»
		«ENDFOR»

		} // namespace layers

		void «top»(const ilmpq::word_t network_input[ilmpq::design::INPUT_WORDS], ilmpq::word_t network_output[ilmpq::design::OUTPUT_WORDS],
		        ilmpq::word_t scratch[ilmpq::design::SCRATCH_WORDS], const ilmpq::word_t weights[ilmpq::design::WEIGHTS_WORDS],
		        const ilmpq::param_word_t params[ilmpq::design::PARAMS_WORDS]) {
		    // feature maps on one AXI master, weights on a second, the parameters on a third; control over AXI-Lite.
		    // Bursts of at most MAX_BURST_BEATS beats, as the hardware model charges them (DramBursts)
		    HLS_PRAGMA(INTERFACE m_axi port = network_input offset = slave bundle = features depth = «design.inputTensor.words» «bursts»)
		    HLS_PRAGMA(INTERFACE m_axi port = network_output offset = slave bundle = features depth = «design.outputTensor.words» «bursts»)
		    HLS_PRAGMA(INTERFACE m_axi port = scratch offset = slave bundle = features depth = «design.scratchSize» «bursts»)
		    HLS_PRAGMA(INTERFACE m_axi port = weights offset = slave bundle = weights depth = «design.weightsSize» «bursts»)
		    HLS_PRAGMA(INTERFACE m_axi port = params offset = slave bundle = params depth = «design.paramsSize» «bursts»)
		    HLS_PRAGMA(INTERFACE s_axilite port = return bundle = control)
		    // one set of engines for every layer: the point of ILMPQ's single ratio
		    HLS_PRAGMA(ALLOCATION function instances = weight_layer limit = 1)
		    «IF !design.usesScratch»
		    	(void)scratch; // one step: no tensor between steps
		    «ENDIF»
		    «IF design.rescaleSteps.empty && design.weightSteps.empty»
		    	(void)params;
		    «ENDIF»
		    «IF design.weightSteps.empty»
		    	(void)weights;
		    «ENDIF»
		    «FOR step : design.steps»
		    	ILMPQ_COUNTED_STEP("«step.step.name»");
		    	layers::«step.function»(«arguments(step)»);
		    «ENDFOR»
		}
	'''

	def private weightStepFunction(WeightStep step) {
		val conv = step.convolution
		'''
			// «step.step.name»: «IF conv.present»conv «step.inChannels» -> «step.outChannels», «conv.get.kernel.height» x «conv.get.kernel.width», stride «conv.get.stride.height» x «conv.get.stride.width», padding «conv.get.padding.height» x «conv.get.padding.width»«IF step.specGroups > 1», «step.specGroups» groups«IF step.groups != step.specGroups» («step.groups» on the lanes)«ENDIF»«ENDIF»«ELSE»linear «step.inChannels» -> «step.outChannels»«ENDIF»;
			// «step.input.name» («step.input.format») -> «step.output.name» («step.output.format»); rows «rowsPerEngine(step)»«IF !step.step.fused.empty»; fused: «step.step.fused.join(', ')»«ENDIF»
			static void «step.function»(const ilmpq::word_t *in, «IF step.residual.present»const ilmpq::word_t *residual, «ENDIF»ilmpq::word_t *out, const ilmpq::word_t *weights,
			        const ilmpq::param_word_t *params) {
			    HLS_PRAGMA(INLINE)
			    // the shape as WEIGHT_LAYER[«step.index»] gives it to the host: the one weight_layer's run-time inputs for this layer
			    const ilmpq::weight_layer_shape shape = «shape(step)»;
			    ilmpq::weight_layer(shape, in, «IF step.residual.present»residual«ELSE»in«ENDIF», out, weights + «step.weightsOffset», params + «step.paramsOffset»);
			}
		'''
	}

	def private rowsPerEngine(WeightStep step) {
		val parts = newArrayList
		for (var e = 0; e < design.engines.size; e++) {
			if (step.rowsPerEngine.get(e) > 0) {
				parts += step.rowsPerEngine.get(e) + " " + design.engines.get(e).scheme
			}
		}
		parts.join(', ')
	}

	def private poolStepFunction(PoolStep step) {
		val pool = step.step.pool
		val in = step.input
		val out = step.output
		val max = pool.kind == Operation.Pool2d.Kind.MAX
		val window = pool.kernel.height * pool.kernel.width
		val reciprocal = IntegerArithmetic.Reciprocal.of(window)
		val sumBits = in.format.bits + 1 + (if (max) 0 else FabricCosts.log2Ceil(window))
		'''
			// «step.step.name»: «pool.kind.name.toLowerCase» pooling «pool.kernel.height» x «pool.kernel.width», stride «pool.stride.height» x «pool.stride.width», padding «pool.padding.height» x «pool.padding.width»; «in.shape» -> «out.shape», «in.format» codes«IF !max»;
			// the mean: the window's sum x «reciprocal.mantissa» / 2^«reciprocal.shift»«ENDIF»
			struct «step.function»_config {
			    static const int bits = «in.format.bits», codes_per_word = «in.codesPerWord», sum_bits = «sumBits»;
			    static const bool is_signed = «in.format.signed», max = «max»;
			    static const int height = «in.shape.height», width = «in.shape.width», words_per_pixel = «in.wordsPerPixel»;
			    static const int out_height = «out.shape.height», out_width = «out.shape.width»;
			    static const int kernel_h = «pool.kernel.height», kernel_w = «pool.kernel.width», stride_h = «pool.stride.height», stride_w = «pool.stride.width», pad_h = «pool.padding.height», pad_w = «pool.padding.width»;
			    static const unsigned reciprocal = «reciprocal.mantissa»;
			    static const int shift = «reciprocal.shift», lowest = «out.format.lowest», highest = «out.format.levels»;
			};

			static void «step.function»(const ilmpq::word_t *in, ilmpq::word_t *out) {
			    HLS_PRAGMA(INLINE off)
			    ilmpq::pool_step<«step.function»_config>(in, out);
			}
		'''
	}

	def private globalPoolStepFunction(GlobalPoolStep step) {
		val in = step.input
		val area = in.shape.height * in.shape.width
		val reciprocal = IntegerArithmetic.Reciprocal.of(area)
		'''
			// «step.step.name»: global average pooling; «in.shape» -> «step.output.shape», «in.format» codes; the mean: the sum x «reciprocal.mantissa» / 2^«reciprocal.shift»
			struct «step.function»_config {
			    static const int bits = «in.format.bits», codes_per_word = «in.codesPerWord», sum_bits = «in.format.bits + 1 + FabricCosts.log2Ceil(area)»;
			    static const bool is_signed = «in.format.signed»;
			    static const int area = «area», words_per_pixel = «in.wordsPerPixel»;
			    static const unsigned reciprocal = «reciprocal.mantissa»;
			    static const int shift = «reciprocal.shift», lowest = «step.output.format.lowest», highest = «step.output.format.levels»;
			};

			static void «step.function»(const ilmpq::word_t *in, ilmpq::word_t *out) {
			    HLS_PRAGMA(INLINE off)
			    ilmpq::global_pool_step<«step.function»_config>(in, out);
			}
		'''
	}

	def private rescaleStepFunction(RescaleStep step) {
		val out = step.output
		val shape = out.shape
		'''
			// «step.step.name»: «IF step.kind == "add"»add of «step.operands.size» tensors«ELSE»«step.kind» of «step.operands.head.name»«ENDIF» of «shape» -> «out.format» codes: z = sum of code x R, the code of z clamped
			static void «step.function»(«FOR i : 0 ..< step.operands.size»const ilmpq::word_t *operand«i», «ENDFOR»ilmpq::word_t *out, const ilmpq::param_word_t *params) {
			    HLS_PRAGMA(INLINE off)
			    const ilmpq::param_word_t clamp = ilmpq::load(params, 0, ilmpq::TRAFFIC_PARAMETERS);
			    const int lowest = ilmpq::decode<16>(static_cast<unsigned>(ilmpq::bits_at<16>(clamp, 0)), true);
			    const int highest = ilmpq::decode<16>(static_cast<unsigned>(ilmpq::bits_at<16>(clamp, 16)), true);
			    «FOR i : 0 ..< step.operands.size»
			    	«val operand = step.operands.get(i)»
			    	const ilmpq::uint_t<«IntegerArithmetic.OPERAND_MULTIPLIER_BITS»> multiplier«i» = ilmpq::bits_at<«IntegerArithmetic.OPERAND_MULTIPLIER_BITS»>(ilmpq::load(params, «i + 1», ilmpq::TRAFFIC_PARAMETERS), 0);
			    	ilmpq::code_reader<«operand.format.bits», «operand.codesPerWord», ilmpq::word_t> in«i»(operand«i», «operand.shape.channels», «operand.format.signed»);
			    «ENDFOR»
			    ilmpq::code_writer<«out.format.bits», «out.codesPerWord», ilmpq::word_t> writer(out, «shape.channels»);
			    HLS_LABEL(codes)
			    for (long i = 0; i < «shape.elements»L; i++) {
			        HLS_PRAGMA(PIPELINE II = 1)
			        const ilmpq::sum_t z = «FOR i : 0 ..< step.operands.size SEPARATOR ' + '»ilmpq::sum_t(in«i».next()) * multiplier«i»«ENDFOR»;
			        writer.put(ilmpq::to_code(z, lowest, highest));
			    }
			}
		'''
	}

	def private concatStepFunction(ConcatStep step) {
		val out = step.output
		val channels = step.operands.map[shape.channels]
		'''
			// «step.step.name»: concat of «step.operands.size» tensors along channels; -> «out.shape», «out.format» codes (one scale: codes copied)
			static void «step.function»(«FOR i : 0 ..< step.operands.size»const ilmpq::word_t *operand«i», «ENDFOR»ilmpq::word_t *out) {
			    HLS_PRAGMA(INLINE off)
			    «FOR i : 0 ..< step.operands.size»
			    	«val operand = step.operands.get(i)»
			    	ilmpq::code_reader<«operand.format.bits», «operand.codesPerWord», ilmpq::word_t> in«i»(operand«i», «operand.shape.channels», «operand.format.signed»);
			    «ENDFOR»
			    ilmpq::code_writer<«out.format.bits», «out.codesPerWord», ilmpq::word_t> writer(out, «out.shape.channels»);
			    int channel = 0;
			    HLS_LABEL(codes)
			    for (long i = 0; i < «out.shape.elements»L; i++) {
			        HLS_PRAGMA(PIPELINE II = 1)
			        «FOR i : 0 ..< step.operands.size»
			        	«IF i > 0»else «ENDIF»«IF i < step.operands.size - 1»if (channel < «channels.take(i + 1).reduce[a, b|a + b]») «ENDIF»{
			        	    writer.put(in«i».next());
			        	}
			        «ENDFOR»
			        if (++channel == «out.shape.channels») {
			            channel = 0;
			        }
			    }
			}
		'''
	}

	def private function(Step step) {
		switch step {
			WeightStep: weightStepFunction(step)
			PoolStep: poolStepFunction(step)
			GlobalPoolStep: globalPoolStepFunction(step)
			RescaleStep: rescaleStepFunction(step)
			ConcatStep: concatStepFunction(step)
		}
	}

	def private arguments(Step step) {
		switch step {
			WeightStep: (#[step.input] + step.residual.map[#[it]].orElse(#[]) + #[step.output]).map[pointer].join(', ')
				+ ", weights, params"
			PoolStep: pointers(#[step.input, step.output])
			GlobalPoolStep: pointers(#[step.input, step.output])
			RescaleStep: pointers(step.operands + #[step.output]) + ", params + " + step.paramsOffset
			ConcatStep: pointers(step.operands + #[step.output])
		}
	}

	def private static pointers(Iterable<Tensor> tensors) {
		tensors.map[pointer].join(', ')
	}

	/** The burst lengths of every m_axi port: the hardware model's ({@link MemoryBandwidth#MAX_BURST_BEATS}). */
	def private bursts() {
		'''max_read_burst_length = «MemoryBandwidth.MAX_BURST_BEATS» max_write_burst_length = «MemoryBandwidth.MAX_BURST_BEATS»'''
	}
}
