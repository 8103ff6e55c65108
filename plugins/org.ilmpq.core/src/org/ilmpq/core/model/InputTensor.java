package org.ilmpq.core.model;

/** A named network input. */
public record InputTensor(String name, TensorShape shape) {
}
