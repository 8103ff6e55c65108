// The integer types of the ILMPQ accelerator. Under Vitis HLS they are Xilinx's arbitrary-precision ap_int and
// ap_uint (UG1399, "Arbitrary Precision Data Types"); elsewhere a small portable fallback with the semantics the
// design relies on, so that the C simulation builds with any C++14 compiler where Xilinx's headers are absent.
//
// What the fallback keeps of ap_int<W> / ap_uint<W> (the default AP_WRAP mode):
//  - a value converted to a W-bit type wraps to W bits, two's complement (AP_WRAP), signed or not;
//  - arithmetic between such values is exact: operands widen (here to 64 bits, the widest W allowed) and only
//    the assignment to a W-bit variable wraps, as ap_int's results are wide enough to hold them;
//  - << keeps the width of its left operand, as ap_int's shift does: bits shifted out are lost.
// Saturation is never implicit in either: where the design saturates (quantizing an activation to its codes) it
// clamps explicitly, so the same source means the same thing under both.
#ifndef ILMPQ_TYPES_H
#define ILMPQ_TYPES_H

#if defined(__SYNTHESIS__) || defined(__VITIS_HLS__) || defined(ILMPQ_USE_AP_TYPES)

#include <ap_int.h>

namespace ilmpq {
template <int W> using int_t = ap_int<W>;
template <int W> using uint_t = ap_uint<W>;

// N signed 8-bit codes in one word: one beat of a wide AXI port, so that a row of LANES weights arrives per cycle.
template <int N> struct code_word {
    ap_uint<8 * N> bits;
    int code(int n) const { return ap_int<8>(bits.range(8 * n + 7, 8 * n)).to_int(); }
    void set(int n, int value) { bits.range(8 * n + 7, 8 * n) = value; }
};
} // namespace ilmpq

#else

namespace ilmpq {

namespace detail {
// Two's complement wrap of x to W bits, without signed overflow: shift through unsigned arithmetic, then
// sign-extend by comparing with the sign bit's weight.
template <int W, bool SIGNED> inline long long wrap(long long x) {
    static_assert(W >= 1 && W <= 63, "the portable types hold 1 to 63 bits");
    const unsigned long long mask = (1ULL << W) - 1;
    const unsigned long long bits = static_cast<unsigned long long>(x) & mask;
    if (SIGNED && (bits >> (W - 1)) != 0) {
        return -static_cast<long long>((~bits & mask) + 1);
    }
    return static_cast<long long>(bits);
}
} // namespace detail

template <int W, bool SIGNED> class fixed_width_int {
  public:
    fixed_width_int() : value_(0) {}
    fixed_width_int(long long x) : value_(detail::wrap<W, SIGNED>(x)) {}
    template <int V, bool S>
    fixed_width_int(const fixed_width_int<V, S> &other) : value_(detail::wrap<W, SIGNED>(other.to_int64())) {}

    operator long long() const { return value_; }
    long long to_int64() const { return value_; }

    fixed_width_int &operator=(long long x) {
        value_ = detail::wrap<W, SIGNED>(x);
        return *this;
    }
    fixed_width_int &operator+=(long long x) { return *this = value_ + x; }
    fixed_width_int &operator-=(long long x) { return *this = value_ - x; }

    // ap_int's << keeps the left operand's width; shifting through unsigned keeps it defined for negative values.
    // A template, so that a shift by any integer type (int, unsigned, uint_t) picks it over the built-in shift.
    template <typename S> fixed_width_int operator<<(const S &shift) const {
        return fixed_width_int(
            static_cast<long long>(static_cast<unsigned long long>(value_) << static_cast<int>(shift)));
    }
    // an arithmetic shift for signed values, as ap_int's >>
    template <typename S> fixed_width_int operator>>(const S &shift) const {
        const int bits = static_cast<int>(shift);
        return fixed_width_int(value_ < 0 ? ~(~value_ >> bits) : value_ >> bits);
    }

  private:
    long long value_;
};

template <int W> using int_t = fixed_width_int<W, true>;
template <int W> using uint_t = fixed_width_int<W, false>;

// N signed 8-bit codes in one word, as ap_uint<8 N> holds them under Vitis HLS (code n in bits 8n to 8n + 7).
template <int N> struct code_word {
    signed char codes[N];
    int code(int n) const { return codes[n]; }
    void set(int n, int value) { codes[n] = static_cast<signed char>(value); }
};

} // namespace ilmpq

#endif

// HLS_PRAGMA(PIPELINE II = 1) is #pragma HLS PIPELINE II = 1 when Vitis HLS synthesizes, and nothing elsewhere:
// the macro form Xilinx documents for pragmas in macros (UG1399, "Using _Pragma"), here so that a plain compiler
// with -Wall -Werror meets no pragma it does not know (GCC cannot silence -Wunknown-pragmas inside a file, GCC
// bug 53431) while every other warning stays an error.
// HLS_LABEL(name) labels the loop after it for the synthesis reports, likewise only where they are written (an
// unused label is a warning elsewhere).
#if defined(__SYNTHESIS__)
#define ILMPQ_PRAGMA_TEXT(text) _Pragma(#text)
#define HLS_PRAGMA(directive) ILMPQ_PRAGMA_TEXT(HLS directive)
#define HLS_LABEL(name) name:
#else
#define HLS_PRAGMA(directive)
#define HLS_LABEL(name)
#endif

namespace ilmpq {
// Activations between layers, biases and the per-row multipliers: IEEE double, because the export format
// (docs/export-format.md, version 1) defines a layer's result as acc x (STEP x S / L) + BIAS in double precision,
// and the design must reproduce the quantization script's golden data bit for bit. Only the engines' operands and
// accumulators are narrow integers: that is where the resources are.
typedef double real_t;
} // namespace ilmpq

#endif
