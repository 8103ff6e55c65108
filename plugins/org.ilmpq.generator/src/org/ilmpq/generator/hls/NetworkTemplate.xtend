package org.ilmpq.generator.hls

import org.ilmpq.core.model.Operation
import org.ilmpq.generator.hls.HlsNetwork.ActivationStep
import org.ilmpq.generator.hls.HlsNetwork.AddStep
import org.ilmpq.generator.hls.HlsNetwork.Buffer
import org.ilmpq.generator.hls.HlsNetwork.ConcatStep
import org.ilmpq.generator.hls.HlsNetwork.GlobalPoolStep
import org.ilmpq.generator.hls.HlsNetwork.PoolStep
import org.ilmpq.generator.hls.HlsNetwork.Port
import org.ilmpq.generator.hls.HlsNetwork.Step
import org.ilmpq.generator.hls.HlsNetwork.WeightStep

/**
 * {@code firmware/<network>.h} and {@code .cpp}: the top function with its AXI interfaces, and one function per
 * step, named after the spec's layer it computes, called in the network's order.
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
		// Network «design.network.networkName» on «design.target.part» at «design.target.clockMhz.toPlainString» MHz: the top function «top» and
		// the tables a host (the test bench, a driver) needs to fill its ports.
		#ifndef ILMPQ_NETWORK_H
		#define ILMPQ_NETWORK_H

		#include "engines.h"

		namespace ilmpq {
		namespace design {

		// Values each port holds: feature maps are channels x height x width, row-major.
		const long INPUT_SIZE = «design.inputBuffer.shape.elements»;     // «design.network.inputs.head.name»: «design.inputBuffer.shape»
		const long OUTPUT_SIZE = «design.outputBuffer.shape.elements»;    // «design.network.output»: «design.outputBuffer.shape»
		const long SCRATCH_SIZE = «design.scratchSize»;   // the feature maps between the layers
		const long WEIGHTS_SIZE = «design.weightsSize»;    // words of LANES codes
		const long ROWS_SIZE = «design.rowsSize»;
		const long PARAMS_SIZE = «design.paramsSize»;

		// The weight layers in the order the top function runs them.
		const int WEIGHT_LAYERS = «design.weightSteps.size»;
		const weight_layer_descriptor WEIGHT_LAYER[WEIGHT_LAYERS] = {
		    «FOR step : design.weightSteps SEPARATOR ','»
		    	«descriptor(step)»
		    «ENDFOR»
		};

		} // namespace design
		} // namespace ilmpq

		// Runs the network on one sample: network_input to network_output (names that are no HDL keywords, so that the
		// RTL ports keep them), through the feature maps in scratch, with the weights, rows
		// and params tables a host packed from an export (see ilmpq_export.h in tb/).
		void «top»(const ilmpq::real_t network_input[ilmpq::design::INPUT_SIZE], ilmpq::real_t network_output[ilmpq::design::OUTPUT_SIZE],
		        ilmpq::real_t scratch[ilmpq::design::SCRATCH_SIZE], const ilmpq::weight_word_t weights[ilmpq::design::WEIGHTS_SIZE],
		        const ilmpq::row_index_t rows[ilmpq::design::ROWS_SIZE], const ilmpq::real_t params[ilmpq::design::PARAMS_SIZE]);

		#endif
	'''

	def private descriptor(WeightStep step) {
		val in = step.input.shape
		val out = step.facts.output
		val conv = step.convolution
		'''
			{"«step.specName»",
			 {«step.inChannels», «IF step.conv»«in.height», «in.width»«ELSE»1, 1«ENDIF», «out.channels», «out.height», «out.width», «
			 IF conv.present»«conv.get.kernel.height», «conv.get.kernel.width», «conv.get.stride.height», «conv.get.stride.width», «conv.get.padding.height», «conv.get.padding.width», «conv.get.dilation.height», «conv.get.dilation.width»«
			 ELSE»1, 1, 1, 1, 0, 0, 1, 1«ENDIF», «step.groups», «step.inputSigned», «step.inputBits», «step.passes», «step.residual.present», «activation(step.activation.orElse(null))»},
			 {«step.rowsPerEngine.join(', ')»},
			 «step.weightsOffset», «step.weightsSize», «step.rowsOffset», «step.rowsSize», «step.paramsOffset», «step.paramsSize», «port(step.input.port)», «step.input.offset»}
		'''
	}

	def private static activation(Operation.Activation activation) {
		if (activation === null) "ilmpq::ACTIVATION_NONE"
		else if (activation.function == Operation.Activation.Function.RELU) "ilmpq::ACTIVATION_RELU"
		else "ilmpq::ACTIVATION_RELU6"
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

		void «top»(const ilmpq::real_t network_input[ilmpq::design::INPUT_SIZE], ilmpq::real_t network_output[ilmpq::design::OUTPUT_SIZE],
		        ilmpq::real_t scratch[ilmpq::design::SCRATCH_SIZE], const ilmpq::weight_word_t weights[ilmpq::design::WEIGHTS_SIZE],
		        const ilmpq::row_index_t rows[ilmpq::design::ROWS_SIZE], const ilmpq::real_t params[ilmpq::design::PARAMS_SIZE]) {
		    // feature maps on one AXI master, weights on a second, the small tables on a third; control over AXI-Lite
		    HLS_PRAGMA(INTERFACE m_axi port = network_input offset = slave bundle = features depth = «design.inputBuffer.shape.elements»)
		    HLS_PRAGMA(INTERFACE m_axi port = network_output offset = slave bundle = features depth = «design.outputBuffer.shape.elements»)
		    HLS_PRAGMA(INTERFACE m_axi port = scratch offset = slave bundle = features depth = «design.scratchSize»)
		    HLS_PRAGMA(INTERFACE m_axi port = weights offset = slave bundle = weights depth = «design.weightsSize»)
		    HLS_PRAGMA(INTERFACE m_axi port = rows offset = slave bundle = tables depth = «design.rowsSize»)
		    HLS_PRAGMA(INTERFACE m_axi port = params offset = slave bundle = tables depth = «design.paramsSize»)
		    HLS_PRAGMA(INTERFACE s_axilite port = return bundle = control)
		    // one set of engines for every layer: the point of ILMPQ's single ratio
		    HLS_PRAGMA(ALLOCATION function instances = weight_layer limit = 1)
		    «IF !design.usesScratch»
		    	(void)scratch; // one layer: no feature map between layers
		    «ENDIF»
		    «FOR step : design.steps»
		    	layers::«step.function»(«arguments(step)»);
		    «ENDFOR»
		}
	'''

	def private weightStepFunction(WeightStep step) {
		val conv = step.convolution
		'''
			// «step.specName»: «IF conv.present»conv «step.inChannels» -> «step.outChannels», «conv.get.kernel.height» x «conv.get.kernel.width», stride «conv.get.stride.height» x «conv.get.stride.width», padding «conv.get.padding.height» x «conv.get.padding.width»«IF step.groups > 1», «step.groups» groups«ENDIF»«ELSE»linear «step.inChannels» -> «step.outChannels»«ENDIF»;
			// «step.input.shape» -> «step.facts.output»; rows «rowsPerEngine(step)»«IF !step.fused.empty»; fused: «step.fused.join(', ')»«ENDIF»
			static void «step.function»(const ilmpq::real_t *in, «IF step.residual.present»const ilmpq::real_t *residual, «ENDIF»ilmpq::real_t *out, const ilmpq::weight_word_t *weights,
			        const ilmpq::row_index_t *rows, const ilmpq::real_t *params) {
			    HLS_PRAGMA(INLINE)
			    const ilmpq::weight_layer_descriptor &layer = ilmpq::design::WEIGHT_LAYER[«step.index»];
			    ilmpq::weight_layer(layer.shape, in, «IF step.residual.present»residual«ELSE»in«ENDIF», out, weights + layer.weights_offset, rows + layer.rows_offset,
			                 params + layer.params_offset);
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
		val pool = step.pool
		val in = step.input.shape
		val out = step.output.shape
		'''
			// «step.specName»: «pool.kind.name.toLowerCase» pooling «pool.kernel.height» x «pool.kernel.width», stride «pool.stride.height» x «pool.stride.width», padding «pool.padding.height» x «pool.padding.width»; «in» -> «out»
			static void «step.function»(const ilmpq::real_t *in, ilmpq::real_t *out) {
			    HLS_PRAGMA(INLINE off)
			    ilmpq::pool_layer(in, out, «in.channels», «in.height», «in.width», «out.height», «out.width», «pool.kernel.height», «pool.kernel.width», «pool.stride.height», «pool.stride.width», «pool.padding.height», «pool.padding.width», «pool.kind == Operation.Pool2d.Kind.MAX»);
			}
		'''
	}

	def private globalPoolStepFunction(GlobalPoolStep step) '''
		// «step.specName»: global average pooling; «step.input.shape» -> «step.output.shape»
		static void «step.function»(const ilmpq::real_t *in, ilmpq::real_t *out) {
		    HLS_PRAGMA(INLINE off)
		    ilmpq::global_average_layer(in, out, «step.input.shape.channels», «step.input.shape.height * step.input.shape.width»);
		}
	'''

	def private addStepFunction(AddStep step) '''
		// «step.specName»: add of «step.operands.size» tensors of «step.output.shape», left to right
		static void «step.function»(«FOR i : 0 ..< step.operands.size»const ilmpq::real_t *operand«i», «ENDFOR»ilmpq::real_t *out) {
		    HLS_PRAGMA(INLINE off)
		    const ilmpq::real_t *const operands[«step.operands.size»] = {«FOR i : 0 ..< step.operands.size SEPARATOR ', '»operand«i»«ENDFOR»};
		    ilmpq::add_layer(operands, «step.operands.size», out, «step.output.shape.elements»);
		}
	'''

	def private concatStepFunction(ConcatStep step) {
		var offset = 0L
		val copies = newArrayList
		for (var i = 0; i < step.operands.size; i++) {
			copies += "ilmpq::copy_values(operand" + i + ", out + " + offset + ", " + step.operands.get(i).shape.elements + ");"
			offset += step.operands.get(i).shape.elements
		}
		'''
			// «step.specName»: concat of «step.operands.size» tensors along channels; -> «step.output.shape»
			static void «step.function»(«FOR i : 0 ..< step.operands.size»const ilmpq::real_t *operand«i», «ENDFOR»ilmpq::real_t *out) {
			    HLS_PRAGMA(INLINE off)
			    «FOR copy : copies»
			    	«copy»
			    «ENDFOR»
			}
		'''
	}

	def private activationStepFunction(ActivationStep step) '''
		// «step.specName»: «step.activation.keyword» of «step.output.shape»
		static void «step.function»(const ilmpq::real_t *in, ilmpq::real_t *out) {
		    HLS_PRAGMA(INLINE off)
		    ilmpq::activation_layer(in, out, «step.output.shape.elements», «activation(step.activation)»);
		}
	'''

	def private function(Step step) {
		switch step {
			WeightStep: weightStepFunction(step)
			PoolStep: poolStepFunction(step)
			GlobalPoolStep: globalPoolStepFunction(step)
			AddStep: addStepFunction(step)
			ConcatStep: concatStepFunction(step)
			ActivationStep: activationStepFunction(step)
		}
	}

	def private arguments(Step step) {
		switch step {
			WeightStep: (#[step.input] + step.residual.map[#[it]].orElse(#[]) + #[step.output]).map[pointer].join(', ')
				+ ", weights, rows, params"
			PoolStep: pointers(#[step.input, step.output])
			GlobalPoolStep: pointers(#[step.input, step.output])
			AddStep: pointers(step.operands + #[step.output])
			ConcatStep: pointers(step.operands + #[step.output])
			ActivationStep: pointers(#[step.input, step.output])
		}
	}

	def private static pointers(Iterable<Buffer> buffers) {
		buffers.map[pointer].join(', ')
	}
}
