// The loop nest that runs every conv and linear layer on the engines: Zhang et al. (FPGA 2015) as FILM-QNN runs it
// on several engines (docs/hardware-model.md, "Cycles"; LoopNestSchedule costs it loop for loop). It does not depend
// on the design but through engines.h: its constants, its units' configs and the lists of its units,
// ILMPQ_EACH_ENGINE(UNIT) and ILMPQ_EACH_UNIT(UNIT), which apply UNIT to each unit's name (the engines, then the
// depthwise unit where the design has one). A unit u has the config u_config, the scalar state u (unit_rows), and
// its buffers u_weights, u_acc and u_params (ILMPQ_UNIT_BUFFERS). What depends on the code widths of the design's
// layers comes from the CODE_WIDTHS policy of engines.cpp. Include after engines.h, ilmpq_tiles.h and
// ilmpq_engines.h.
#ifndef ILMPQ_LOOP_NEST_H
#define ILMPQ_LOOP_NEST_H

namespace ilmpq {

// A unit's rows of the current group and row step, and where its tables of the group lie.
template <class CONFIG>
struct unit_rows {
    int count;                  // its rows of the group
    int first;                  // the step's first row
    int rows, words;            // the step's rows, and the words of one kernel position's weights for them
    const param_word_t *params; // its rows' parameter words of the group
    const word_t *blocks;       // the step's weights: per lane group and kernel position, a block of `words`

    // Words of a block of `step_rows` rows: ceil(step_rows x CODES_PER_ROW / CODES_PER_WORD).
    static int block_words(int step_rows) {
        HLS_PRAGMA(INLINE)
        return (step_rows * CONFIG::CODES_PER_ROW + CONFIG::CODES_PER_WORD - 1) >> CONFIG::CODES_LOG2;
    }

    // The group's rows (the depthwise unit takes every row of a depthwise layer's group; the engines their
    // field of the counts word), their parameters and weights, which follow those of the units before it:
    // `params` and `weights` move past this unit's.
    void begin_group(const weight_layer_shape &shape, const param_word_t &counts, int positions,
                     const param_word_t *&params_at, const word_t *&weights_at) {
        HLS_PRAGMA(INLINE)
        count = CONFIG::DEPTHWISE ? (shape.depthwise ? shape.in_per_group : 0)
                                  : static_cast<int>(bits_at<16>(counts, 16 * CONFIG::INDEX));
        first = 0;
        params = params_at;
        params_at += count;
        blocks = weights_at;
        for (int row = 0; row < count; row += CONFIG::ROWS) {
            weights_at += positions * block_words(count - row < CONFIG::ROWS ? count - row : CONFIG::ROWS);
        }
    }

    // The step's rows: the next ROWS of the group, fewer at its end, none once they ran out.
    void begin_step() {
        HLS_PRAGMA(INLINE)
        const int left = count - first;
        rows = left < 0 ? 0 : left > CONFIG::ROWS ? CONFIG::ROWS : left;
        words = block_words(rows);
    }

    bool rows_left() const { return first < count; }

    bool rows_after_step() const { return first + CONFIG::ROWS < count; }

    void end_step(int positions) {
        HLS_PRAGMA(INLINE)
        first += CONFIG::ROWS;
        blocks += positions * words;
    }
};

// A unit's buffers, each in two (ping-pong): the weights of a kernel position in registers, one loading while the
// other computes; the accumulators of a tile's pixels, a word of every row at a pixel, one written by the step while
// the output stage reads the previous step's; the rows' parameter words.
#define ILMPQ_UNIT_BUFFERS(u)                                                                                      \
    u##_config::weight_t u##_weights[2][u##_config::WEIGHT_CODES];                                             \
    HLS_PRAGMA(ARRAY_PARTITION variable = u##_weights dim = 0 complete)                                        \
    u##_config::acc_t u##_acc[2][MAX_OUTPUT_TILE_AREA][u##_config::ROWS];                                      \
    HLS_PRAGMA(ARRAY_PARTITION variable = u##_acc dim = 1 complete)                                            \
    HLS_PRAGMA(ARRAY_RESHAPE variable = u##_acc dim = 3 complete)                                              \
    HLS_PRAGMA(BIND_STORAGE variable = u##_acc type = ram_t2p)                                                 \
    param_word_t u##_params[2][u##_config::ROWS];                                                              \
    HLS_PRAGMA(ARRAY_PARTITION variable = u##_params dim = 0 complete)                                         \
    unit_rows<u##_config> u;
// Reads come from the current buffers only, writes go to the other ones.
#define ILMPQ_UNIT_INDEPENDENCE(u)                                                                                 \
    HLS_PRAGMA(DEPENDENCE variable = u##_weights type = inter false)                                           \
    HLS_PRAGMA(DEPENDENCE variable = u##_acc type = inter false)                                               \
    HLS_PRAGMA(DEPENDENCE variable = u##_params type = inter false)
#define ILMPQ_OUTPUT_STAGE_PARAMETERS(u)                                                                           \
    , const u##_config::acc_t u##_acc[2][MAX_OUTPUT_TILE_AREA][u##_config::ROWS],                              \
    const param_word_t u##_params[2][u##_config::ROWS]
#define ILMPQ_OUTPUT_STAGE_ARGUMENTS(u) , u##_acc, u##_params
#define ILMPQ_READ_OUTPUT_ROWS(u) read_output_rows<u##_config>(work, parity, u##_acc, u##_params, acc, param);
#define ILMPQ_BEGIN_GROUP(u) u.begin_group(shape, counts, positions, unit_params, unit_weights);
#define ILMPQ_BEGIN_STEP(u)                                                                                        \
    u.begin_step();                                                                                            \
    weight_words += u.words;                                                                                   \
    step_rows += u.rows;                                                                                       \
    more_steps = more_steps || u.rows_after_step();
#define ILMPQ_ROWS_LEFT(u) || u.rows_left()
#define ILMPQ_ENGINE_CYCLE(u)                                                                                      \
    {                                                                                                          \
        u##_config::acc_t word[u##_config::ROWS];                                                              \
        HLS_PRAGMA(ARRAY_PARTITION variable = word dim = 0 complete)                                           \
        read_accumulators<u##_config>(u##_acc, parity, p, word);                                               \
        engine_datapath<u##_config>::cycle(u##_weights[q & 1], lanes, shift, halves, clear, word);             \
        write_accumulators<u##_config>(u##_acc, parity, p, word);                                              \
    }
// Word t of the next position's weights: the units' blocks one after the other, each its step's rows only (a unit
// whose rows of the group ran out loads nothing; the rows of its buffer past the step's keep old weights, and what
// they compute is never stored). Which unit's block and where first, then one read of the port, then the word into
// that unit's buffer.
#define ILMPQ_FIND_WEIGHT_WORD(u)                                                                                  \
    if (t >= before && t < before + u.words) {                                                                 \
        unit = u##_config::INDEX;                                                                              \
        block = u.blocks + (q + 1) * u.words;                                                                  \
        at = t - before;                                                                                       \
    }                                                                                                          \
    before += u.words;
#define ILMPQ_TAKE_WEIGHT_WORD(u)                                                                                  \
    if (unit == u##_config::INDEX) {                                                                           \
        unpack_weight_word<u##_config::WEIGHT_CODES, u##_config::BITS, u##_config::CODES_PER_WORD>(              \
            word, at, u##_weights[(q + 1) & 1]);                                                               \
    }
// Word params_loaded of the step's row parameters, the units' rows one after the other: which unit's and where,
// one read of the port, then the word into the buffer its output stage will read.
#define ILMPQ_FIND_PARAMETER_WORD(u)                                                                               \
    if (params_loaded >= before && params_loaded < before + u.rows) {                                          \
        unit = u##_config::INDEX;                                                                              \
        rows = u.params + u.first;                                                                             \
        at = params_loaded - before;                                                                           \
    }                                                                                                          \
    before += u.rows;
#define ILMPQ_TAKE_PARAMETER_WORD(u)                                                                               \
    if (unit == u##_config::INDEX) {                                                                           \
        u##_params[parity][at] = word;                                                                         \
    }
#define ILMPQ_END_STEP(u) u.end_step(positions);

// A unit's accumulators are two memories, a word of every row a pixel: the computing step's, of its parity, which its
// engine reads and writes a word a cycle, and the previous step's, whose two words a cycle the output stage reads.
// Every access goes through a branch on the computing step's parity with constant indices, so that the scheduler sees
// each memory take one side's accesses only: two a cycle, its two ports.
template <class CONFIG>
inline void read_accumulators(const typename CONFIG::acc_t acc[2][MAX_OUTPUT_TILE_AREA][CONFIG::ROWS], int parity,
                              int p, typename CONFIG::acc_t word[CONFIG::ROWS]) {
    HLS_PRAGMA(INLINE)
    for (int m = 0; m < CONFIG::ROWS; m++) {
        HLS_PRAGMA(UNROLL)
        if (parity == 0) {
            word[m] = acc[0][p][m];
        } else {
            word[m] = acc[1][p][m];
        }
    }
}

template <class CONFIG>
inline void write_accumulators(typename CONFIG::acc_t acc[2][MAX_OUTPUT_TILE_AREA][CONFIG::ROWS], int parity, int p,
                               const typename CONFIG::acc_t word[CONFIG::ROWS]) {
    HLS_PRAGMA(INLINE)
    for (int m = 0; m < CONFIG::ROWS; m++) {
        HLS_PRAGMA(UNROLL)
        if (parity == 0) {
            acc[0][p][m] = word[m];
        } else {
            acc[1][p][m] = word[m];
        }
    }
}

// The rows of the output stage's round that are this unit's: lane j's where the round is one of the unit's rounds of
// lane j, its accumulators at the round's two pixels (the words of the previous step, of the other parity than the
// computing step's) and its parameter word. Every unit's memories are read each cycle, at the same two pixels, and
// each lane takes its row from one of them. An engine's lane j takes its rows first[j] + k; the depthwise unit's lane
// n holds the group's channel n, which output lane n mod OUTPUT_LANES takes.
template <class CONFIG>
inline void read_output_rows(const background_work &work, int parity,
                             const typename CONFIG::acc_t unit_acc[2][MAX_OUTPUT_TILE_AREA][CONFIG::ROWS],
                             const param_word_t unit_params[2][CONFIG::ROWS], output_acc_t acc[OUTPUT_LANES][2],
                             param_word_t param[OUTPUT_LANES]) {
    HLS_PRAGMA(INLINE)
    const int second = work.p + 1 < work.pixels ? work.p + 1 : work.p;
    typename CONFIG::acc_t words[2][CONFIG::ROWS];
    HLS_PRAGMA(ARRAY_PARTITION variable = words dim = 0 complete)
    for (int m = 0; m < CONFIG::ROWS; m++) {
        HLS_PRAGMA(UNROLL)
        if (parity == 0) {
            words[0][m] = unit_acc[1][work.p][m];
            words[1][m] = unit_acc[1][second][m];
        } else {
            words[0][m] = unit_acc[0][work.p][m];
            words[1][m] = unit_acc[0][second][m];
        }
    }
    for (int j = 0; j < OUTPUT_LANES; j++) {
        HLS_PRAGMA(UNROLL)
        const int k = work.rounds_done - work.start[CONFIG::INDEX][j];
        if (k >= 0 && k < work.count[CONFIG::INDEX][j]) {
            const int m = CONFIG::DEPTHWISE ? k * OUTPUT_LANES + j : work.first[CONFIG::INDEX][j] + k;
            acc[j][0] = output_acc_t(words[0][m]);
            acc[j][1] = output_acc_t(words[1][m]);
            param[j] = unit_params[work.parity][m];
        }
    }
}

// One cycle of the work behind a row step (see run_weight_layer): a round of the previous step's output stage (each
// lane a row at two pixels, through both ports of the accumulators, residual and output tile buffers: two
// requantizers a lane), else a word of the next residual tile; and beside them a word of a store, on the port's
// write channel, from the other output tile buffer.
template <class CODE_WIDTHS>
inline void background_cycle(background_work &work, int parity, const weight_layer_shape &shape, int lowest, int highest,
                             const residual_multiplier_t &residual_multiplier, const word_t *residual, word_t *out
                             ILMPQ_EACH_UNIT(ILMPQ_OUTPUT_STAGE_PARAMETERS),
                             tile_code_t residual_tile[TILE_BANK_GROUPS][OUTPUT_LANES][RESIDUAL_TILE_DEPTH],
                             tile_code_t out_tile[2][TILE_BANK_GROUPS][OUTPUT_LANES][OUTPUT_TILE_DEPTH]) {
    HLS_PRAGMA(INLINE)
    const bool draining = work.cycles > 0;
    const bool storing = work.store_words > 0;
    const bool pair = work.p + 1 < work.pixels;
    const int second = pair ? work.p + 1 : work.p;
    tile_write writes[OUTPUT_LANES][2];
    bool valid[OUTPUT_LANES][2];
    if (draining) {
        output_acc_t acc[OUTPUT_LANES][2] = {};
        param_word_t param[OUTPUT_LANES] = {};
        ILMPQ_EACH_UNIT(ILMPQ_READ_OUTPUT_ROWS)
        HLS_LABEL(output_lanes)
        for (int j = 0; j < OUTPUT_LANES; j++) {
            HLS_PRAGMA(UNROLL)
            const bool busy = work.rounds_done < work.lane_rounds[j];
            writes[j][0] = requantize<output_scaled_t>(j, acc[j][0], param[j], work.p, work.pixels, shape, lowest,
                                                       highest, residual_multiplier, residual_tile);
            writes[j][1] = requantize<output_scaled_t>(j, acc[j][1], param[j], second, work.pixels, shape, lowest,
                                                       highest, residual_multiplier, residual_tile);
            valid[j][0] = busy;
            valid[j][1] = busy && pair;
        }
    }
    // The round goes into one output tile buffer while the store reads the other (the buffers take turns by tile, or
    // where each group stores its own words by group; what is stored beside an output stage is the one before it):
    // each buffer sees the round's two writes a bank or the store's read, in branches on constant indices that show
    // the scheduler so.
    const int side = draining ? work.buffer : 1 - work.stored.buffer;
    const tile_place &tile = work.stored;
    const int place = work.store.place(tile.pixels, tile.tile_w);
    word_t word = 0;
    if (side == 0) {
        if (draining) {
            write_round(writes, valid, out_tile[0]);
        }
        if (storing) {
            word = CODE_WIDTHS::pack_output(shape, out_tile[1], place, work.store.word);
        }
    } else {
        if (draining) {
            write_round(writes, valid, out_tile[1]);
        }
        if (storing) {
            word = CODE_WIDTHS::pack_output(shape, out_tile[0], place, work.store.word);
        }
    }
    if (storing) {
        store(out, work.store.dram_word(tile.ty, tile.tx, shape.out_width, shape.out_words_per_pixel), word);
        work.store.advance(tile.tile_w);
        work.store_words--;
    }
    if (draining) {
        work.p += 2;
        work.cycles--;
        if (work.p >= work.pixels) {
            work.p = 0;
            work.rounds_done++;
        }
    } else if (work.residual_words > 0) {
        if (RESIDUAL_ADDS) {
            const word_t operand = load(residual, work.residual.dram_word(work.next_ty, work.next_tx, shape.out_width,
                                                                          shape.residual_words_per_pixel), TRAFFIC_RESIDUAL);
            CODE_WIDTHS::unpack_residual(shape, operand, work.residual.place(work.next_pixels, work.next_tile_w),
                                         residual_tile);
            work.residual.advance(work.next_tile_w);
        }
        work.residual_words--;
    }
}

// Runs one conv or linear layer on the engines (the contract of weight_layer, engines.h): per output tile, per
// group, per row step (every unit takes its next ROWS rows of the group) one pipelined loop that goes through the
// step's positions, lane group by lane group (LANES input channels, loaded once for all engines) and kernel position
// by kernel position, each a pass over the tile's pixels in which every engine multiplies-accumulates ROWS x LANES
// products per cycle. Pixels innermost: consecutive cycles update different accumulators, so the accumulation
// carries no dependence from one cycle to the next as long as a pass has more pixels than the accumulators'
// read-add-write takes cycles (a linear layer's pass has one pixel: there the DEPENDENCE pragma claims what Vitis
// would have to forward; docs/hls.md, "What Vitis HLS may do differently"). While a position computes, the loop loads the next position's
// weights and the next lane group's input tile into the other buffers (ping-pong), the last lane group the first
// input tile of the step after it; a position lasts as long as the longest of the three. Behind all of it, a word or
// value a cycle, runs the output stage of the previous step from the other accumulators, then the next residual
// tile, and beside them the store of a finished tile (or group) from the other output tile buffer; and the step's row
// parameters arrive on their own port. A step lasts as long as the longest of its positions, that work and its
// parameters.
template <class CODE_WIDTHS>
inline void run_weight_layer(const weight_layer_shape &shape, const word_t *in, const word_t *residual, word_t *out,
                             const word_t *weights, const param_word_t *params) {
    HLS_PRAGMA(INLINE)
    // the kernel positions a lane group passes over the pixels for: all, or the rows with the columns on the lanes;
    // on the depthwise unit one, its window taking the whole kernel
    const int kernel_columns = shape.unroll > 1 || shape.depthwise ? 1 : shape.kernel_w;
    const int kernel_area = shape.depthwise ? 1 : shape.kernel_h * kernel_columns;
    const int positions = shape.lane_groups * kernel_area;

    input_code_t input_tile[2][LANES][MAX_INPUT_TILE_AREA];
    HLS_PRAGMA(ARRAY_PARTITION variable = input_tile dim = 1 complete)
    HLS_PRAGMA(ARRAY_PARTITION variable = input_tile dim = 2 complete)
    // a lane of the output stage writes and reads two pixels of a row a cycle in the banks of its own: true
    // dual-port memories (UG473); two of them, one taking the output stage of a tile while the other's is stored
    tile_code_t out_tile[2][TILE_BANK_GROUPS][OUTPUT_LANES][OUTPUT_TILE_DEPTH];
    HLS_PRAGMA(ARRAY_PARTITION variable = out_tile dim = 1 complete)
    HLS_PRAGMA(ARRAY_PARTITION variable = out_tile dim = 2 complete)
    HLS_PRAGMA(ARRAY_PARTITION variable = out_tile dim = 3 complete)
    HLS_PRAGMA(BIND_STORAGE variable = out_tile type = ram_t2p)
    tile_code_t residual_tile[TILE_BANK_GROUPS][OUTPUT_LANES][RESIDUAL_TILE_DEPTH];
    HLS_PRAGMA(ARRAY_PARTITION variable = residual_tile dim = 1 complete)
    HLS_PRAGMA(ARRAY_PARTITION variable = residual_tile dim = 2 complete)
    HLS_PRAGMA(BIND_STORAGE variable = residual_tile type = ram_t2p)
    ILMPQ_EACH_UNIT(ILMPQ_UNIT_BUFFERS)
#if ILMPQ_DEPTHWISE_UNIT
    // each lane's window: DW_WINDOW rows of DW_WINDOW input codes, the newest row and column last
    lane_t dw_window[LANES][DW_WINDOW][DW_WINDOW] = {};
    HLS_PRAGMA(ARRAY_PARTITION variable = dw_window dim = 0 complete)
    // each lane's line buffers: the input tile's rows iy - 1 and iy - 2 above the current row iy, a row in the line of
    // its parity, each line two memories of distributed RAM (the even and the odd columns), so that a cycle reads and
    // writes two columns
    lane_t dw_lines[LANES][DW_LINES][2][DW_LINE_DEPTH];
    HLS_PRAGMA(ARRAY_PARTITION variable = dw_lines dim = 1 complete)
    HLS_PRAGMA(ARRAY_PARTITION variable = dw_lines dim = 2 complete)
    HLS_PRAGMA(ARRAY_PARTITION variable = dw_lines dim = 3 complete)
    HLS_PRAGMA(BIND_STORAGE variable = dw_lines type = ram_s2p impl = lutram)
    // words of each output pixel a group stores behind the next step (LoopNestSchedule.groupStoreWords): on the
    // depthwise unit, where a group's channels fill whole words; 0: the tile's words go behind the next tile's first
    const int group_store = shape.depthwise && shape.groups > 1 && (shape.in_per_group & ((1 << shape.out_codes_log2) - 1)) == 0
                                ? shape.in_per_group >> shape.out_codes_log2 : 0;
#else
    const int group_store = 0;
#endif

    background_work work = {};
    int parity = 0;
    // the input buffer of a step's first lane group, and whether the step before it has loaded it
    int input_base = 0;
    bool prefetched = false;
    // the layer's clamp and residual multiplier, which the output stage of a step behind the next tile still needs
    int lowest = 0;
    int highest = 0;
    residual_multiplier_t residual_multiplier = 0;
    // the output tile buffer that takes the output stage of this tile's steps, or where each group stores its own
    // words of this group's step; the other holds the tile (the group) before it for its store
    int output_buffer = 0;
    HLS_LABEL(tile_rows)
    for (int ty = 0; ty < shape.out_height; ty += shape.tile) {
        HLS_LABEL(tile_columns)
        for (int tx = 0; tx < shape.out_width; tx += shape.tile) {
            const int tile_h = shape.out_height - ty < shape.tile ? shape.out_height - ty : shape.tile;
            const int tile_w = shape.out_width - tx < shape.tile ? shape.out_width - tx : shape.tile;
            const int pixels = tile_h * tile_w;
            const input_window window = input_window::of(shape, ty, tx);
            const int lane_tile_w = window.lane_tile_w;
            // the tile after this one, whose first input tile the last step loads
            const bool next_tile = tx + shape.tile < shape.out_width || ty + shape.tile < shape.out_height;
            const input_window next_window = input_window::of(shape, tx + shape.tile < shape.out_width ? ty : ty + shape.tile,
                                                              tx + shape.tile < shape.out_width ? tx + shape.tile : 0);
            // the layer's word, read once per tile as the hardware model counts it (a lone read)
            ILMPQ_LOOP_CYCLES(1, DRAM_LOOP_DEPTH);
            const param_word_t layer_word = load(params, 0, TRAFFIC_PARAMETERS);
            lowest = decode<16>(static_cast<unsigned>(bits_at<16>(layer_word, 0)), true);
            highest = decode<16>(static_cast<unsigned>(bits_at<16>(layer_word, 16)), true);
            residual_multiplier = bits_at<OPERAND_MULTIPLIER_BITS>(layer_word, 32);
            // this tile's residual operand goes behind the first step, after what the previous tile left
            work.residual_words = shape.residual ? pixels * shape.residual_words_per_pixel : 0;
            work.residual = output_tile_cursor::over(0, shape.residual_words_per_pixel);
            work.next_ty = ty;
            work.next_tx = tx;
            work.next_tile_w = tile_w;
            work.next_pixels = pixels;
            const word_t *group_weights = weights;
            const param_word_t *group_params = params + 1;
            HLS_LABEL(groups)
            for (int g = 0; g < shape.groups; g++) {
                // a group's runs of words are requests of their own (docs/hardware-model.md, "DRAM bound")
                ILMPQ_BURST_BREAK();
                // the group's row counts (none on the depthwise unit, which takes every row of a group)
                const int counts_words = shape.depthwise ? 0 : 1;
                param_word_t counts = 0;
                if (counts_words > 0) {
                    ILMPQ_LOOP_CYCLES(1, DRAM_LOOP_DEPTH);
                    counts = load(group_params, 0, TRAFFIC_PARAMETERS, 1);
                }
                // the units' parameters and weights of the group follow one another: each unit's row steps, lane
                // groups and kernel positions
                const param_word_t *unit_params = group_params + counts_words;
                const word_t *unit_weights = group_weights;
                ILMPQ_EACH_UNIT(ILMPQ_BEGIN_GROUP)
                const int first_channel_of_group = g * shape.in_per_group;
                HLS_LABEL(row_steps)
                while (false ILMPQ_EACH_UNIT(ILMPQ_ROWS_LEFT)) { // a row step while any unit has rows left
                    // words of one kernel position's weights of every unit with rows in this step; its parameters
                    int weight_words = 0;
                    int step_rows = 0;
                    bool more_steps = false;
                    ILMPQ_EACH_UNIT(ILMPQ_BEGIN_STEP)
                    // the cycles of a pass: over the pixels; on the depthwise unit, per row of the input tile the
                    // cycles that read its first columns, two a cycle, then a cycle per output column
                    const int window_fill = (shape.kernel_w - shape.stride_w + 1) >> 1;
                    const int pass_pixels = shape.depthwise ? ((tile_h - 1) * shape.stride_h + shape.kernel_h) * (tile_w + window_fill)
                                                            : shape.passes * pixels;
                    // the first position's weights (and for the layer's first step the first lane group's input
                    // tile) before anything computes (position -1); the next lane group's input tile while a lane
                    // group computes, and while the last computes the first of the step after this one: the
                    // group's next step, the next group's first, the next tile's first, or none at the layer's end
                    const bool next_group = !more_steps && g + 1 < shape.groups;
                    const input_window following_window = more_steps || next_group ? window : next_window;
                    const lane_group_input following =
                        more_steps ? lane_group_input::first_of(shape, first_channel_of_group, window.in_tile_area)
                        : next_group ? lane_group_input::first_of(shape, first_channel_of_group + shape.in_per_group, window.in_tile_area)
                        : next_tile ? lane_group_input::first_of(shape, 0, next_window.in_tile_area) : lane_group_input::nothing();
                    lane_group_input now = lane_group_input::first_of(shape, first_channel_of_group, window.in_tile_area);
                    lane_group_input next = now;
                    input_window loading = window;
                    tile_cursor cursor = {0, 0, 0, 0};
                    int q = -1;
                    int lane_group = 0;
                    int k = 0, ky = 0, kx = 0;
                    int computed = 0, pass = 0, p = 0, oy = 0, ox = 0;
#if ILMPQ_DEPTHWISE_UNIT
                    int iy = 0, window_column = 0; // the input tile's row and the cycle within it on the depthwise unit
#endif
                    int weights_loaded = 0, inputs_loaded = 0, params_loaded = 0;
                    // each unit's rows of the step per output lane, counted as their parameters arrive
                    int lane_rows[UNITS][OUTPUT_LANES];
                    HLS_PRAGMA(ARRAY_PARTITION variable = lane_rows dim = 0 complete)
                    for (int e = 0; e < UNITS; e++) {
                        HLS_PRAGMA(UNROLL)
                        for (int j = 0; j < OUTPUT_LANES; j++) {
                            HLS_PRAGMA(UNROLL)
                            lane_rows[e][j] = 0;
                        }
                    }
                    long trips = 0;
                    HLS_LABEL(row_step)
                    for (bool done = false; !done; trips++) {
                        HLS_PRAGMA(PIPELINE II = 1)
                        HLS_PRAGMA(LOOP_TRIPCOUNT min = 1 max = STEP_TRIP_COUNT)
                        HLS_PRAGMA(DEPENDENCE variable = input_tile type = inter false)
                        ILMPQ_EACH_UNIT(ILMPQ_UNIT_INDEPENDENCE)
                        const int input_buffer = q < 0 ? input_base : (input_base + lane_group + 1) & 1;
                        if (q < 0) {
                            if (!prefetched && inputs_loaded < now.values) {
                                CODE_WIDTHS::load_input(shape, in, now, window, cursor, input_tile[input_base]);
                                inputs_loaded++;
                            }
                        } else if (q < positions) {
#if ILMPQ_DEPTHWISE_UNIT
                            if (computed < pass_pixels && shape.depthwise) {
                                // the input tile row by row: the first kernel_w - stride_w columns of a row two a cycle
                                // through both ports of a lane's input memory (window_fill cycles), then stride_w new
                                // columns a cycle; each new column comes with the same column of the two rows above
                                // it from the line buffers, which keep the new code in place of the oldest row's, and
                                // shifts into the window
                                const bool filling = window_column < window_fill;
                                const int before = shape.kernel_w - shape.stride_w; // the columns an output's window shares
                                const int reads = filling ? (before - 2 * window_column > 1 ? 2 : 1) : shape.stride_w;
                                const int column = filling ? 2 * window_column : before + (window_column - window_fill) * shape.stride_w;
                                for (int n = 0; n < LANES; n++) {
                                    HLS_PRAGMA(UNROLL)
                                    lane_t fresh[2][DW_WINDOW] = {}; // the new columns: rows iy - 2, iy - 1 and iy
                                    for (int bank = 0; bank < 2; bank++) {
                                        HLS_PRAGMA(UNROLL)
                                        // the line buffers' memory of this parity holds the new column c = column + r of
                                        // that parity; both its lines are read at constant indices, each row's line
                                        // being the one of the row's parity, and the line of row iy - 2 takes row iy
                                        const int r = (column ^ bank) & 1;
                                        const int c = column + r;
                                        if (r < reads) {
                                            const lane_t code = lane_t(input_tile[(input_base + lane_group) & 1][n][iy * lane_tile_w + c]);
                                            const lane_t even = iy >= 1 ? dw_lines[n][0][bank][c >> 1] : lane_t(0);
                                            const lane_t odd = iy >= 2 ? dw_lines[n][1][bank][c >> 1] : lane_t(0);
                                            fresh[r][2] = code;
                                            fresh[r][1] = (iy & 1) ? even : odd;
                                            fresh[r][0] = iy < 2 ? lane_t(0) : (iy & 1) ? odd : even;
                                            dw_lines[n][iy & 1][bank][c >> 1] = code;
                                        }
                                    }
                                    for (int t = 0; t < DW_WINDOW; t++) {
                                        HLS_PRAGMA(UNROLL)
                                        for (int x = 0; x < DW_WINDOW; x++) {
                                            HLS_PRAGMA(UNROLL)
                                            const int from = x + reads;
                                            dw_window[n][t][x] = from < DW_WINDOW ? dw_window[n][t][from] : fresh[from - DW_WINDOW][t];
                                        }
                                    }
                                }
                                // the window holds an output where its last row is a kernel's last (every stride_h-th
                                // row from kernel_h - 1; a stride of 1 or 2, so the mask is the remainder) and it
                                // has taken a cycle's new columns
                                const bool output_row = iy >= shape.kernel_h - 1 && ((iy - shape.kernel_h + 1) & (shape.stride_h - 1)) == 0;
                                if (!filling && output_row) {
                                    dw_config::acc_t word[LANES];
                                    HLS_PRAGMA(ARRAY_PARTITION variable = word dim = 0 complete)
                                    depthwise_unit<dw_config>(dw_weights[q & 1], dw_window, word);
                                    write_accumulators<dw_config>(dw_acc, parity, p, word);
                                    p++;
                                }
                                if (++window_column == tile_w + window_fill) {
                                    window_column = 0;
                                    iy++;
                                }
                                computed++;
                            }
#endif
                            if (computed < pass_pixels && !shape.depthwise) {
                                const int first_slice = pass * shape.lanes_per_value;
                                const bool halves = HALVES && shape.lanes_per_value > 1;
                                lane_t lanes[LANES];
                                HLS_PRAGMA(ARRAY_PARTITION variable = lanes dim = 0 complete)
                                const int i = (oy * shape.stride_h + ky * shape.dilation_h) * lane_tile_w + ox * shape.stride_w
                                              + kx * shape.dilation_w;
                                for (int n = 0; n < LANES; n++) {
                                    // with two lanes a value, lane n + LANES / 2 takes the slice above lane n's of the same code
                                    const bool upper = halves && n >= LANES / 2;
                                    const int slice = first_slice + (upper ? 1 : 0);
                                    const input_code_t bits = input_tile[(input_base + lane_group) & 1][upper ? n - LANES / 2 : n][i] >> shift_t(slice * ACTIVATION_BITS);
                                    lanes[n] = slice >= shape.slices ? lane_t(0)
                                               : slice < shape.slices - 1 ? lane_t(bits & ((1 << ACTIVATION_BITS) - 1)) : lane_t(bits);
                                }
                                const shift_t shift = first_slice * ACTIVATION_BITS;
                                // the first products of a row step replace what the accumulators held
                                const bool clear = q == 0 && pass == 0;
                                ILMPQ_EACH_ENGINE(ILMPQ_ENGINE_CYCLE)
                                if (++ox == tile_w) {
                                    ox = 0;
                                    oy++;
                                }
                                if (++p == pixels) {
                                    p = 0;
                                    oy = 0;
                                    pass++;
                                }
                                computed++;
                            }
                            if (inputs_loaded < next.values) {
                                CODE_WIDTHS::load_input(shape, in, next, loading, cursor, input_tile[input_buffer]);
                                inputs_loaded++;
                            }
                        }
                        // the weights of the next position (of position 0 before the first)
                        if (q + 1 < positions && weights_loaded < weight_words) {
                            const int t = weights_loaded;
                            int unit = 0, at = 0, before = 0;
                            const word_t *block = weights;
                            ILMPQ_EACH_UNIT(ILMPQ_FIND_WEIGHT_WORD)
                            const word_t word = load(block, at, TRAFFIC_WEIGHTS, unit);
                            ILMPQ_EACH_UNIT(ILMPQ_TAKE_WEIGHT_WORD)
                            weights_loaded++;
                        }
                        // the step's row parameters, for its output stage behind the next step
                        if (params_loaded < step_rows) {
                            int unit = 0, at = 0, before = 0;
                            const param_word_t *rows = params;
                            ILMPQ_EACH_UNIT(ILMPQ_FIND_PARAMETER_WORD)
                            const param_word_t word = load(rows, at, TRAFFIC_PARAMETERS, 2 + unit);
                            ILMPQ_EACH_UNIT(ILMPQ_TAKE_PARAMETER_WORD)
                            lane_rows[unit][static_cast<int>(bits_at<CHANNEL_FIELD_BITS>(word, CHANNEL_AT)) & (OUTPUT_LANES - 1)]++;
                            params_loaded++;
                        }
                        background_cycle<CODE_WIDTHS>(work, parity, shape, lowest, highest, residual_multiplier, residual, out
                                                      ILMPQ_EACH_UNIT(ILMPQ_OUTPUT_STAGE_ARGUMENTS), residual_tile, out_tile);
                        // the position ends when it has computed and its loads are in
                        const bool last_of_lane_group = q >= 0 && k + 1 == kernel_area;
                        if (q < positions && (q < 0 ? prefetched || inputs_loaded == now.values : computed == pass_pixels) &&
                            (q + 1 == positions || weights_loaded == weight_words) &&
                            (!last_of_lane_group || inputs_loaded == next.values)) {
                            if (q >= 0 && ++kx == kernel_columns) {
                                kx = 0;
                                ky++;
                            }
                            if (q >= 0 && ++k == kernel_area) {
                                k = 0;
                                ky = 0;
                                lane_group++;
                            }
                            if (q < 0 || k == 0) {
                                // the lane group after the one that computes now, or after the last the next step's first
                                const bool last_lane_group = lane_group + 1 >= shape.lane_groups;
                                next = last_lane_group ? following
                                       : lane_group_input::after(q < 0 ? now : next, shape, first_channel_of_group, window.in_tile_area);
                                loading = last_lane_group ? following_window : window;
                                cursor = tile_cursor();
                                inputs_loaded = 0;
                                if (loading.in_tile_area > 1) {
                                    ILMPQ_RUN_BREAK(TRAFFIC_INPUT, 0); // a lane group's input tile is a request of its own
                                }
                            }
                            q++;
                            weights_loaded = 0;
                            computed = 0;
                            pass = 0;
                        }
                        // a store runs on into the next steps, but for the one whose output stage (behind the step
                        // after it) writes the buffer it reads
                        const bool store_runs_on = work.stored.buffer != output_buffer;
                        done = q == positions && work.cycles == 0 && (work.store_words == 0 || store_runs_on) &&
                               work.residual_words == 0 && params_loaded == step_rows;
                    }
                    ILMPQ_LOOP_CYCLES(trips, DRAM_LOOP_DEPTH);
                    // the next step's first input tile is in the buffer after this step's last lane group's
                    input_base = (input_base + shape.lane_groups) & 1;
                    prefetched = true;
                    // a tile or group whose last output stage ran behind this step: its words go beside the next steps
                    if (work.pending) {
                        start_store(work);
                    }
                    // the output stage of this step goes behind the next one
                    work.parity = parity;
                    work.buffer = output_buffer;
                    work.pixels = pixels;
                    work.rounds_done = 0;
                    work.p = 0;
                    // each lane's rows of the units one unit after the other (start: its rounds before a unit's);
                    // within a unit, a lane's rows follow those of the lanes before it (first)
                    for (int j = 0; j < OUTPUT_LANES; j++) {
                        HLS_PRAGMA(UNROLL)
                        work.lane_rounds[j] = 0;
                    }
                    for (int e = 0; e < UNITS; e++) {
                        HLS_PRAGMA(UNROLL)
                        int first = 0;
                        for (int j = 0; j < OUTPUT_LANES; j++) {
                            HLS_PRAGMA(UNROLL)
                            work.first[e][j] = first;
                            work.count[e][j] = lane_rows[e][j];
                            work.start[e][j] = work.lane_rounds[j];
                            first += lane_rows[e][j];
                            work.lane_rounds[j] += lane_rows[e][j];
                        }
                    }
                    // the fullest lane sets the rounds
                    int rounds = 0;
                    for (int j = 0; j < OUTPUT_LANES; j++) {
                        HLS_PRAGMA(UNROLL)
                        rounds = work.lane_rounds[j] > rounds ? work.lane_rounds[j] : rounds;
                    }
                    work.cycles = static_cast<long>(rounds) * ((pixels + 1) >> 1);
                    if (group_store > 0) {
                        // the group's words are whole once its output stage is done: they are stored beside the step
                        // after the next, from this buffer, while the next group's output stage writes the other
                        const tile_place group_place = {ty, tx, tile_w, pixels, output_buffer};
                        work.pending = true;
                        work.pending_place = group_place;
                        work.pending_word = first_channel_of_group >> shape.out_codes_log2;
                        work.pending_words = group_store;
                        output_buffer = 1 - output_buffer;
                    }
                    parity = 1 - parity;
                    ILMPQ_EACH_UNIT(ILMPQ_END_STEP)
                }
                group_weights = unit_weights;
                group_params = unit_params;
            }
            // the tile is finished (where its groups have not stored their own words): its store waits for the output
            // stage of its last step, behind the next step, and goes beside the steps after that, from this tile's
            // buffer while the next tile's go into the other, until the step whose output stage writes this buffer
            // again has waited for it
            if (group_store == 0) {
                const tile_place finished_tile = {ty, tx, tile_w, pixels, output_buffer};
                work.pending = true;
                work.pending_place = finished_tile;
                work.pending_word = 0;
                work.pending_words = shape.out_words_per_pixel;
                output_buffer = 1 - output_buffer;
            }
        }
    }
    // what the last step left: its output stage beside the store of the tile before, then the last tile's words
    ILMPQ_BURST_BREAK();
    long trips = 0;
    HLS_LABEL(last_output_stage)
    for (; work.cycles > 0 || work.store_words > 0 || work.pending; trips++) {
        HLS_PRAGMA(PIPELINE II = 1)
        HLS_PRAGMA(LOOP_TRIPCOUNT min = 1 max = STEP_TRIP_COUNT)
        ILMPQ_EACH_UNIT(ILMPQ_UNIT_INDEPENDENCE)
        if (work.pending && work.cycles == 0 && work.store_words == 0) {
            start_store(work);
        }
        background_cycle<CODE_WIDTHS>(work, parity, shape, lowest, highest, residual_multiplier, residual, out
                                      ILMPQ_EACH_UNIT(ILMPQ_OUTPUT_STAGE_ARGUMENTS), residual_tile, out_tile);
    }
    ILMPQ_LOOP_CYCLES(trips, DRAM_LOOP_DEPTH);
}

} // namespace ilmpq

#endif
