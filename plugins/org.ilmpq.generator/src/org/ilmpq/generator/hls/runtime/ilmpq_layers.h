// The layers between the engines' weight layers, and the integer requantization every step ends with: the
// arithmetic of docs/quantization.md ("Integer requantization"), integers only, so that the design reproduces the
// quantization script's golden data bit for bit. Feature maps lie in DRAM as packed codes (docs/hls.md, "Memory"):
// pixel by pixel, a pixel's channels P codes a word from bit 0 up, each pixel on words of its own. Pooling works
// on whole words, P codes a cycle; an add, an activation and a concat of their own go code by code.
#ifndef ILMPQ_LAYERS_H
#define ILMPQ_LAYERS_H

#include "ilmpq_types.h"

#if defined(ILMPQ_COUNTING) && !defined(__SYNTHESIS__)
#include <map>
#include <string>
#include <utility>
#include <vector>
#endif

namespace ilmpq {

// Every word the design moves between DRAM and the chip goes through load() and store(), by what it carries. In the
// counting build (ILMPQ_COUNTING: make traffic, make cycles) they count the words per step, which the test bench
// writes to traffic.csv beside the hardware model's figures; otherwise, and in synthesis, they are the plain accesses
// of the AXI ports.
//
// The counting build also counts cycles as Vitis HLS schedules the loops (docs/hardware-model.md, "Cycles"): every
// pipelined loop announces its trip count and pipeline depth on entry, ILMPQ_LOOP_CYCLES(trips, depth), and costs
// trips x II + depth (II = 1 throughout; a loop that runs no iteration costs nothing); a lone read of DRAM outside
// a pipeline is a loop of one trip; everything else (scalar control between loops) is taken as free.
// The test bench writes the counts to cycles.csv, each weight layer at least the cycles its DRAM bursts take.
//
// And it finds the bursts (docs/hardware-model.md, "DRAM bound"): each access belongs to a stream (what it carries,
// and which engine's or which word's where that matters); a stream's accesses to consecutive addresses make a run,
// which the AXI master issues as bursts; a run ends where the next access of its stream is elsewhere, and at
// ILMPQ_BURST_BREAK(), where a weight layer starts a group (each group's runs are requests of their own), and for
// one stream at ILMPQ_RUN_BREAK(kind, stream), where a lane group's input tile begins (a request of its own too,
// but where the window is one pixel and the lane groups' words follow one another). The test
// bench splits the runs into bursts of the design's longest and charges each whole DRAM accesses.
enum traffic_kind { TRAFFIC_INPUT, TRAFFIC_WEIGHTS, TRAFFIC_PARAMETERS, TRAFFIC_RESIDUAL, TRAFFIC_OUTPUT, TRAFFIC_KINDS };

#if defined(ILMPQ_COUNTING) && !defined(__SYNTHESIS__)
namespace counting {
struct step_counts {
    std::string step;
    long long words[TRAFFIC_KINDS];
    long long cycles; // of the step's loops, before the DRAM bound
    std::map<std::pair<long long, int>, long long> runs; // (beats, bytes a beat) -> how many such runs
};
// the steps so far, the last the one running
inline std::vector<step_counts> &steps() {
    static std::vector<step_counts> counted;
    return counted;
}
// a stream's run so far: the address after its last access, its beats and their bytes
struct open_run {
    const char *next;
    long long beats;
    int bytes_per_beat;
};
inline std::map<int, open_run> &open_runs() {
    static std::map<int, open_run> runs;
    return runs;
}
// ends every stream's run, into the running step's counts
inline void break_bursts() {
    for (std::map<int, open_run>::iterator run = open_runs().begin(); run != open_runs().end(); ++run) {
        if (run->second.beats > 0 && !steps().empty()) {
            steps().back().runs[std::make_pair(run->second.beats, run->second.bytes_per_beat)]++;
        }
    }
    open_runs().clear();
}
// ends one stream's run
inline void break_run(traffic_kind kind, int stream) {
    std::map<int, open_run>::iterator run = open_runs().find(kind * 16 + stream);
    if (run != open_runs().end()) {
        if (run->second.beats > 0 && !steps().empty()) {
            steps().back().runs[std::make_pair(run->second.beats, run->second.bytes_per_beat)]++;
        }
        open_runs().erase(run);
    }
}
inline void count(traffic_kind kind, int stream, const void *address, int bytes) {
    if (steps().empty()) {
        return;
    }
    steps().back().words[kind]++;
    open_run &run = open_runs()[kind * 16 + stream];
    const char *at = static_cast<const char *>(address);
    if (run.beats > 0 && at != run.next) {
        steps().back().runs[std::make_pair(run.beats, run.bytes_per_beat)]++;
        run.beats = 0;
    }
    run.beats++;
    run.bytes_per_beat = bytes;
    run.next = at + bytes;
}
inline void loop(long long trips, int depth) {
    if (!steps().empty() && trips > 0) {
        steps().back().cycles += trips + depth;
    }
}
inline void begin(const char *step) {
    break_bursts();
    step_counts counts = {step, {0, 0, 0, 0, 0}, 0, std::map<std::pair<long long, int>, long long>()};
    steps().push_back(counts);
}
} // namespace counting
#define ILMPQ_COUNTED_STEP(name) ilmpq::counting::begin(name)
#define ILMPQ_TRAFFIC_COUNT(kind, stream, address, bytes) ilmpq::counting::count((kind), (stream), (address), (bytes))
#define ILMPQ_LOOP_CYCLES(trips, depth) ilmpq::counting::loop((trips), (depth))
#define ILMPQ_BURST_BREAK() ilmpq::counting::break_bursts()
#define ILMPQ_RUN_BREAK(kind, stream) ilmpq::counting::break_run((kind), (stream))
#else
#define ILMPQ_COUNTED_STEP(name)
#define ILMPQ_TRAFFIC_COUNT(kind, stream, address, bytes) ((void)(kind), (void)(stream))
#define ILMPQ_LOOP_CYCLES(trips, depth)
#define ILMPQ_BURST_BREAK()
#define ILMPQ_RUN_BREAK(kind, stream)
#endif

// A word of DRAM from stream `stream` of its kind (an engine's weights or parameters: the engine's index).
template <typename WORD> inline WORD load(const WORD *port, long index, traffic_kind kind, int stream = 0) {
    HLS_PRAGMA(INLINE)
    ILMPQ_TRAFFIC_COUNT(kind, stream, port + index, beat_bytes<WORD>::value);
    return port[index];
}

template <typename WORD> inline void store(WORD *port, long index, const WORD &word) {
    HLS_PRAGMA(INLINE)
    ILMPQ_TRAFFIC_COUNT(TRAFFIC_OUTPUT, 0, port + index, beat_bytes<WORD>::value);
    port[index] = word;
}

// F: the fraction bits of a requantization sum z (output codes x 2^F).
const int FRACTION_BITS = 16;

// Where a stored tensor lives: one of the top function's ports.
enum port_t { PORT_INPUT, PORT_OUTPUT, PORT_SCRATCH };

// A stored tensor's place and packing: what the layer table says of each (the test bench packs and unpacks by it).
struct tensor_layout {
    const char *name;     // the spec's tensor
    const char *producer; // the step that writes it: a layer's name, or the tensor's own for the network input
    port_t port;
    long offset; // its first word in its port
    int channels, height, width;
    int bits;
    bool is_signed;
    int codes_per_word; // P, a power of two
    int words_per_pixel; // ceil(channels / P)
};

// The code of a sum z: clamp(floor((z + 2^(F-1)) / 2^F), lowest, highest), rounding half up (an arithmetic right
// shift is floor).
template <int Z_BITS> inline int to_code(const int_t<Z_BITS> &z, int lowest, int highest) {
    HLS_PRAGMA(INLINE)
    const int_t<Z_BITS + 1> rounded = (int_t<Z_BITS + 1>(z) + (1 << (FRACTION_BITS - 1))) >> FRACTION_BITS;
    return rounded < lowest ? lowest : rounded > highest ? highest : static_cast<int>(rounded);
}

// The mean of a pool window as a code: clamp(floor((sum x R + 2^(k-1)) / 2^k)), R / 2^k the window's fixed-point
// reciprocal (IntegerArithmetic.Reciprocal: R < 2^17), a constant: the product is shifts and adds.
template <int SUM_BITS, unsigned RECIPROCAL, int SHIFT>
inline int mean_code(const int_t<SUM_BITS> &sum, int lowest, int highest) {
    HLS_PRAGMA(INLINE)
    const int_t<SUM_BITS + 18> scaled = (int_t<SUM_BITS + 18>(sum) * uint_t<18>(RECIPROCAL) + (1LL << (SHIFT - 1))) >> SHIFT;
    return scaled < lowest ? lowest : scaled > highest ? highest : static_cast<int>(scaled);
}

// Max or average pooling of a map of BITS-bit codes, P a word, at the input's scale (one quantization group): per
// output pixel and word of channels, the window's words read one a cycle, P codes compared or summed at once.
// Max: over the window inside the map (padding never wins). Average: padding counts as zeros (PyTorch's
// count_include_pad), the sum times the window's reciprocal. Each pool step is hardware of its own, so CONFIG gives
// its geometry and constants at compile time (as hls4ml's layer configurations do): loops of constant trip counts,
// a constant reciprocal. CONFIG::sum_bits holds the largest window sum.
template <typename CONFIG, typename WORD> void pool_step(const WORD *in, WORD *out) {
    const int BITS = CONFIG::bits;
    const int P = CONFIG::codes_per_word;
HLS_LABEL(rows)
    for (int oy = 0; oy < CONFIG::out_height; oy++) {
    HLS_LABEL(columns)
        for (int ox = 0; ox < CONFIG::out_width; ox++) {
        HLS_LABEL(words)
            for (int j = 0; j < CONFIG::words_per_pixel; j++) {
                int_t<CONFIG::sum_bits> value[P];
                HLS_PRAGMA(ARRAY_PARTITION variable = value complete)
                for (int s = 0; s < P; s++) {
                    HLS_PRAGMA(UNROLL)
                    value[s] = CONFIG::max ? int_t<CONFIG::sum_bits>(-(1 << BITS)) : int_t<CONFIG::sum_bits>(0);
                }
                int ky = 0;
                int kx = 0;
            HLS_LABEL(window)
                for (int k = 0; k < CONFIG::kernel_h * CONFIG::kernel_w; k++) {
                    HLS_PRAGMA(PIPELINE II = 1)
                    const int iy = oy * CONFIG::stride_h - CONFIG::pad_h + ky;
                    const int ix = ox * CONFIG::stride_w - CONFIG::pad_w + kx;
                    if (iy >= 0 && iy < CONFIG::height && ix >= 0 && ix < CONFIG::width) {
                        const WORD word = load(in, (static_cast<long>(iy) * CONFIG::width + ix) * CONFIG::words_per_pixel + j, TRAFFIC_INPUT);
                        for (int s = 0; s < P; s++) {
                            HLS_PRAGMA(UNROLL)
                            const int code = decode<BITS>(field<BITS>(word, s), CONFIG::is_signed);
                            value[s] = CONFIG::max ? (code > value[s] ? int_t<CONFIG::sum_bits>(code) : value[s])
                                                   : int_t<CONFIG::sum_bits>(value[s] + code);
                        }
                    }
                    if (++kx == CONFIG::kernel_w) {
                        kx = 0;
                        ky++;
                    }
                }
                WORD word = 0;
                for (int s = 0; s < P; s++) {
                    HLS_PRAGMA(UNROLL)
                    set_field<BITS>(word, s, CONFIG::max ? static_cast<int>(value[s])
                        : mean_code<CONFIG::sum_bits, CONFIG::reciprocal, CONFIG::shift>(value[s], CONFIG::lowest, CONFIG::highest));
                }
                store(out, (static_cast<long>(oy) * CONFIG::out_width + ox) * CONFIG::words_per_pixel + j, word);
            }
        }
    }
}

// Global average pooling: per word of channels, the sums of all pixels' codes (a word a cycle), times the
// reciprocal of height x width. Unused slots of a word sum zeros and write zeros. CONFIG as for pool_step.
template <typename CONFIG, typename WORD> void global_pool_step(const WORD *in, WORD *out) {
    const int P = CONFIG::codes_per_word;
HLS_LABEL(words)
    for (int j = 0; j < CONFIG::words_per_pixel; j++) {
        int_t<CONFIG::sum_bits> sum[P];
        HLS_PRAGMA(ARRAY_PARTITION variable = sum complete)
        for (int s = 0; s < P; s++) {
            HLS_PRAGMA(UNROLL)
            sum[s] = 0;
        }
    HLS_LABEL(pixels)
        for (int p = 0; p < CONFIG::area; p++) {
            HLS_PRAGMA(PIPELINE II = 1)
            const WORD word = load(in, static_cast<long>(p) * CONFIG::words_per_pixel + j, TRAFFIC_INPUT);
            for (int s = 0; s < P; s++) {
                HLS_PRAGMA(UNROLL)
                sum[s] += decode<CONFIG::bits>(field<CONFIG::bits>(word, s), CONFIG::is_signed);
            }
        }
        WORD word = 0;
        for (int s = 0; s < P; s++) {
            HLS_PRAGMA(UNROLL)
            set_field<CONFIG::bits>(word, s,
                mean_code<CONFIG::sum_bits, CONFIG::reciprocal, CONFIG::shift>(sum[s], CONFIG::lowest, CONFIG::highest));
        }
        store(out, j, word);
    }
}

// A tensor's codes one after the other in memory order (pixel by pixel, channel by channel): a word is read when
// its first code is wanted, so a whole tensor costs each of its words once. The slot of the next code is known
// only at run time: a P:1 multiplexer of BITS-bit fields (select_field), not a shifter of the word.
template <int BITS, int P, typename WORD> class code_reader {
  public:
    code_reader(const WORD *words, int channels, bool is_signed)
        : words_(words), word_(0), channels_(channels), is_signed_(is_signed), channel_(0), slot_(0), next_(0) {}

    int next() {
        HLS_PRAGMA(INLINE)
        if (slot_ == 0) {
            word_ = load(words_, next_++, TRAFFIC_INPUT);
        }
        const int code = decode<BITS>(select_field<BITS, P>(word_, slot_), is_signed_);
        if (++channel_ == channels_) {
            channel_ = 0;
            slot_ = 0;
        } else if (++slot_ == P) {
            slot_ = 0;
        }
        return code;
    }

  private:
    const WORD *words_;
    WORD word_;
    int channels_;
    bool is_signed_;
    int channel_;
    int slot_;
    long next_;
};

// Packs codes one after the other into a tensor's words, writing a word when it is full or its pixel ends (the
// slots past a pixel's last channel stay zero). The word being filled is a register of P fields, each written at
// its fixed place when its slot comes (a decoder of the slot: one write enable per field), not through a shifter of
// the word.
template <int BITS, int P, typename WORD> class code_writer {
  public:
    code_writer(WORD *words, int channels) : words_(words), word_(0), channels_(channels), channel_(0), slot_(0),
                                             next_(0) {}

    void put(int code) {
        HLS_PRAGMA(INLINE)
        for (int s = 0; s < P; s++) {
            HLS_PRAGMA(UNROLL)
            if (s == slot_) {
                set_field<BITS>(word_, s, code);
            }
        }
        const bool last = ++channel_ == channels_;
        if (last || slot_ == P - 1) {
            store(words_, next_++, word_);
            word_ = 0;
            slot_ = 0;
        } else {
            slot_++;
        }
        if (last) {
            channel_ = 0;
        }
    }

  private:
    WORD *words_;
    WORD word_;
    int channels_;
    int channel_;
    int slot_;
    long next_;
};

} // namespace ilmpq

#endif
