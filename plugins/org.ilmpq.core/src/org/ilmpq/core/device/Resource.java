package org.ilmpq.core.device;

/** The programmable-logic resources a design is budgeted in. */
public enum Resource {
	DSP, LUT, FF, BRAM
}
