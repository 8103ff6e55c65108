package org.ilmpq.generator.hls

import java.math.BigDecimal
import java.math.MathContext

/**
 * {@code run_hls.tcl} for Vitis HLS and a {@code Makefile} for the C simulation with any C++ compiler.
 */
final class BuildFilesTemplate {

	/**
	 * The Vitis HLS script: a project for the spec's part and clock; C simulation by default, synthesis,
	 * C/RTL co-simulation and IP export when asked.
	 */
	def static String tcl(HlsNetwork design, String header) {
		val top = design.topFunction
		val period = BigDecimal.valueOf(1000).divide(design.target.clockMhz, new MathContext(6)).stripTrailingZeros
			.toPlainString
		'''
			«header.replace('//', '#')»
			#
			# vitis_hls -f run_hls.tcl                       C simulation against firmware/weights
			# vitis_hls -f run_hls.tcl -tclargs csim csynth  any of: csim csynth cosim export
			set steps {csim}
			if {[info exists argv] && [llength $argv] > 0} {
			    set steps $argv
			}
			set here [file dirname [file normalize [info script]]]
			set cflags "-std=c++14 -I$here/firmware"

			open_project -reset «top»_prj
			set_top «top»
			add_files $here/firmware/«top».cpp -cflags $cflags
			add_files $here/firmware/engines.cpp -cflags $cflags
			add_files -tb $here/tb/tb_«top».cpp -cflags "$cflags -I$here/tb"
			add_files -tb $here/firmware/weights

			open_solution -reset solution1 -flow_target vivado
			# «design.target.part.device.name» as the spec names it: «design.target.part»
			set_part {«design.target.part.number»}
			# «design.target.clockMhz.toPlainString» MHz, the spec's clock
			create_clock -period «period» -name default

			if {[lsearch $steps csim] >= 0} {
			    csim_design -argv "$here/firmware/weights"
			}
			if {[lsearch $steps csynth] >= 0} {
			    csynth_design
			}
			if {[lsearch $steps cosim] >= 0} {
			    cosim_design -argv "$here/firmware/weights"
			}
			if {[lsearch $steps export] >= 0} {
			    export_design -format ip_catalog
			}
			exit
		'''
	}

	def static String makefile(HlsNetwork design, String header) {
		val top = design.topFunction
		'''
			«header.replace('//', '#')»
			#
			# make csim     build the C simulation with $(CXX) and run it against firmware/weights
			# make traffic  the same, counting the DRAM words every step moves: traffic.csv (one line per step)
			# make cycles   the same build, counting the cycles of every weight layer as Vitis HLS schedules its loops:
			#               cycles.csv (one line per layer, as the report names them; docs/hardware-model.md, "Cycles")
			# make          build it only
			# make csim AP_INCLUDE=$XILINX_HLS/include
			#               the same with Xilinx's ap_int types instead of the portable fallback in ilmpq_types.h
			CXX ?= g++
			CXXFLAGS ?= -std=c++17 -O2 -Wall -Wextra -Werror
			CXXFLAGS += -Ifirmware -Itb
			ifdef AP_INCLUDE
			# Xilinx's headers read a value before setting it in their own constructors, which GCC's flow analysis
			# reports through every inlined use: those two warnings only, for this build only
			CXXFLAGS += -DILMPQ_USE_AP_TYPES -isystem $(AP_INCLUDE) -Wno-maybe-uninitialized -Wno-uninitialized
			endif

			SOURCES = firmware/«top».cpp firmware/engines.cpp tb/tb_«top».cpp
			HEADERS = $(wildcard firmware/*.h tb/*.h)

			build/tb_«top»: $(SOURCES) $(HEADERS)
			«'\t'»@mkdir -p build
			«'\t'»$(CXX) $(CXXFLAGS) -o $@ $(SOURCES)

			build/tb_«top»_counting: $(SOURCES) $(HEADERS)
			«'\t'»@mkdir -p build
			«'\t'»$(CXX) $(CXXFLAGS) -DILMPQ_COUNTING -o $@ $(SOURCES)

			csim: build/tb_«top»
			«'\t'»./build/tb_«top» firmware/weights

			traffic cycles: build/tb_«top»_counting
			«'\t'»./build/tb_«top»_counting firmware/weights

			clean:
			«'\t'»rm -rf build traffic.csv cycles.csv

			.PHONY: csim traffic cycles clean
		'''
	}
}
