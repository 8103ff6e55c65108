// A weight layer as the engines run it (weight_layer, defined in engines.cpp on ilmpq_loop_nest.h): its geometry
// and its tensors' formats, what the top function passes, and what the test bench or a driver needs to know of it.
// Include at the end of engines.h (ENGINES, word_t, param_word_t).
#ifndef ILMPQ_WEIGHT_LAYER_H
#define ILMPQ_WEIGHT_LAYER_H

namespace ilmpq {

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
    int tile; // the output tile's side: TILE, or for a layer whose map is one tile, half the map's (LatencyModel.tile)
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
//             order, and each channel's DW_TAPS integer weights, its window row by row, the kernel in the window's
//             lower right corner.
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
