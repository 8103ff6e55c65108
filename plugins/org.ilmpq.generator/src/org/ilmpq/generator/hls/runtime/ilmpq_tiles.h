// The tile machinery of weight_layer that does not depend on the engines: moving words between DRAM and the tile
// buffers, and the integer requantization of one output value (docs/quantization.md). The sizes and types are
// the design's: include it after engines.h, which defines them (LANES, TILE, HALVES, MAX_INPUT_TILE_AREA, TILE_BANK_GROUPS,
// OUTPUT_LANES, OUTPUT_LANES_LOG2, RESIDUAL_ADDS, OUTPUT_TILE_DEPTH, RESIDUAL_TILE_DEPTH, word_t, param_word_t,
// input_code_t, tile_code_t, sum_t, output_acc_t, weight_layer_shape).
//
// The output and residual tile buffers hold code s of a pixel's word j (channel c = j x P + s) in bank s, at place
// j x pixels + p; the banks are arrays [TILE_BANK_GROUPS][OUTPUT_LANES], bank s at [s >> OUTPUT_LANES_LOG2]
// [s & (OUTPUT_LANES - 1)], so that lane j of the output stage, which takes the channels c with c mod OUTPUT_LANES
// = j, reaches the banks [*][j] only: an index known when the design is built, not a multiplexer over every bank.
#ifndef ILMPQ_TILES_H
#define ILMPQ_TILES_H

namespace ilmpq {

// A row's parameter word (docs/quantization.md): its bias B, multiplier M, shift s + 8 (s runs from -8 to 31) and
// output channel, from bit 0 up; IntegerArithmetic's widths.
const int BIAS_BITS = 26;
const int MULTIPLIER_BITS = 17;
const int SHIFT_FIELD_BITS = 6;
const int SHIFT_OFFSET = 8;
const int CHANNEL_FIELD_BITS = 15;
const int MULTIPLIER_AT = BIAS_BITS;
const int SHIFT_AT = MULTIPLIER_AT + MULTIPLIER_BITS;
const int CHANNEL_AT = SHIFT_AT + SHIFT_FIELD_BITS;
// A layer's residual multiplier R, which weighs a fused add's other operand (the layer word's bits 32-55).
const int OPERAND_MULTIPLIER_BITS = 24;
typedef uint_t<OPERAND_MULTIPLIER_BITS> residual_multiplier_t;

// Where the next word of an input tile goes: the pixel of the tile (y, x, index) and which of the words that hold
// the lane group's channels.
struct tile_cursor {
    int y, x, index, word;
};

// Walks a tile of the output's shape (the output tile, or a fused add's residual tile) a word a cycle: word `word` of
// pixel (y, x), a pixel's words from `first` on one after the other (all of them, or a group's), the pixels along the
// rows. The word lies at dram_word() of its tensor and at place() of the tile buffer's banks.
struct output_tile_cursor {
    int y, x, word;
    int first, words; // the words of each pixel it goes through: first to first + words - 1

    static output_tile_cursor over(int first, int words) {
        output_tile_cursor cursor = {0, 0, first, first, words};
        return cursor;
    }

    long dram_word(int ty, int tx, int map_width, int words_per_pixel) const {
        return (static_cast<long>(ty + y) * map_width + tx + x) * words_per_pixel + word;
    }

    int place(int pixels, int tile_w) const {
        return word * pixels + y * tile_w + x;
    }

    void advance(int tile_w) {
        if (++word == first + words) {
            word = first;
            if (++x == tile_w) {
                x = 0;
                y++;
            }
        }
    }
};

// The input tile of output tile (ty, tx): its window, in_tile_w pixels wide and in_tile_area in all, padding included;
// a lane's tile: the window, or with the kernel columns on the lanes the columns the first one reads.
struct input_window {
    int ty, tx, in_tile_w, in_tile_area, lane_tile_w;

    static input_window of(const weight_layer_shape &shape, int ty, int tx) {
        HLS_PRAGMA(INLINE)
        const int tile_h = shape.out_height - ty < shape.tile ? shape.out_height - ty : shape.tile;
        const int tile_w = shape.out_width - tx < shape.tile ? shape.out_width - tx : shape.tile;
        input_window window;
        window.ty = ty;
        window.tx = tx;
        window.in_tile_w = (tile_w - 1) * shape.stride_w + (shape.kernel_w - 1) * shape.dilation_w + 1;
        window.in_tile_area = ((tile_h - 1) * shape.stride_h + (shape.kernel_h - 1) * shape.dilation_h + 1) * window.in_tile_w;
        window.lane_tile_w = shape.unroll > 1 ? (tile_w - 1) * shape.stride_w + 1 : window.in_tile_w;
        return window;
    }
};

// The input values a lane group takes: LANES, or LANES / 2 where a value takes two lanes (the upper half of the lanes
// then reads the lower half's memories, a slice higher: see weight_layer).
inline int value_lanes(const weight_layer_shape &shape) {
    return HALVES && shape.lanes_per_value > 1 ? LANES / 2 : LANES;
}

// The input channels of one lane group of a group: the first value, how many lanes it fills (at most value_lanes),
// the words of a pixel that hold its channels, and the words of its input tile (in_tile_area pixels); no words past
// the group's last lane group. With the kernel columns on the lanes (shape.unroll > 1), lane n holds channel
// channel[n] shifted by column[n] kernel columns, and every lane group reads every channel of the pixel.
struct lane_group_input {
    int first, used, first_word, words, values;
    int channel[LANES], column[LANES];

    // no lane group: what the layer's last step loads for the step after it
    static lane_group_input nothing() {
        HLS_PRAGMA(INLINE)
        lane_group_input group = {};
        return group;
    }

    // the group's first lane group
    static lane_group_input first_of(const weight_layer_shape &shape, int first_channel_of_group, int in_tile_area) {
        HLS_PRAGMA(INLINE)
        lane_group_input group;
        const int values = value_lanes(shape);
        group.first = first_channel_of_group - values;
        group.used = values;
        group.channel[values - 1] = -1;
        group.column[values - 1] = 0;
        return after(group, shape, first_channel_of_group, in_tile_area);
    }

    // the lane group after `previous`: value_lanes on, its (channel, column) pairs counted on from the previous's last
    // (a chain of increments, not a division)
    static lane_group_input after(const lane_group_input &previous, const weight_layer_shape &shape,
                                  int first_channel_of_group, int in_tile_area) {
        HLS_PRAGMA(INLINE)
        lane_group_input group;
        const int values = value_lanes(shape);
        group.first = previous.first + values;
        const int left = first_channel_of_group + shape.in_per_group - group.first;
        group.used = left < 0 ? 0 : left < values ? left : values;
        int channel = previous.channel[values - 1];
        int column = previous.column[values - 1];
        for (int n = 0; n < LANES; n++) {
            HLS_PRAGMA(UNROLL)
            if (++channel == shape.in_channels) {
                channel = 0;
                column++;
            }
            group.channel[n] = channel;
            group.column[n] = column;
        }
        if (shape.unroll > 1) {
            group.first_word = 0;
            group.words = group.used > 0 ? ((shape.in_channels - 1) >> shape.in_codes_log2) + 1 : 0;
        } else {
            group.first_word = group.first >> shape.in_codes_log2;
            group.words = group.used > 0 ? ((group.first + group.used - 1) >> shape.in_codes_log2) - group.first_word + 1 : 0;
        }
        group.values = in_tile_area * group.words;
        return group;
    }
};

// Where a tile lies: its corner, width and pixels, and the output tile buffer (one of two) that holds its codes.
struct tile_place {
    int ty, tx, tile_w, pixels, buffer;
};

// The work behind a row step (docs/hardware-model.md, "Cycles"): the output stage of the previous step (`cycles`
// left: `rounds` rounds, each two pixels a cycle, from the units' accumulators and parameters of `parity` into the
// output tile buffer `buffer`; lane j takes its count[e][j] rows of each unit e in turn, in rounds start[e][j] on,
// the row first[e][j] + k in round start[e][j] + k), then the residual operand of the next tile (`residual_words`
// left), a word a cycle; and beside them a word a cycle of a store (`store_words` left, of the tile `stored`, from the
// other output tile buffer). A store is `pending` once the output stage that completes its words is set up: a tile's
// after its last step, or where each group stores its own words, a group's after its step; it starts at the end of
// the step behind which that output stage ran (`pending_place`, its words `pending_words` a pixel from the pixel's
// word `pending_word`).
struct background_work {
    long cycles;
    int first[UNITS][OUTPUT_LANES], count[UNITS][OUTPUT_LANES], start[UNITS][OUTPUT_LANES];
    int lane_rounds[OUTPUT_LANES];
    int rounds_done, p;
    int parity, buffer;
    int pixels;                                              // of the tile of the previous step
    output_tile_cursor store;
    int store_words;
    tile_place stored;
    bool pending;
    tile_place pending_place;
    int pending_word, pending_words;
    int next_ty, next_tx, next_tile_w, next_pixels;         // the tile of this step
    output_tile_cursor residual;
    int residual_words;
};

// The pending store, from its output tile buffer, beside the output stage of the step after the one behind which
// its own ran: a request of its own.
inline void start_store(background_work &work) {
    HLS_PRAGMA(INLINE)
    work.store = output_tile_cursor::over(work.pending_word, work.pending_words);
    work.store_words = work.pending_place.pixels * work.pending_words;
    work.stored = work.pending_place;
    work.pending = false;
    ILMPQ_RUN_BREAK(TRAFFIC_OUTPUT, 0);
}

// One word of an input tile, a cycle: the lanes its codes belong to get them (zeros outside the map, past the group's
// channels nothing); the cursor moves to the next word, then to the next pixel along the row, then down.
template <int BITS, int P>
inline void load_input_word(const weight_layer_shape &shape, const word_t *in, int first_channel, int lanes_used,
                            int first_word, int words, int ty, int tx, int in_tile_w, tile_cursor &cursor,
                            input_code_t tile[LANES][MAX_INPUT_TILE_AREA]) {
    HLS_PRAGMA(INLINE)
    const int iy = ty * shape.stride_h - shape.pad_h + cursor.y;
    const int ix = tx * shape.stride_w - shape.pad_w + cursor.x;
    const int word_index = first_word + cursor.word;
    if (iy >= 0 && iy < shape.in_height && ix >= 0 && ix < shape.in_width) {
        const word_t word = load(in, (static_cast<long>(iy) * shape.in_width + ix) * shape.in_words_per_pixel + word_index,
                                 TRAFFIC_INPUT);
        for (int n = 0; n < LANES; n++) {
            HLS_PRAGMA(UNROLL)
            // lane n's channel is at a slot known only at run time: a P:1 multiplexer of the word's fields
            const int slot = first_channel + n - word_index * P;
            if (n < lanes_used && slot >= 0 && slot < P) {
                tile[n][cursor.index] = input_code_t(decode<BITS>(select_field<BITS, P>(word, slot), shape.in_signed));
            }
        }
    } else if (cursor.word == 0) {
        for (int n = 0; n < LANES; n++) {
            HLS_PRAGMA(UNROLL)
            tile[n][cursor.index] = 0;
        }
    }
    if (++cursor.word == words) {
        cursor.word = 0;
        cursor.index++;
        if (++cursor.x == in_tile_w) {
            cursor.x = 0;
            cursor.y++;
        }
    }
}

// One word of the input window of a layer with its kernel columns on the lanes, a cycle: every lane whose channel the
// word holds takes its code (0 outside the map) at the window column less its kernel column, in its tile of
// lane_tile_w columns; the cursor walks the window as load_input_word's does.
template <int BITS, int P>
inline void load_unrolled_input_word(const weight_layer_shape &shape, const word_t *in, const lane_group_input &group,
                                     int ty, int tx, int in_tile_w, int lane_tile_w, tile_cursor &cursor,
                                     input_code_t tile[LANES][MAX_INPUT_TILE_AREA]) {
    HLS_PRAGMA(INLINE)
    const int iy = ty * shape.stride_h - shape.pad_h + cursor.y;
    const int ix = tx * shape.stride_w - shape.pad_w + cursor.x;
    const bool inside = iy >= 0 && iy < shape.in_height && ix >= 0 && ix < shape.in_width;
    word_t word = 0;
    if (inside) {
        word = load(in, (static_cast<long>(iy) * shape.in_width + ix) * shape.in_words_per_pixel + cursor.word, TRAFFIC_INPUT);
    }
    for (int n = 0; n < LANES; n++) {
        HLS_PRAGMA(UNROLL)
        const int slot = group.channel[n] - cursor.word * P;
        const int column = cursor.x - group.column[n] * shape.dilation_w;
        if (n < group.used && slot >= 0 && slot < P && column >= 0 && column < lane_tile_w) {
            tile[n][cursor.y * lane_tile_w + column] =
                inside ? input_code_t(decode<BITS>(select_field<BITS, P>(word, slot), shape.in_signed)) : input_code_t(0);
        }
    }
    if (++cursor.word == group.words) {
        cursor.word = 0;
        if (++cursor.x == in_tile_w) {
            cursor.x = 0;
            cursor.y++;
        }
    }
}

// Word t of a unit's weights of one kernel position, read: codes t x P to t x P + P - 1 of its CODES (ROWS x LANES,
// on the depthwise unit LANES x DW_TAPS), into its buffer.
template <int CODES, int BITS, int P, typename WEIGHT>
inline void unpack_weight_word(const word_t &word, int t, WEIGHT weights[CODES]) {
    HLS_PRAGMA(INLINE)
    for (int s = 0; s < P; s++) {
        HLS_PRAGMA(UNROLL)
        const int i = t * P + s;
        if (i < CODES) {
            weights[i] = WEIGHT(decode<BITS>(field<BITS>(word, s), true));
        }
    }
}

// A code for the output tile buffer: its bank group (the bank is group x OUTPUT_LANES + the lane), its place.
struct tile_write {
    int group, place;
    tile_code_t code;
};

// One value of lane `lane` of the output stage (docs/quantization.md): with the row's parameter word, z = floor(acc x
// M / 2^s) + B, plus the residual operand's code x R for a fused add, and the code of z, clamped (a fused ReLU or
// ReLU6 is the clamp), for the output tile buffer at pixel p of the channel, which is `lane` modulo OUTPUT_LANES.
// Called in a loop over the lanes that is unrolled: each lane's index is a constant, its banks its own.
template <typename SCALED>
inline tile_write requantize(int lane, const output_acc_t &acc, const param_word_t &word, int p, int pixels,
                             const weight_layer_shape &shape, int lowest, int highest,
                             const residual_multiplier_t &residual_multiplier,
                             const tile_code_t residual_tile[TILE_BANK_GROUPS][OUTPUT_LANES][RESIDUAL_TILE_DEPTH]) {
    HLS_PRAGMA(INLINE)
    const int_t<BIAS_BITS> bias = int_t<BIAS_BITS>(decode<BIAS_BITS>(static_cast<unsigned>(bits_at<BIAS_BITS>(word, 0)), true));
    const uint_t<MULTIPLIER_BITS> multiplier = bits_at<MULTIPLIER_BITS>(word, MULTIPLIER_AT);
    const uint_t<SHIFT_FIELD_BITS> shift = bits_at<SHIFT_FIELD_BITS>(word, SHIFT_AT);
    const int channel = static_cast<int>(bits_at<CHANNEL_FIELD_BITS>(word, CHANNEL_AT));
    const SCALED product = acc * multiplier;
    HLS_PRAGMA(BIND_OP variable = product op = mul impl = dsp)
    // floor(acc x M / 2^s), s from -8 to 31: the product shifted left by 8 (wiring), right by s + 8
    const SCALED scaled = SCALED(product) << SHIFT_OFFSET;
    sum_t z = sum_t(scaled >> shift) + bias;
    if (RESIDUAL_ADDS && shape.residual) {
        // the operand's code times its multiplier R on a DSP slice, in a design with fused adds only
        const int bank = channel & ((1 << shape.residual_codes_log2) - 1);
        const sum_t operand = sum_t(residual_tile[bank >> OUTPUT_LANES_LOG2][lane]
                                                 [(channel >> shape.residual_codes_log2) * pixels + p] * residual_multiplier);
        HLS_PRAGMA(BIND_OP variable = operand op = mul impl = dsp)
        z += operand;
    }
    const int bank = channel & ((1 << shape.out_codes_log2) - 1);
    const tile_write write = {bank >> OUTPUT_LANES_LOG2, (channel >> shape.out_codes_log2) * pixels + p,
                              tile_code_t(to_code(z, lowest, highest))};
    return write;
}

// A round of the output stage into one output tile buffer: each lane's codes, where it has a row, in its own banks.
inline void write_round(const tile_write writes[OUTPUT_LANES][2], const bool valid[OUTPUT_LANES][2],
                        tile_code_t out_tile[TILE_BANK_GROUPS][OUTPUT_LANES][OUTPUT_TILE_DEPTH]) {
    HLS_PRAGMA(INLINE)
    for (int j = 0; j < OUTPUT_LANES; j++) {
        HLS_PRAGMA(UNROLL)
        for (int s = 0; s < 2; s++) {
            HLS_PRAGMA(UNROLL)
            if (valid[j][s]) {
                out_tile[writes[j][s].group][j][writes[j][s].place] = writes[j][s].code;
            }
        }
    }
}

// One word of a tile of packed codes into the tile buffer's banks: code s of word j of pixel p goes to bank s,
// place j x pixels + p.
template <int BITS, int P>
inline void unpack_tile_word(const word_t &word, bool is_signed, int place,
                             tile_code_t tile[TILE_BANK_GROUPS][OUTPUT_LANES][RESIDUAL_TILE_DEPTH]) {
    HLS_PRAGMA(INLINE)
    for (int s = 0; s < P; s++) {
        HLS_PRAGMA(UNROLL)
        tile[s >> OUTPUT_LANES_LOG2][s & (OUTPUT_LANES - 1)][place] = tile_code_t(decode<BITS>(field<BITS>(word, s), is_signed));
    }
}

// One word of the output tile from the banks: channels j x P to j x P + P - 1 of pixel p (zeros past the last).
template <int BITS, int P>
inline word_t pack_tile_word(const tile_code_t tile[TILE_BANK_GROUPS][OUTPUT_LANES][OUTPUT_TILE_DEPTH],
                             int place, int first_channel, int channels) {
    HLS_PRAGMA(INLINE)
    word_t word = 0;
    for (int s = 0; s < P; s++) {
        HLS_PRAGMA(UNROLL)
        set_field<BITS>(word, s, first_channel + s < channels ? static_cast<int>(tile[s >> OUTPUT_LANES_LOG2][s & (OUTPUT_LANES - 1)][place]) : 0);
    }
    return word;
}

} // namespace ilmpq

#endif
