// Random test vectors for one unit of the calibration's Verilog, with the outputs the generated firmware's own C++
// computes for them: the engine datapaths of ilmpq_engines.h and the requantization of ilmpq_tiles.h, included
// from the generator's runtime directory, not copied. The unit and its widths come as -D definitions (simulate.sh
// passes the same numbers to the Verilog); the vectors go to stdout, a line a cycle, fields in hexadecimal, for
// the unit's test bench (tb_*.v), which feeds the inputs and compares the outputs.
//
//   UNIT_ROW:     a row of KIND (0 fixed, 1 pot, 2 sp2) on LANES lanes, engine_datapath<LUT_SHIFT_ADD> or
//                 <DSP_PRODUCTS>; line: weights lanes shift halves clear | accumulator after the cycle
//   UNIT_PACKED:  PACKING rows of engine_datapath<DSP_PACKED>; line: weights lanes shift halves clear | accumulators
//   UNIT_REQUANT: requantize(); line: acc bias multiplier shift residual code R lowest highest | code
//   UNIT_DEPTHWISE: one lane of depthwise_unit(); line: weights window | sum
#include <cstdio>
#include <cstdlib>
#include <random>

#include "ilmpq_layers.h"

namespace ilmpq {

#if defined(UNIT_ROW) || defined(UNIT_PACKED) || defined(UNIT_DEPTHWISE)
#if defined(UNIT_DEPTHWISE)
const int LANES = 1;
#else
const int LANES = CAL_LANES;
#endif
const int ACTIVATION_BITS = CAL_ACTIVATION_BITS;
const int DW_WINDOW = 3;
const int DW_TAPS = DW_WINDOW * DW_WINDOW;
typedef int_t<ACTIVATION_BITS + 1> lane_t;
typedef uint_t<CAL_SHIFT_BITS> shift_t;
enum datapath_kind { LUT_SHIFT_ADD, DSP_PRODUCTS, DSP_PACKED };
enum code_scheme { FIXED_CODE, POT_CODE, SP2_CODE };

#if defined(UNIT_DEPTHWISE)
struct unit_config {
    static const int BITS = CAL_WEIGHT_BITS;
    typedef int_t<CAL_WEIGHT_BITS> weight_t;
    typedef int_t<CAL_PRODUCT_BITS> product_t;
    typedef int_t<CAL_SUM_BITS> sum_t;
    typedef int_t<CAL_SUM_BITS> acc_t;
};
#else
struct unit_config {
#if defined(UNIT_ROW)
    static const datapath_kind DATAPATH = CAL_KIND == 0 ? DSP_PRODUCTS : LUT_SHIFT_ADD;
    static const int ROWS = 1;
#else
    static const datapath_kind DATAPATH = DSP_PACKED;
    static const int ROWS = CAL_PACKING;
    static const int PACKING = CAL_PACKING;
    static const int FIELD_BITS = CAL_FIELD_BITS;
    typedef int_t<CAL_PACKED_BITS> packed_t;
    typedef int_t<CAL_PACKED_PRODUCT_BITS> packed_product_t;
#endif
    static const code_scheme KIND = CAL_KIND == 0 ? FIXED_CODE : CAL_KIND == 1 ? POT_CODE : SP2_CODE;
    static const int BITS = CAL_WEIGHT_BITS;
    typedef int_t<CAL_WEIGHT_BITS> weight_t;
    typedef int_t<CAL_PRODUCT_BITS> product_t;
    typedef int_t<CAL_SUM_BITS> sum_t;
    typedef int_t<CAL_ACC_BITS> acc_t;
};
#endif
#endif

#if defined(UNIT_REQUANT)
// what requantize() reads of a design: one lane, a residual tile of one code, every code 8 bits a bank
const int LANES = 16;
const int ACTIVATION_BITS = 4;
const int TILE = 1;
const bool HALVES = false;
const int ENGINES = 1;
const int UNITS = 1;
const int MAX_INPUT_TILE_AREA = 1;
const int TILE_BANKS = 1;
const int OUTPUT_LANES = 1;
const int OUTPUT_LANES_LOG2 = 0;
const int TILE_BANK_GROUPS = 1;
const int OUTPUT_TILE_DEPTH = 1;
const int RESIDUAL_TILE_DEPTH = 1;
const bool RESIDUAL_ADDS = CAL_RESIDUAL != 0;
typedef packed_word<64> word_t;
typedef packed_word<64> param_word_t;
typedef int_t<CAL_CODE_BITS> input_code_t;
typedef int_t<CAL_CODE_BITS> tile_code_t;
typedef int_t<ACTIVATION_BITS + 1> lane_t;
typedef uint_t<3> shift_t;
typedef int_t<CAL_Z_BITS> sum_t;
typedef int_t<CAL_ACC_BITS> output_acc_t;
typedef int_t<CAL_SCALED_BITS> output_scaled_t;
#endif

} // namespace ilmpq

#if defined(UNIT_ROW) || defined(UNIT_PACKED) || defined(UNIT_DEPTHWISE)
#include "ilmpq_engines.h"
#else
#include "ilmpq_weight_layer.h"
#include "ilmpq_tiles.h"
#endif

using namespace ilmpq;

namespace {

std::mt19937_64 generator(CAL_SEED);

long long uniform(long long low, long long high) {
    return std::uniform_int_distribution<long long>(low, high)(generator);
}

// a W-bit two's complement field, for the test bench's %h
unsigned long long bits_of(long long value, int width) {
    return static_cast<unsigned long long>(value) & (width >= 64 ? ~0ULL : (1ULL << width) - 1);
}

#if defined(UNIT_ROW) || defined(UNIT_PACKED) || defined(UNIT_DEPTHWISE)
// prints the fields of `values` (count of them, width bits each, the first lowest) as one hexadecimal number
void print_bus(const long long *values, int count, int width) {
    const int digits = (count * width + 3) / 4;
    for (int d = digits - 1; d >= 0; d--) {
        unsigned nibble = 0;
        for (int b = 3; b >= 0; b--) {
            const int bit = d * 4 + b;
            const int index = bit / width;
            const unsigned value = index < count ? static_cast<unsigned>((bits_of(values[index], width) >> (bit % width)) & 1) : 0;
            nibble = (nibble << 1) | value;
        }
        std::printf("%x", nibble);
    }
    std::printf(" ");
}
#endif

} // namespace

int main(int argc, char **argv) {
    const int cycles = argc > 1 ? std::atoi(argv[1]) : 1000;
#if defined(UNIT_ROW) || defined(UNIT_PACKED)
    typedef unit_config::weight_t weight_t;
    const int rows = unit_config::ROWS;
    // the codes the export writes: symmetric, no most negative code (FILM-QNN's grid; pot and sp2 likewise)
    const long long largest_code = (1LL << (CAL_WEIGHT_BITS - 1)) - 1;
    unit_config::acc_t acc[rows];
    for (int m = 0; m < rows; m++) {
        acc[m] = 0;
    }
    for (int cycle = 0; cycle < cycles; cycle++) {
        weight_t weights[rows * LANES];
        lane_t lanes[LANES];
        long long weight_values[rows * LANES], lane_values[LANES];
        for (int i = 0; i < rows * LANES; i++) {
            weight_values[i] = uniform(-largest_code, largest_code);
            weights[i] = weight_values[i];
        }
        // lanes: activation slices, unsigned, or the signed top slice of a signed input
        // a value on two lanes, the upper half weighed 2^A, only where codes are wider than the activations: 8-bit
        // codes on narrower ones (a design of 8-bit activations has no halves, and its shift_t cannot hold 8)
        const bool halves = ACTIVATION_BITS < 8 && uniform(0, 3) == 0;
        const bool signed_lanes = uniform(0, 1) == 0;
        for (int n = 0; n < LANES; n++) {
            lane_values[n] = signed_lanes ? uniform(-(1LL << (ACTIVATION_BITS - 1)), (1LL << (ACTIVATION_BITS - 1)) - 1)
                                          : uniform(0, (1LL << ACTIVATION_BITS) - 1);
            lanes[n] = lane_values[n];
        }
        const long long shift = uniform(0, 1) == 0 ? 0 : uniform(0, (1LL << CAL_SHIFT_BITS) - 1);
        const bool clear = uniform(0, 7) == 0 || cycle == 0;
        engine_datapath<unit_config>::cycle(weights, lanes, shift_t(shift), halves, clear, acc);
        print_bus(weight_values, rows * LANES, CAL_WEIGHT_BITS);
        print_bus(lane_values, LANES, ACTIVATION_BITS + 1);
        std::printf("%llx %d %d ", static_cast<unsigned long long>(shift), halves ? 1 : 0, clear ? 1 : 0);
        long long results[rows];
        for (int m = 0; m < rows; m++) {
            results[m] = acc[m].to_int64();
        }
        print_bus(results, rows, CAL_ACC_BITS);
        std::printf("\n");
    }
#elif defined(UNIT_DEPTHWISE)
    // a channel's integer weights, whatever its row's scheme: up to the largest the unit's rows hold
    typedef unit_config::weight_t weight_t;
    for (int cycle = 0; cycle < cycles; cycle++) {
        weight_t weights[DW_TAPS];
        lane_t window[1][DW_WINDOW][DW_WINDOW];
        long long weight_values[DW_TAPS], window_values[DW_TAPS];
        const bool signed_lanes = uniform(0, 1) == 0;
        for (int t = 0; t < DW_TAPS; t++) {
            weight_values[t] = uniform(-CAL_LARGEST_WEIGHT, CAL_LARGEST_WEIGHT);
            weights[t] = weight_values[t];
            window_values[t] = signed_lanes ? uniform(-(1LL << (ACTIVATION_BITS - 1)), (1LL << (ACTIVATION_BITS - 1)) - 1)
                                            : uniform(0, (1LL << ACTIVATION_BITS) - 1);
            window[0][t / DW_WINDOW][t % DW_WINDOW] = window_values[t];
        }
        unit_config::acc_t acc[1];
        depthwise_unit<unit_config>(weights, window, acc);
        print_bus(weight_values, DW_TAPS, CAL_WEIGHT_BITS);
        print_bus(window_values, DW_TAPS, ACTIVATION_BITS + 1);
        const long long sum = acc[0].to_int64();
        print_bus(&sum, 1, CAL_SUM_BITS);
        std::printf("\n");
    }
#else
    static const tile_code_t residual_tile[1][1][1] = {{{0}}};
    for (int cycle = 0; cycle < cycles; cycle++) {
        const long long acc = uniform(-(1LL << (CAL_ACC_BITS - 1)), (1LL << (CAL_ACC_BITS - 1)) - 1);
        // every field over its whole range a quarter of the time; otherwise as a layer's are: z of the order of
        // the codes x 2^16, so that the rounding and both ends of the clamp are taken
        const bool anything = uniform(0, 3) == 0;
        const long long bias = anything ? uniform(-(1LL << 25), (1LL << 25) - 1) : uniform(-(1LL << 23), 1LL << 23);
        const long long multiplier = uniform(0, (1LL << 17) - 1);
        const long long magnitude = (acc < 0 ? -acc : acc) * multiplier;
        int magnitude_bits = 0;
        while (magnitude_bits < 62 && (1LL << magnitude_bits) <= magnitude) {
            magnitude_bits++;
        }
        const long long fitting = magnitude_bits - 23 + 8 + uniform(-3, 3); // s + 8 that leaves about 2^23
        const long long shift = anything || fitting < 0 || fitting > 39 ? uniform(0, 39) : fitting;
        const bool residual = CAL_RESIDUAL != 0 && uniform(0, 1) == 0;
        const long long code = uniform(-(1LL << (CAL_CODE_BITS - 2)), (1LL << (CAL_CODE_BITS - 2)) - 1);
        const long long residual_multiplier = anything ? uniform(0, (1LL << 24) - 1) : uniform(0, 1LL << 18);
        const bool relu = uniform(0, 1) == 0;
        const long long lowest = relu ? 0 : -(1LL << (CAL_CODE_BITS - 2));
        const long long highest = relu ? uniform(1, (1LL << (CAL_CODE_BITS - 2)) - 1) : (1LL << (CAL_CODE_BITS - 2)) - 1;
        param_word_t word;
        set_bits_at<BIAS_BITS>(word, 0, static_cast<unsigned long long>(bias));
        set_bits_at<MULTIPLIER_BITS>(word, MULTIPLIER_AT, static_cast<unsigned long long>(multiplier));
        set_bits_at<SHIFT_FIELD_BITS>(word, SHIFT_AT, static_cast<unsigned long long>(shift));
        weight_layer_shape shape = {};
        shape.residual = residual;
        tile_code_t operand_tile[1][1][1] = {{{tile_code_t(code)}}};
        const tile_write write = requantize<output_scaled_t>(0, output_acc_t(acc), word, 0, 1, shape,
                                                             static_cast<int>(lowest), static_cast<int>(highest),
                                                             residual_multiplier_t(residual_multiplier),
                                                             residual ? operand_tile : residual_tile);
        std::printf("%llx %llx %llx %llx %d %llx %llx %llx %llx %llx\n", bits_of(acc, CAL_ACC_BITS), bits_of(bias, 26),
                    bits_of(multiplier, 17), bits_of(shift, 6), residual ? 1 : 0, bits_of(code, CAL_CODE_BITS),
                    bits_of(residual_multiplier, 24), bits_of(lowest, CAL_CODE_BITS), bits_of(highest, CAL_CODE_BITS),
                    bits_of(write.code.to_int64(), CAL_CODE_BITS));
    }
#endif
    return 0;
}
