// The datapaths of the engines and of the depthwise unit, as templates over an engine's config struct (as hls4ml
// writes its layers: static templates, one config per instance). engines.h defines the configs, each with the
// widths the hardware model derived for its scheme and rows (HlsNetwork.Engine):
//   INDEX           its place among the units: its field in a group's row counts, its weights' and parameters' turn
//   DATAPATH        LUT_SHIFT_ADD (power-of-two and sum-of-two-powers codes), DSP_PRODUCTS (fixed-point codes, one
//                   product a slice) or DSP_PACKED (PACKING rows' weights side by side in one DSP operand)
//   KIND            the code's scheme: FIXED_CODE, POT_CODE or SP2_CODE (docs/export-format.md)
//   ROWS, BITS      rows, and bits of a weight code
//   CODES_PER_ROW   codes of one row a kernel position takes: LANES, or DW_TAPS on the depthwise unit
//   CODES_PER_WORD, CODES_LOG2: the codes a word holds, a power of two
//   PACKING, FIELD_BITS: for DSP_PACKED, the rows a multiplier takes and how far apart their weights lie
//   weight_t, product_t, sum_t, acc_t (and packed_t, packed_product_t): the widths, each wide enough for the
//                   largest layer, so that nothing overflows.
// Every function here is inlined into the row_step loop of weight_layer, whose pipeline it joins. Include after
// engines.h (LANES, ACTIVATION_BITS, lane_t, shift_t).
#ifndef ILMPQ_ENGINES_RUNTIME_H
#define ILMPQ_ENGINES_RUNTIME_H

namespace ilmpq {

// What a code weighs, by scheme: a product by the lane, on a DSP slice for fixed-point codes.
template <int KIND>
struct weighted_lane;

template <>
struct weighted_lane<FIXED_CODE> {
    // the code is the integer weight (FILM-QNN's symmetric grid): one product per lane, on a DSP slice
    template <class CONFIG>
    static typename CONFIG::product_t of(typename CONFIG::weight_t code, lane_t lane) {
        HLS_PRAGMA(INLINE)
        const typename CONFIG::product_t product = code * lane;
        HLS_PRAGMA(BIND_OP variable = product op = mul impl = dsp)
        return product;
    }
};

template <>
struct weighted_lane<POT_CODE> {
    // code c != 0 weighs sign(c) x 2^(|c| - 1): the lane shifted, negated for c < 0
    template <class CONFIG>
    static typename CONFIG::product_t of(typename CONFIG::weight_t code, lane_t lane) {
        HLS_PRAGMA(INLINE)
        typedef typename CONFIG::product_t product_t;
        const int magnitude = code < 0 ? int(-code) : int(code);
        const product_t shifted = product_t(lane) << static_cast<unsigned>(magnitude == 0 ? 0 : magnitude - 1);
        return magnitude == 0 ? product_t(0) : code < 0 ? product_t(-shifted) : shifted;
    }
};

template <>
struct weighted_lane<SP2_CODE> {
    // |c| = i1 x 2^M2 + i2 weighs q(i1) + q(i2), q(i) = 2^(TOP - i) for i > 0, 0 for i = 0, with M1 = BITS / 2,
    // M2 = BITS - 1 - M1 and TOP = 2^M1 - 1: two shifts and an add, negated for c < 0
    template <class CONFIG>
    static typename CONFIG::product_t of(typename CONFIG::weight_t code, lane_t lane) {
        HLS_PRAGMA(INLINE)
        typedef typename CONFIG::product_t product_t;
        const int m2 = CONFIG::BITS - 1 - CONFIG::BITS / 2;
        const int top = (1 << (CONFIG::BITS / 2)) - 1;
        const int magnitude = code < 0 ? int(-code) : int(code);
        const int first = magnitude >> m2;
        const int second = magnitude & ((1 << m2) - 1);
        const product_t wide = lane;
        const product_t both = (first == 0 ? product_t(0) : product_t(wide << static_cast<unsigned>(top - first)))
                               + (second == 0 ? product_t(0) : product_t(wide << static_cast<unsigned>(top - second)));
        return code < 0 ? product_t(-both) : both;
    }
};

// acc[m] (0 when clear) + the row's two half sums, the upper half of the lanes weighed 2^ACTIVATION_BITS where a
// value takes two lanes (halves), shifted by the pass's shift.
template <class CONFIG>
inline void accumulate(typename CONFIG::acc_t &acc, const typename CONFIG::sum_t &low,
                       const typename CONFIG::sum_t &high, shift_t shift, bool halves, bool clear) {
    HLS_PRAGMA(INLINE)
    typedef typename CONFIG::acc_t acc_t;
    const acc_t sum = acc_t(low) + (acc_t(high) << shift_t(halves ? ACTIVATION_BITS : 0));
    acc = (clear ? acc_t(0) : acc) + (sum << shift);
}

// One cycle of an engine: ROWS x LANES terms, an adder tree per row over each half of the lanes.
template <class CONFIG, int DATAPATH = CONFIG::DATAPATH>
struct engine_datapath;

template <class CONFIG>
struct engine_datapath<CONFIG, LUT_SHIFT_ADD> {
    static void cycle(const typename CONFIG::weight_t weights[CONFIG::ROWS * LANES], const lane_t lanes[LANES],
                      shift_t shift, bool halves, bool clear, typename CONFIG::acc_t acc[CONFIG::ROWS]) {
        HLS_PRAGMA(INLINE)
        HLS_LABEL(lut_rows)
        for (int m = 0; m < CONFIG::ROWS; m++) {
            HLS_PRAGMA(UNROLL)
            typename CONFIG::sum_t low = 0, high = 0; // the lower and the upper half of the lanes
            // the adder tree on LUTs: this engine's whole point is to leave the DSP slices to the others
            HLS_PRAGMA(BIND_OP variable = low op = add impl = fabric)
            HLS_PRAGMA(BIND_OP variable = high op = add impl = fabric)
            HLS_LABEL(lut_lanes)
            for (int n = 0; n < LANES; n++) {
                HLS_PRAGMA(UNROLL)
                (n < LANES / 2 ? low : high) += weighted_lane<CONFIG::KIND>::template of<CONFIG>(weights[m * LANES + n], lanes[n]);
            }
            accumulate<CONFIG>(acc[m], low, high, shift, halves, clear);
        }
    }
};

template <class CONFIG>
struct engine_datapath<CONFIG, DSP_PRODUCTS> {
    static void cycle(const typename CONFIG::weight_t weights[CONFIG::ROWS * LANES], const lane_t lanes[LANES],
                      shift_t shift, bool halves, bool clear, typename CONFIG::acc_t acc[CONFIG::ROWS]) {
        HLS_PRAGMA(INLINE)
        HLS_LABEL(dsp_rows)
        for (int m = 0; m < CONFIG::ROWS; m++) {
            HLS_PRAGMA(UNROLL)
            typename CONFIG::sum_t low = 0, high = 0;
            HLS_LABEL(dsp_lanes)
            for (int n = 0; n < LANES; n++) {
                HLS_PRAGMA(UNROLL)
                (n < LANES / 2 ? low : high) += weighted_lane<FIXED_CODE>::template of<CONFIG>(weights[m * LANES + n], lanes[n]);
            }
            accumulate<CONFIG>(acc[m], low, high, shift, halves, clear);
        }
    }
};

// Rows sharing multipliers: the weights of PACKING rows side by side in one operand (Xilinx WP486, "Deep Learning
// with INT8 Optimization on Xilinx Devices"), times the lane they share. Each field of the product holds one row's
// product exactly, as the fields are a product wide: the lowest field, read as a signed number, is the first row's
// product; subtracting it and shifting gives the others (WP486's correction).
template <class CONFIG>
struct engine_datapath<CONFIG, DSP_PACKED> {
    static void cycle(const typename CONFIG::weight_t weights[CONFIG::ROWS * LANES], const lane_t lanes[LANES],
                      shift_t shift, bool halves, bool clear, typename CONFIG::acc_t acc[CONFIG::ROWS]) {
        HLS_PRAGMA(INLINE)
        typedef typename CONFIG::weight_t weight_t;
        HLS_LABEL(dsp_row_groups)
        for (int first = 0; first < CONFIG::ROWS; first += CONFIG::PACKING) {
            HLS_PRAGMA(UNROLL)
            typename CONFIG::sum_t sums[2][CONFIG::PACKING]; // per row, the lower and the upper half of the lanes
            for (int k = 0; k < CONFIG::PACKING; k++) {
                sums[0][k] = 0;
                sums[1][k] = 0;
            }
            HLS_LABEL(dsp_lanes)
            for (int n = 0; n < LANES; n++) {
                HLS_PRAGMA(UNROLL)
                // w[first + PACKING - 1] x 2^((PACKING - 1) x FIELD_BITS) + ... + w[first]: one operand
                typename CONFIG::packed_t packed = 0;
                for (int k = CONFIG::PACKING - 1; k >= 0; k--) {
                    const weight_t weight = first + k < CONFIG::ROWS ? weight_t(weights[(first + k) * LANES + n]) : weight_t(0);
                    packed = (packed << CONFIG::FIELD_BITS) + weight;
                }
                const typename CONFIG::packed_product_t product = packed * lanes[n];
                HLS_PRAGMA(BIND_OP variable = product op = mul impl = dsp)
                typename CONFIG::packed_product_t rest = product;
                for (int k = 0; k < CONFIG::PACKING; k++) {
                    HLS_PRAGMA(UNROLL)
                    // the low bits of a product's width, signed, are w[first + k] x lane, which fits them; the field
                    // above starts FIELD_BITS up once this one's sign is taken back
                    const typename CONFIG::product_t field = rest;
                    sums[n < LANES / 2 ? 0 : 1][k] += field;
                    rest = (rest - field) >> CONFIG::FIELD_BITS;
                }
            }
            for (int k = 0; k < CONFIG::PACKING && first + k < CONFIG::ROWS; k++) {
                accumulate<CONFIG>(acc[first + k], sums[0][k], sums[1][k], shift, halves, clear);
            }
        }
    }
};

// One cycle of the depthwise unit (docs/hardware-model.md, "Depthwise unit"): per lane n, its channel's DW_TAPS
// integer weights times the lane's window, on LUT multipliers (the DSP slices are the engines'), summed into the
// output's accumulator: the whole kernel at once.
template <class CONFIG>
inline void depthwise_unit(const typename CONFIG::weight_t weights[LANES * DW_TAPS],
                           const lane_t window[LANES][DW_WINDOW][DW_WINDOW], typename CONFIG::acc_t acc[LANES]) {
    HLS_PRAGMA(INLINE)
    HLS_LABEL(dw_lanes)
    for (int n = 0; n < LANES; n++) {
        HLS_PRAGMA(UNROLL)
        typename CONFIG::sum_t sum = 0;
        HLS_PRAGMA(BIND_OP variable = sum op = add impl = fabric)
        for (int y = 0; y < DW_WINDOW; y++) {
            HLS_PRAGMA(UNROLL)
            for (int x = 0; x < DW_WINDOW; x++) {
                HLS_PRAGMA(UNROLL)
                const typename CONFIG::product_t product = weights[n * DW_TAPS + y * DW_WINDOW + x] * window[n][y][x];
                HLS_PRAGMA(BIND_OP variable = product op = mul impl = fabric)
                sum += product;
            }
        }
        acc[n] = sum;
    }
}

} // namespace ilmpq

#endif
