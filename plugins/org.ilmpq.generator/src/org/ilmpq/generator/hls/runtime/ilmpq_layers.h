// The layers between the engines' weight layers, and the quantization of a weight layer's input: the arithmetic
// of docs/export-format.md ("What a layer computes"), in the order of operations it fixes, so that the design
// reproduces the quantization script's golden data bit for bit. They stream over feature maps in DRAM
// (m_axi), one value per cycle; a weight layer's ReLU and residual add are fused into its output stage instead.
#ifndef ILMPQ_LAYERS_H
#define ILMPQ_LAYERS_H

#include <cmath>

#include "ilmpq_types.h"

namespace ilmpq {

enum activation_t { ACTIVATION_NONE = 0, ACTIVATION_RELU = 1, ACTIVATION_RELU6 = 2 };

// ReLU or ReLU6 of one value (PyTorch's relu / relu6).
inline real_t activate(real_t x, activation_t activation) {
    if (activation == ACTIVATION_NONE) {
        return x;
    }
    real_t y = x > 0 ? x : 0;
    return activation == ACTIVATION_RELU6 && y > 6 ? 6 : y;
}

// The input code of a weight layer: clamp(round(x / step), low, levels), ties to even as PyTorch rounds
// (docs/export-format.md, "Input"). std::nearbyint rounds in the current mode, round-to-nearest-even by default.
inline long long quantize(real_t x, real_t step, long long low, long long levels) {
    real_t code = std::nearbyint(x / step);
    return code < low ? low : code > levels ? levels : static_cast<long long>(code);
}

// A standalone ReLU / ReLU6 (one whose input is not a weight layer's alone).
inline void activation_layer(const real_t *in, real_t *out, int size, activation_t activation) {
HLS_LABEL(values)
    for (int i = 0; i < size; i++) {
HLS_PRAGMA(PIPELINE II = 1)
        out[i] = activate(in[i], activation);
    }
}

// Max or average pooling. Max: over the window's values inside the map (padding never wins). Average: the
// window's values summed row by row, divided by the whole window, padding included (count_include_pad).
inline void pool_layer(const real_t *in, real_t *out, int channels, int height, int width, int out_height,
                       int out_width, int kernel_h, int kernel_w, int stride_h, int stride_w, int pad_h, int pad_w,
                       bool max) {
HLS_LABEL(channels)
    for (int c = 0; c < channels; c++) {
    HLS_LABEL(rows)
        for (int oy = 0; oy < out_height; oy++) {
        HLS_LABEL(columns)
            for (int ox = 0; ox < out_width; ox++) {
                real_t value = max ? -INFINITY : 0;
            HLS_LABEL(window_rows)
                for (int ky = 0; ky < kernel_h; ky++) {
                HLS_LABEL(window_columns)
                    for (int kx = 0; kx < kernel_w; kx++) {
                        // pipelined, the sum carried from one value to the next keeps its order (HLS does not
                        // reassociate double adds); its II is the adder's latency for average pooling
                        HLS_PRAGMA(PIPELINE II = 1)
                        int iy = oy * stride_h - pad_h + ky;
                        int ix = ox * stride_w - pad_w + kx;
                        if (iy >= 0 && iy < height && ix >= 0 && ix < width) {
                            real_t x = in[(c * height + iy) * width + ix];
                            value = max ? (x > value ? x : value) : value + x;
                        }
                    }
                }
                out[(c * out_height + oy) * out_width + ox] = max ? value : value / (kernel_h * kernel_w);
            }
        }
    }
}

// The correctly rounded sum of n doubles (Shewchuk, "Adaptive Precision Floating-Point Arithmetic", 1997; the
// algorithm of Python's math.fsum, which the script's reference uses, with its final half-way correction). The
// partials increase, each less than half an ulp of the next, so they span the double range 53 bits apart at the
// least: at most (1024 + 1074) / 53 + 1 = 41 of them, and a fixed buffer of 64 holds every case.
inline real_t exact_sum(const real_t *values, int n) {
    real_t partials[64];
    int count = 0;
HLS_LABEL(values)
    for (int k = 0; k < n; k++) {
        real_t x = values[k];
        int kept = 0;
    HLS_LABEL(partials_loop)
        for (int j = 0; j < count; j++) {
            real_t y = partials[j];
            if (std::fabs(x) < std::fabs(y)) {
                real_t t = x;
                x = y;
                y = t;
            }
            real_t high = x + y;
            real_t low = y - (high - x);
            if (low != 0) {
                partials[kept++] = low;
            }
            x = high;
        }
        if (x != 0) {
            partials[kept++] = x;
        }
        count = kept;
    }
    if (count == 0) {
        return 0;
    }
    real_t high = partials[--count];
    real_t low = 0;
    while (count > 0) {
        real_t x = high;
        real_t y = partials[--count];
        high = x + y;
        low = y - (high - x);
        if (low != 0) {
            break;
        }
    }
    // round half to even across the remaining partials: when the rest lies exactly half-way, the next partial's
    // sign decides
    if (count > 0 && ((low < 0 && partials[count - 1] < 0) || (low > 0 && partials[count - 1] > 0))) {
        real_t y = low * 2;
        real_t x = high + y;
        if (y == x - high) {
            high = x;
        }
    }
    return high;
}

// Global average pooling: each channel's correctly rounded sum, divided by height x width once.
inline void global_average_layer(const real_t *in, real_t *out, int channels, int area) {
HLS_LABEL(channels)
    for (int c = 0; c < channels; c++) {
        out[c] = exact_sum(in + c * area, area) / area;
    }
}

// An add of two or more tensors (not fused into a weight layer): left to right, the order of the spec.
inline void add_layer(const real_t *const *operands, int count, real_t *out, int size) {
HLS_LABEL(values)
    for (int i = 0; i < size; i++) {
        real_t sum = operands[0][i];
    HLS_LABEL(operands_loop)
        for (int k = 1; k < count; k++) {
            sum += operands[k][i];
        }
        out[i] = sum;
    }
}

// One operand of a concat along channels: copied to its place in the result.
inline void copy_values(const real_t *in, real_t *out, int size) {
HLS_LABEL(values)
    for (int i = 0; i < size; i++) {
HLS_PRAGMA(PIPELINE II = 1)
        out[i] = in[i];
    }
}

} // namespace ilmpq

#endif
