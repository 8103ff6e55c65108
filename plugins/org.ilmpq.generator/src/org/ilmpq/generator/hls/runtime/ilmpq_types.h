// The integer types of the ILMPQ accelerator. Under Vitis HLS they are Xilinx's arbitrary-precision ap_int and
// ap_uint (UG1399, "Arbitrary Precision Data Types"); elsewhere a small portable fallback with the semantics the
// design relies on, so that the C simulation builds with any C++14 compiler where Xilinx's headers are absent.
// Everything the accelerator computes is an integer of a width chosen from bounds: no floating point here or in
// any file of firmware/.
//
// What the fallback keeps of ap_int<W> / ap_uint<W> (the default AP_WRAP mode):
//  - a value converted to a W-bit type wraps to W bits, two's complement (AP_WRAP), signed or not;
//  - arithmetic between such values is exact: operands widen (here to 64 bits, the widest W allowed) and only
//    the assignment to a W-bit variable wraps, as ap_int's results are wide enough to hold them;
//  - << keeps the width of its left operand, as ap_int's shift does: bits shifted out are lost;
//  - >> of a signed value is arithmetic: floor(x / 2^n).
// Saturation is never implicit in either: where the design saturates (a code clamped to its range) it clamps
// explicitly, so the same source means the same thing under both.
//
// Memory words (packed_word<W>: ap_uint<W>, one beat of an AXI port) hold codes in fields: field<BITS>(word, slot)
// is bits slot x BITS to slot x BITS + BITS - 1, unsigned; decode<BITS> gives a code its sign.
#ifndef ILMPQ_TYPES_H
#define ILMPQ_TYPES_H

#if defined(__SYNTHESIS__) || defined(__VITIS_HLS__) || defined(ILMPQ_USE_AP_TYPES)

#include <ap_int.h>

namespace ilmpq {
template <int W> using int_t = ap_int<W>;
template <int W> using uint_t = ap_uint<W>;
template <int W> using packed_word = ap_uint<W>;

// Bytes of one beat of a port of words of type T.
template <typename T> struct beat_bytes;
template <int W> struct beat_bytes<ap_uint<W> > {
    static const int value = W / 8;
};

// Bits LSB .. LSB + BITS - 1 of a word, unsigned.
template <int BITS, int W> inline unsigned long long bits_at(const ap_uint<W> &word, int lsb) {
    return word.range(lsb + BITS - 1, lsb).to_uint64();
}

template <int BITS, int W> inline void set_bits_at(ap_uint<W> &word, int lsb, unsigned long long value) {
    word.range(lsb + BITS - 1, lsb) = value;
}
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

// A W-bit memory word as ap_uint<W> holds it: bit i in part i / 64, bit i % 64. Fields may straddle two parts.
template <int W> struct packed_word {
    unsigned long long parts[(W + 63) / 64];

    packed_word() {
        for (int i = 0; i < (W + 63) / 64; i++) {
            parts[i] = 0;
        }
    }
    packed_word(int zero) : packed_word() { (void)zero; }
};

// Bytes of one beat of a port of words of type T.
template <typename T> struct beat_bytes;
template <int W> struct beat_bytes<packed_word<W> > {
    static const int value = W / 8;
};

template <int BITS, int W> inline unsigned long long bits_at(const packed_word<W> &word, int lsb) {
    static_assert(BITS >= 1 && BITS <= 63, "fields of 1 to 63 bits");
    const int part = lsb / 64;
    const int offset = lsb % 64;
    unsigned long long value = word.parts[part] >> offset;
    if (offset + BITS > 64) {
        value |= word.parts[part + 1] << (64 - offset);
    }
    return value & ((1ULL << BITS) - 1);
}

template <int BITS, int W> inline void set_bits_at(packed_word<W> &word, int lsb, unsigned long long value) {
    static_assert(BITS >= 1 && BITS <= 63, "fields of 1 to 63 bits");
    const unsigned long long mask = (1ULL << BITS) - 1;
    value &= mask;
    const int part = lsb / 64;
    const int offset = lsb % 64;
    word.parts[part] = (word.parts[part] & ~(mask << offset)) | (value << offset);
    if (offset + BITS > 64) {
        const int high = offset + BITS - 64;
        word.parts[part + 1] = (word.parts[part + 1] & ~((1ULL << high) - 1)) | (value >> (64 - offset));
    }
}

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

// The field of code `slot` of a word of BITS-bit codes. Call it with a constant slot (an unrolled loop's index), so
// that it is a fixed part-select; for a slot known only at run time, select_field.
template <int BITS, typename WORD> inline unsigned field(const WORD &word, int slot) {
    return static_cast<unsigned>(bits_at<BITS>(word, slot * BITS));
}

template <int BITS, typename WORD> inline void set_field(WORD &word, int slot, int code) {
    set_bits_at<BITS>(word, slot * BITS, static_cast<unsigned long long>(static_cast<unsigned>(code)));
}

// The field of a slot known at run time, 0 .. P - 1: the word's P fields at their fixed places, then a P:1
// multiplexer of BITS-bit values, not a shifter of the whole word.
template <int BITS, int P, typename WORD> inline unsigned select_field(const WORD &word, int slot) {
    HLS_PRAGMA(INLINE)
    unsigned fields[P];
    HLS_PRAGMA(ARRAY_PARTITION variable = fields complete)
    for (int s = 0; s < P; s++) {
        HLS_PRAGMA(UNROLL)
        fields[s] = field<BITS>(word, s);
    }
    return fields[slot];
}

// A code of BITS bits from its field: as it is when unsigned, two's complement when signed.
template <int BITS> inline int decode(unsigned raw, bool is_signed) {
    return is_signed && (raw >> (BITS - 1)) != 0 ? static_cast<int>(raw) - (1 << BITS) : static_cast<int>(raw);
}

} // namespace ilmpq


#endif
