package org.ilmpq.generator.pytorch

import org.ilmpq.core.analysis.LayerFacts
import org.ilmpq.core.integer.IntegerNetwork
import org.ilmpq.core.model.Operation
import org.ilmpq.core.model.Size2d
import org.ilmpq.core.quant.Scheme

/**
 * {@code quant/<network>.py}: the spec's network as a float {@code nn.Module} with the spec's layer names, the table
 * of its quantized layers ({@code SPEC}) that {@code ilmpq_train} applies to it, and the command line.
 */
final class NetworkModuleTemplate {

	val ScriptNetwork network
	val String producer

	new(ScriptNetwork network, String producer) {
		this.network = network
		this.producer = producer
	}

	def String render(String header) '''
		«header»
		"""Network «network.networkName» for ILMPQ quantization-aware training («producer»).

		    python3 «network.moduleFile» train --data FILE.py:FUNCTION      # see --help: train, calibrate, export

		The module below is the spec's network in float, one attribute per conv, linear and batchnorm layer, named
		after the spec's layers, and the activation quantizers of the tensors the accelerator stores as integer codes
		(the identity until quantized); SPEC says how ilmpq_train quantizes it.
		"""

		import sys

		«IF usesTorch»
		import torch
		«ENDIF»
		import torch.nn as nn
		«IF usesFunctional»
		import torch.nn.functional as F
		«ENDIF»

		import ilmpq_quant
		import ilmpq_train

		# layers: per quantized layer, its shape; its split in whole rows, (scheme, bits, rows) in the spec's order;
		# which scheme takes the most sensitive rows (an index, or None); the order in which the others take rows by
		# ascending variance; the scheme a row's sensitivity is measured at; and the BatchNorm that export folds into it.
		# tensors: what the accelerator stores as integer codes, in the order it writes them; a group shares one scale
		# (a pool's result its input's, a concat's its operands'). program: the accelerator's steps in order, each
		# reading and writing stored tensors (docs/quantization.md). limitations: why it cannot run the network, if so.
		SPEC = {
		    "name": «network.networkName.py»,
		    "script": «network.moduleFile.py»,
		    "producer": «producer.py»,
		    "input_shape": «network.shape(network.inputs.head.name).dims(network.rank(network.inputs.head.name))»,
		    "sensitivity": «network.spec.quantization.sensitivity.name.toLowerCase.replace('_', '-').py»,
		    "reassign": «reassign»,
		    "layers": [
		        «FOR facts : network.quantizedLayers»
		        «layerEntry(facts)»
		        «ENDFOR»
		    ],
		    "tensors": [
		        «FOR tensor : network.program.tensors»
		        «tensorEntry(tensor)»
		        «ENDFOR»
		    ],
		    "program": [
		        «FOR step : network.program.steps»
		        «stepEntry(step)»
		        «ENDFOR»
		    ],
		    "output": «network.program.output.py»,
		    "modules": {
		        «FOR facts : network.moduleLayers»
		        «facts.name.py»: «network.name(facts.name).py»,
		        «ENDFOR»
		    },
		    "limitations": [«network.program.limitations.map[py].join(', ')»],
		}


		class «network.className»(nn.Module):
		    """«network.networkName» in float, as the spec writes it."""

		    def __init__(self):
		        super().__init__()
		        «FOR facts : network.moduleLayers»
		        self.«network.name(facts.name)» = «module(facts)»
		        «ENDFOR»
		        self.activations = ilmpq_quant.TensorQuantizers()

		    def forward(self, «network.inputs.map[network.name(name)].join(', ')»):
		        «FOR input : network.inputs»
		        «quantization(input.name, null)»
		        «ENDFOR»
		        «FOR facts : network.layers»
		        «network.name(facts.name)» = «expression(facts)»
		        «IF quantization(facts.name, facts) !== null»
		        «quantization(facts.name, facts)»
		        «ENDIF»
		        «ENDFOR»
		        return «network.name(network.output)»


		if __name__ == "__main__":
		    sys.exit(ilmpq_train.main(SPEC, «network.className», sys.argv[1:]))
	'''

	def private layerEntry(LayerFacts facts) {
		val plan = network.plan(facts)
		val operation = facts.layer.operation
		val norm = network.batchNormAfter(facts)
		'''
			{"name": «facts.name.py», "module": «network.name(facts.name).py», "kind": «operation.keyword.py», "in": «network.inputFeatures(facts)», "out": «facts.rows»,
			 «geometry(facts)»
			 "split": [«(0 ..< plan.schemes.size).map[i | '''(«plan.schemes.get(i).kind.keyword.py», «plan.schemes.get(i).bits», «plan.rows.get(i)»)'''].join(', ')»],
			 "sensitive": «IF plan.sensitive.present»«plan.sensitive.asInt»«ELSE»None«ENDIF», "variance_order": [«plan.varianceOrder.join(', ')»], "probe": «plan.probe.tuple»,
			 "batchnorm": «IF norm.present»«norm.get.py»«ELSE»None«ENDIF», "batchnorm_module": «IF norm.present»«network.name(norm.get).py»«ELSE»None«ENDIF»},
		'''
	}

	/**
	 * The line after a stored tensor is computed: a tensor computed from integers (a network input, a layer's
	 * output, an add or activation of its own) is observed and quantized; an average of codes (average pooling, of
	 * the layer {@code facts}) rounded back to its group's grid as the accelerator rounds it, from the window's size;
	 * codes copied or compared (max pooling, concat) are on it already.
	 */
	def private quantization(String tensor, LayerFacts facts) {
		val stored = network.stored(tensor)
		if (!stored.present) return null
		val variable = network.name(tensor)
		val group = network.name(stored.get.group).py
		switch stored.get.production {
			case INPUT,
			case REQUANTIZED: '''«variable» = self.activations(«group», «variable»)'''
			case ROUNDED: '''«variable» = self.activations.mean(«group», «variable», «window(facts)»)'''
			case COPIED: null
		}
	}

	/** How many codes an average pooling layer averages: its kernel's (padding counts), or the whole map's. */
	def private window(LayerFacts facts) {
		val operation = facts.layer.operation
		switch operation {
			Operation.Pool2d: operation.kernel.height * operation.kernel.width
			Operation.GlobalAvgPool: network.inputShape(facts).height * network.inputShape(facts).width
			default: throw new IllegalStateException(facts.name + " is no average pooling")
		}
	}

	def private tensorEntry(IntegerNetwork.StoredTensor tensor) {
		val format = network.program.format(tensor.name)
		'''{"name": «tensor.name.py», "shape": («tensor.shape.channels», «tensor.shape.height», «tensor.shape.width»), "bits": «format.bits», "signed": «format.signed.py», "group_id": «network.name(tensor.group).py»},'''
	}

	/** One step of the integer program, as the script's integer pipeline reads it: one case per kind of step. */
	def private stepEntry(IntegerNetwork.Step programStep) {
		programStep.accept(new IntegerNetwork.Step.Visitor<CharSequence> {
			override weight(IntegerNetwork.WeightStep step) {
				'''{"step": "weight", "name": «step.name.py», "input": «step.input.py», "residual": «IF step.residual.present»«step.residual.get.py»«ELSE»None«ENDIF», "output": «step.output.py», "activation": «IF step.activation.present»«step.activation.get.name.toLowerCase.py»«ELSE»None«ENDIF»},'''
			}

			override pool(IntegerNetwork.PoolStep step) {
				'''{"step": «step.pool.keyword.py», "name": «step.name.py», "input": «step.input.py», "output": «step.output.py», "kernel": «step.pool.kernel.pair», "stride": «step.pool.stride.pair», "padding": «step.pool.padding.pair»},'''
			}

			override globalPool(IntegerNetwork.GlobalPoolStep step) {
				'''{"step": "globalpool", "name": «step.name.py», "input": «step.input.py», "output": «step.output.py»},'''
			}

			override add(IntegerNetwork.AddStep step) {
				'''{"step": "add", "name": «step.name.py», "operands": [«step.operands.map[py].join(', ')»], "output": «step.output.py»},'''
			}

			override concat(IntegerNetwork.ConcatStep step) {
				'''{"step": "concat", "name": «step.name.py», "operands": [«step.operands.map[py].join(', ')»], "output": «step.output.py»},'''
			}

			override activation(IntegerNetwork.ActivationStep step) {
				'''{"step": «step.function.name.toLowerCase.py», "name": «step.name.py», "input": «step.input.py», "output": «step.output.py»},'''
			}
		})
	}

	def private geometry(LayerFacts facts) {
		val operation = facts.layer.operation
		switch operation {
			Operation.Conv2d: '''"kernel": «operation.kernel.pair», "stride": «operation.stride.pair», "padding": «operation.padding.pair», "dilation": «operation.dilation.pair», "groups": «groups(facts)», "bias": «operation.bias.py»,'''
			Operation.Linear: '''"bias": «operation.bias.py»,'''
		}
	}

	def private groups(LayerFacts facts) {
		(facts.layer.operation as Operation.Conv2d).grouping.groupsFor(network.inputShape(facts).channels)
	}

	/** A layer's module, its arguments as a PyTorch user writes them: defaults left out, a square size as one number. */
	def private module(LayerFacts facts) {
		val operation = facts.layer.operation
		switch operation {
			Operation.Conv2d: {
				val arguments = newArrayList('''«network.inputFeatures(facts)»''', '''«facts.rows»''', '''kernel_size=«operation.kernel.size»''')
				if (operation.stride != Size2d.square(1)) arguments += '''stride=«operation.stride.size»'''
				if (operation.padding != Size2d.square(0)) arguments += '''padding=«operation.padding.size»'''
				if (operation.dilation != Size2d.square(1)) arguments += '''dilation=«operation.dilation.size»'''
				if (groups(facts) != 1) arguments += '''groups=«groups(facts)»'''
				if (!operation.bias) arguments += "bias=False"
				'''nn.Conv2d(«arguments.join(', ')»)'''
			}
			Operation.Linear: '''nn.Linear(«network.inputFeatures(facts)», «facts.rows»«IF !operation.bias», bias=False«ENDIF»)'''
			Operation.BatchNorm: '''nn.BatchNorm«IF network.rank(facts.name) == 2»1d«ELSE»2d«ENDIF»(«facts.output.channels»)'''
		}
	}

	/** What a layer computes in forward(), in PyTorch: one case per kind of operation, so that a new one is not forgotten. */
	def private expression(LayerFacts facts) {
		val input = network.name(facts.layer.inputs.head)
		val module = '''self.«network.name(facts.name)»'''
		facts.layer.operation.accept(new Operation.Visitor<CharSequence> {
			override conv2d(Operation.Conv2d conv) {
				'''«module»(«input»)'''
			}

			override linear(Operation.Linear linear) {
				'''«module»(«IF network.rank(facts.layer.inputs.head) == 4»torch.flatten(«input», 1)«ELSE»«input»«ENDIF»)'''
			}

			override batchNorm(Operation.BatchNorm batchNorm) {
				'''«module»(«input»)'''
			}

			override activation(Operation.Activation activation) {
				'''F.«activation.keyword»(«input»)'''
			}

			override pool2d(Operation.Pool2d pool) {
				val arguments = newArrayList(input, pool.kernel.size.toString)
				if (pool.stride != pool.kernel) arguments += '''stride=«pool.stride.size»'''
				if (pool.padding != Size2d.square(0)) arguments += '''padding=«pool.padding.size»'''
				'''F.«IF pool.kind == Operation.Pool2d.Kind.MAX»max«ELSE»avg«ENDIF»_pool2d(«arguments.join(', ')»)'''
			}

			override globalAvgPool(Operation.GlobalAvgPool pool) {
				'''F.adaptive_avg_pool2d(«input», 1)'''
			}

			override flatten(Operation.Flatten flatten) {
				'''torch.flatten(«input», 1)'''
			}

			override add(Operation.Add add) {
				operands(facts).join(' + ')
			}

			override concat(Operation.Concat concat) {
				'''torch.cat([«operands(facts).join(', ')»], 1)'''
			}

			override unresolved(Operation.Unresolved unresolved) {
				throw new IllegalStateException(facts.name + " did not lower: " + unresolved.reason)
			}
		})
	}

	/** The inputs of an add or concat; where a vector meets a 1 x 1 map, the map flattened to a vector. */
	def private operands(LayerFacts facts) {
		val rank = network.rank(facts.name)
		facts.layer.inputs.map [
			if (network.rank(it) > rank) '''torch.flatten(«network.name(it)», 1)''' else network.name(it)
		]
	}

	def private usesTorch() {
		network.layers.exists [ facts |
			val operation = facts.layer.operation
			operation instanceof Operation.Flatten || operation instanceof Operation.Concat
				|| (operation instanceof Operation.Linear && network.rank(facts.layer.inputs.head) == 4)
				|| (operation instanceof Operation.Add && facts.layer.inputs.exists[input | network.rank(input) > network.rank(facts.name)])
		]
	}

	def private usesFunctional() {
		network.layers.exists [
			val operation = layer.operation
			operation instanceof Operation.Activation || operation instanceof Operation.Pool2d
				|| operation instanceof Operation.GlobalAvgPool
		]
	}

	def private reassign() {
		val schedule = network.spec.quantization.reassign
		if (!schedule.present) return "None"
		'''(«schedule.get.interval», «IF schedule.get.until.present»«schedule.get.until.asLong»«ELSE»None«ENDIF»)'''
	}

	def private static dims(org.ilmpq.core.model.TensorShape shape, int rank) {
		if (rank == 2) '''(«shape.elements»,)''' else '''(«shape.channels», «shape.height», «shape.width»)'''
	}

	def private static pair(Size2d size) '''(«size.height», «size.width»)'''

	/** A size as PyTorch users write it: 3 for 3 x 3. */
	def private static size(Size2d size) {
		if (size.isSquare) '''«size.height»''' else pair(size)
	}

	def private static tuple(Scheme scheme) '''(«scheme.kind.keyword.py», «scheme.bits»)'''

	def private static py(boolean value) {
		if (value) "True" else "False"
	}

	/** A Python string literal. */
	def private static py(String value) {
		'"' + value.replace('\\', '\\\\').replace('"', '\\"') + '"'
	}
}
