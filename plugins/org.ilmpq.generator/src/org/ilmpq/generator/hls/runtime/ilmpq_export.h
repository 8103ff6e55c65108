// Host side of the test bench: reads an ILMPQ export (docs/export-format.md, version 2: weights.txt and
// golden.txt), packs it into the words the design reads (the layouts engines.h and the layer table document), and
// compares every stored tensor the design wrote with the golden codes, naming the first tensor and code that
// differ. Not for synthesis: it uses the standard library freely.
#ifndef ILMPQ_EXPORT_H
#define ILMPQ_EXPORT_H

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "engines.h"

namespace ilmpq {
namespace host {

const int EXPORT_VERSION = 2;

// A problem with an export file, or between an export and the design: "FILE:LINE: problem" where there is a line.
class export_error : public std::runtime_error {
  public:
    explicit export_error(const std::string &message) : std::runtime_error(message) {}
};

struct exported_tensor {
    std::string name;
    int channels, height, width, bits;
    bool is_signed;
};

struct exported_row {
    int engine; // the design's engine for the row's scheme
    long long multiplier, shift, bias;
    std::vector<int> codes;
};

struct exported_layer {
    std::string name;
    bool conv;
    int in, out, kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups;
    std::string input, output, residual;
    long long lowest, highest, residual_multiplier;
    std::vector<exported_row> rows;
};

struct exported_rescale {
    std::string name, kind, output;
    long long lowest, highest;
    std::vector<std::string> operands;
    std::vector<long long> multipliers;
};

struct export_data {
    std::vector<exported_tensor> tensors;
    std::vector<exported_layer> layers;
    std::vector<exported_rescale> rescales;
};

struct golden_data {
    std::vector<std::string> order; // the tensors with codes, in the order written
    std::map<std::string, std::vector<int> > codes;
    std::string output;
};

// The integer weight of a code, as the engines compute it (docs/export-format.md, "Schemes").
inline long long scheme_value(const std::string &kind, int bits, int code) {
    const int magnitude = code < 0 ? -code : code;
    long long value = 0;
    if (kind == "fixed") {
        value = magnitude;
    } else if (kind == "pot") {
        value = magnitude == 0 ? 0 : 1LL << (magnitude - 1);
    } else if (kind == "sp2") {
        const int m1 = bits / 2;
        const int m2 = bits - 1 - m1;
        const int top = (1 << m1) - 1;
        const int first = magnitude >> m2;
        const int second = magnitude & ((1 << m2) - 1);
        value = (first == 0 ? 0 : 1LL << (top - first)) + (second == 0 ? 0 : 1LL << (top - second));
    }
    return code < 0 ? -value : value;
}

// One export file, a record a line, words split at single spaces.
class export_lines {
  public:
    export_lines(const std::string &path, const std::string &network) : path_(path), number_(0) {
        std::ifstream in(path.c_str());
        if (!in) {
            throw export_error(path + ": cannot be read");
        }
        std::string line;
        while (std::getline(in, line)) {
            lines_.push_back(line);
        }
        expect("ilmpq-export", "an ILMPQ export");
        if (words_.size() != 2 || words_[1] != std::to_string(EXPORT_VERSION)) {
            throw error("export format " + (words_.size() > 1 ? words_[1] : std::string("?")) + "; this reads version " +
                        std::to_string(EXPORT_VERSION));
        }
        expect("network", "the network's name");
        if (words_.size() != 2 || words_[1] != network) {
            throw error("an export of network '" + (words_.size() > 1 ? words_[1] : "") + "', not of " + network);
        }
        expect("producer", "the producer");
    }

    bool next() {
        if (number_ >= lines_.size()) {
            return false;
        }
        const std::string &line = lines_[number_++];
        words_.clear();
        std::string::size_type start = 0;
        while (true) {
            std::string::size_type end = line.find(' ', start);
            words_.push_back(line.substr(start, end == std::string::npos ? std::string::npos : end - start));
            if (end == std::string::npos) {
                break;
            }
            start = end + 1;
        }
        return true;
    }

    void expect(const std::string &keyword, const std::string &what) {
        if (!next()) {
            throw export_error(path_ + ": the file ends where " + what + " belongs");
        }
        if (words_[0] != keyword) {
            throw error("expected " + what + " ('" + keyword + "'), found '" + words_[0] + "'");
        }
    }

    const std::string &keyword() const { return words_[0]; }
    std::size_t size() const { return words_.size(); }

    const std::string &word(std::size_t i) const {
        if (i >= words_.size()) {
            throw error("the record ends where word " + std::to_string(i + 1) + " belongs");
        }
        return words_[i];
    }

    void label(std::size_t i, const std::string &expected) const {
        if (word(i) != expected) {
            throw error("expected '" + expected + "', found '" + word(i) + "'");
        }
    }

    long long integer(std::size_t i) const {
        const std::string &text = word(i);
        char *end = 0;
        errno = 0;
        long long value = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || errno != 0) {
            throw error("'" + text + "' is not an integer");
        }
        return value;
    }

    // an integer of [lowest, highest]
    long long bounded(std::size_t i, long long lowest, long long highest, const std::string &what) const {
        long long value = integer(i);
        if (value < lowest || value > highest) {
            throw error(std::to_string(value) + " is not " + what + " (" + std::to_string(lowest) + " to " +
                        std::to_string(highest) + ")");
        }
        return value;
    }

    // DIMS: CxHxW, or F for a vector
    void dims(std::size_t i, int &channels, int &height, int &width) const {
        const std::string &text = word(i);
        if (std::sscanf(text.c_str(), "%dx%dx%d", &channels, &height, &width) != 3) {
            height = width = 1;
            channels = static_cast<int>(integer(i));
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw error("'" + text + "' are no dimensions");
        }
    }

    void length(std::size_t expected) const {
        if (words_.size() != expected) {
            throw error(std::to_string(words_.size()) + " words where the record has " + std::to_string(expected));
        }
    }

    export_error error(const std::string &problem) const {
        return export_error(path_ + ":" + std::to_string(number_) + ": " + problem);
    }

  private:
    std::string path_;
    std::vector<std::string> lines_;
    std::size_t number_;
    std::vector<std::string> words_;
};

inline int engine_of(const export_lines &lines, std::size_t position) {
    const std::string &kind = lines.word(position);
    const long long bits = lines.integer(position + 1);
    for (int e = 0; e < ENGINES; e++) {
        if (kind == ENGINE_KINDS[e] && bits == ENGINE_BITS[e]) {
            return e;
        }
    }
    throw lines.error(kind + " " + std::to_string(bits) + " has no engine in this design");
}

inline void read_layer(export_lines &lines, export_data &data) {
    exported_layer layer = exported_layer();
    layer.name = lines.word(1);
    layer.conv = lines.word(2) == "conv";
    lines.length(layer.conv ? 21 : 7);
    layer.in = static_cast<int>(lines.integer(4));
    layer.out = static_cast<int>(lines.integer(6));
    layer.kernel_h = layer.kernel_w = layer.stride_h = layer.stride_w = layer.dilation_h = layer.dilation_w = 1;
    layer.groups = 1;
    if (layer.conv) {
        layer.kernel_h = static_cast<int>(lines.integer(8));
        layer.kernel_w = static_cast<int>(lines.integer(9));
        layer.stride_h = static_cast<int>(lines.integer(11));
        layer.stride_w = static_cast<int>(lines.integer(12));
        layer.pad_h = static_cast<int>(lines.integer(14));
        layer.pad_w = static_cast<int>(lines.integer(15));
        layer.dilation_h = static_cast<int>(lines.integer(17));
        layer.dilation_w = static_cast<int>(lines.integer(18));
        layer.groups = static_cast<int>(lines.integer(20));
    }
    if (layer.in < 1 || layer.out < 1 || layer.groups < 1 || layer.in % layer.groups != 0 ||
        layer.out % layer.groups != 0) {
        throw lines.error("layer " + layer.name + " has an impossible shape");
    }
    lines.expect("input", "the input record of layer " + layer.name);
    lines.length(2);
    layer.input = lines.word(1);
    lines.expect("output", "the output record of layer " + layer.name);
    lines.length(5);
    lines.label(2, "clamp");
    layer.output = lines.word(1);
    layer.lowest = lines.bounded(3, -32768, 32767, "a code");
    layer.highest = lines.bounded(4, -32768, 32767, "a code");
    const std::size_t fan_in = static_cast<std::size_t>(layer.in / layer.groups) * layer.kernel_h * layer.kernel_w;
    for (int r = 0; r < layer.out; r++) {
        if (!lines.next()) {
            throw lines.error("the file ends where row " + std::to_string(r) + " of layer " + layer.name + " belongs");
        }
        if (r == 0 && lines.keyword() == "residual") {
            lines.length(4);
            lines.label(2, "multiplier");
            layer.residual = lines.word(1);
            layer.residual_multiplier = lines.bounded(3, 0, (1LL << 24) - 1, "a multiplier");
            r--;
            continue;
        }
        if (lines.keyword() != "row") {
            throw lines.error("expected row " + std::to_string(r) + " of layer " + layer.name);
        }
        lines.length(11 + fan_in);
        if (lines.integer(1) != r) {
            throw lines.error("row " + lines.word(1) + " where row " + std::to_string(r) + " belongs");
        }
        exported_row row;
        row.engine = engine_of(lines, 2);
        lines.label(4, "multiplier");
        lines.label(6, "shift");
        lines.label(8, "bias");
        lines.label(10, "codes");
        row.multiplier = lines.bounded(5, 0, (1LL << 17) - 1, "a multiplier");
        row.shift = lines.bounded(7, -8, 31, "a shift");
        row.bias = lines.bounded(9, -(1LL << 25), (1LL << 25) - 1, "a bias");
        const int largest = (1 << (ENGINE_BITS[row.engine] - 1)) - 1;
        for (std::size_t k = 0; k < fan_in; k++) {
            row.codes.push_back(static_cast<int>(lines.bounded(11 + k, -largest, largest, "a code of its scheme")));
        }
        layer.rows.push_back(row);
    }
    lines.expect("end", "the end of layer " + layer.name);
    data.layers.push_back(layer);
}

// weights.txt: every scheme table checked against what the engines compute, every record read.
inline export_data read_weights(const std::string &path, const std::string &network) {
    export_lines lines(path, network);
    export_data data;
    lines.expect("fraction-bits", "the fraction bits of the sums");
    if (lines.integer(1) != FRACTION_BITS) {
        throw lines.error("sums with " + lines.word(1) + " fraction bits; the design's have " +
                          std::to_string(FRACTION_BITS));
    }
    while (lines.next()) {
        if (lines.keyword() == "scheme") {
            const std::string kind = lines.word(1);
            const int bits = static_cast<int>(lines.integer(2));
            lines.label(5, "magnitudes");
            const std::size_t codes = std::size_t(1) << (bits - 1);
            lines.length(6 + codes);
            for (std::size_t code = 0; code < codes; code++) {
                if (lines.integer(6 + code) != scheme_value(kind, bits, static_cast<int>(code))) {
                    throw lines.error("the magnitude of code " + std::to_string(code) + " of " + kind + " " +
                                      std::to_string(bits) + " is not what the engines compute");
                }
            }
        } else if (lines.keyword() == "tensor") {
            lines.length(7);
            exported_tensor tensor;
            tensor.name = lines.word(1);
            lines.dims(2, tensor.channels, tensor.height, tensor.width);
            tensor.is_signed = lines.word(3) == "signed";
            tensor.bits = static_cast<int>(lines.bounded(4, 2, 16, "a code width"));
            data.tensors.push_back(tensor);
        } else if (lines.keyword() == "layer") {
            read_layer(lines, data);
        } else if (lines.keyword() == "rescale") {
            exported_rescale rescale;
            rescale.name = lines.word(1);
            rescale.kind = lines.word(2);
            lines.label(3, "output");
            rescale.output = lines.word(4);
            lines.label(5, "clamp");
            rescale.lowest = lines.bounded(6, -32768, 32767, "a code");
            rescale.highest = lines.bounded(7, -32768, 32767, "a code");
            lines.label(8, "operands");
            if (lines.size() < 11 || (lines.size() - 9) % 2 != 0) {
                throw lines.error("rescale " + rescale.name + " lists no tensor and multiplier pairs");
            }
            for (std::size_t i = 9; i < lines.size(); i += 2) {
                rescale.operands.push_back(lines.word(i));
                rescale.multipliers.push_back(lines.bounded(i + 1, 0, (1LL << 24) - 1, "a multiplier"));
            }
            data.rescales.push_back(rescale);
        } else {
            throw lines.error("expected 'scheme', 'tensor', 'layer' or 'rescale', found '" + lines.keyword() + "'");
        }
    }
    return data;
}

// golden.txt: every stored tensor's codes, then which is the output.
inline golden_data read_golden(const std::string &path, const std::string &network) {
    export_lines lines(path, network);
    golden_data golden;
    while (lines.next()) {
        if (lines.keyword() == "codes") {
            int channels, height, width;
            lines.dims(2, channels, height, width);
            const std::size_t count = static_cast<std::size_t>(channels) * height * width;
            lines.length(3 + count);
            std::vector<int> codes(count);
            for (std::size_t i = 0; i < count; i++) {
                codes[i] = static_cast<int>(lines.bounded(3 + i, -32768, 65535, "a code"));
            }
            golden.order.push_back(lines.word(1));
            golden.codes[lines.word(1)] = codes;
        } else if (lines.keyword() == "output") {
            lines.length(2);
            golden.output = lines.word(1);
            return golden;
        } else {
            throw lines.error("expected 'codes' or 'output', found '" + lines.keyword() + "'");
        }
    }
    throw export_error(path + ": the file ends where the output belongs");
}

// A code of `bits` bits at place `slot` of a word, as the firmware's set_field / field with a run-time width.
template <typename WORD> inline void put_code(WORD &word, int slot, int bits, int code) {
    for (int b = 0; b < bits; b++) {
        set_bits_at<1>(word, slot * bits + b, (static_cast<unsigned>(code) >> b) & 1u);
    }
}

template <typename WORD> inline int get_code(const WORD &word, int slot, int bits, bool is_signed) {
    unsigned raw = 0;
    for (int b = 0; b < bits; b++) {
        raw |= static_cast<unsigned>(bits_at<1>(word, slot * bits + b)) << b;
    }
    return is_signed && (raw >> (bits - 1)) != 0 ? static_cast<int>(raw) - (1 << bits) : static_cast<int>(raw);
}

// A tensor's codes (channels x height x width, row-major) packed as the design stores them: pixel by pixel, a
// pixel's channels codes_per_word a word.
inline void pack_tensor(const std::vector<int> &codes, const tensor_layout &t, word_t *words) {
    const int area = t.height * t.width;
    for (int p = 0; p < area; p++) {
        for (int j = 0; j < t.words_per_pixel; j++) {
            word_t word = 0;
            for (int s = 0; s < t.codes_per_word && j * t.codes_per_word + s < t.channels; s++) {
                put_code(word, s, t.bits, codes[static_cast<std::size_t>(j * t.codes_per_word + s) * area + p]);
            }
            words[static_cast<long>(p) * t.words_per_pixel + j] = word;
        }
    }
}

inline std::vector<int> unpack_tensor(const word_t *words, const tensor_layout &t) {
    const int area = t.height * t.width;
    std::vector<int> codes(static_cast<std::size_t>(t.channels) * area);
    for (int c = 0; c < t.channels; c++) {
        for (int p = 0; p < area; p++) {
            const word_t &word = words[static_cast<long>(p) * t.words_per_pixel + c / t.codes_per_word];
            codes[static_cast<std::size_t>(c) * area + p] = get_code(word, c % t.codes_per_word, t.bits, t.is_signed);
        }
    }
    return codes;
}

inline int tensor_index(const std::string &name) {
    for (int i = 0; i < design::TENSORS; i++) {
        if (name == design::TENSOR[i].name) {
            return i;
        }
    }
    return -1;
}

inline param_word_t clamp_word(long long lowest, long long highest) {
    param_word_t word = 0;
    set_bits_at<16>(word, 0, static_cast<unsigned long long>(lowest));
    set_bits_at<16>(word, 16, static_cast<unsigned long long>(highest));
    return word;
}

// A row's requantization parameters: bias B (bits 0-25), multiplier M (26-42), shift s + 8 (43-48), its channel.
inline param_word_t row_word(const exported_row &row, int channel) {
    param_word_t word = 0;
    set_bits_at<26>(word, 0, static_cast<unsigned long long>(row.bias));
    set_bits_at<17>(word, 26, static_cast<unsigned long long>(row.multiplier));
    set_bits_at<6>(word, 43, static_cast<unsigned long long>(row.shift + 8)); // the hardware's s + 8
    set_bits_at<15>(word, 49, static_cast<unsigned long long>(channel));
    return word;
}

// A group's rows of each engine (ascending) reordered into the engine's row steps, ENGINE_ROWS[e] rows a step: step
// by step, the engines with the fewest rows in the step first, each row from the lane (channel mod OUTPUT_LANES) that
// has had fewest rows in the step, while any lane has fewer than an even share (ceil(rows of the step / lanes)), and
// among those from the one with the most rows left of all engines, which keeps the later steps even too; within a
// step by lane, each lane's rows ascending. LoopNestSchedule.outputLaneRounds deals them out alike.
inline void deal_rows_to_steps(std::vector<std::vector<int> > &rows) {
    std::vector<std::vector<std::deque<int> > > pools(ENGINES, std::vector<std::deque<int> >(OUTPUT_LANES));
    std::vector<long> left(OUTPUT_LANES, 0);
    std::size_t steps = 0;
    for (int e = 0; e < ENGINES; e++) {
        for (std::size_t i = 0; i < rows[e].size(); i++) {
            pools[e][static_cast<std::size_t>(rows[e][i] % OUTPUT_LANES)].push_back(rows[e][i]);
            left[static_cast<std::size_t>(rows[e][i] % OUTPUT_LANES)]++;
        }
        steps = std::max(steps, (rows[e].size() + ENGINE_ROWS[e] - 1) / ENGINE_ROWS[e]);
        rows[e].clear();
    }
    for (std::size_t step = 0; step < steps; step++) {
        std::vector<std::size_t> takes(ENGINES, 0);
        std::size_t total = 0;
        for (int e = 0; e < ENGINES; e++) {
            std::size_t pooled = 0;
            for (int j = 0; j < OUTPUT_LANES; j++) {
                pooled += pools[e][j].size();
            }
            takes[e] = std::min(pooled, static_cast<std::size_t>(ENGINE_ROWS[e]));
            total += takes[e];
        }
        const long even = static_cast<long>((total + OUTPUT_LANES - 1) / OUTPUT_LANES);
        std::vector<int> order(ENGINES);
        for (int e = 0; e < ENGINES; e++) {
            order[e] = e;
        }
        std::stable_sort(order.begin(), order.end(), [&takes](int a, int b) { return takes[a] < takes[b]; });
        std::vector<long> taken(OUTPUT_LANES, 0);
        for (int e : order) {
            std::vector<int> chosen;
            for (std::size_t t = 0; t < takes[e]; t++) {
                int best = -1;
                for (int j = 0; j < OUTPUT_LANES; j++) {
                    if (pools[e][j].empty()) {
                        continue;
                    }
                    if (best < 0) {
                        best = j;
                        continue;
                    }
                    const bool under = taken[j] < even, best_under = taken[best] < even;
                    if (under != best_under ? under
                        : under ? left[j] > left[best]
                                : taken[j] < taken[best] || (taken[j] == taken[best] && left[j] > left[best])) {
                        best = j;
                    }
                }
                chosen.push_back(pools[e][best].front());
                pools[e][best].pop_front();
                taken[best]++;
                left[best]--;
            }
            std::stable_sort(chosen.begin(), chosen.end(), [](int a, int b) {
                return a % OUTPUT_LANES != b % OUTPUT_LANES ? a % OUTPUT_LANES < b % OUTPUT_LANES : a < b;
            });
            rows[e].insert(rows[e].end(), chosen.begin(), chosen.end());
        }
    }
}

// The tables of a layer on the depthwise unit, after the layer's word: per group its rows in channel order (no
// counts: the unit takes every row of a group); per group, each channel's DW_TAPS integer weights (its scheme's,
// docs/export-format.md), the DW_WINDOW x DW_WINDOW window row by row, the kernel in its lower right corner.
inline void pack_depthwise(const exported_layer &layer, const weight_layer_shape &s, const std::string &where,
                           long weights_size, word_t *weights, param_word_t *params) {
    const int channels = s.in_per_group;
    const int words = (channels * DW_TAPS + DW_CODES_PER_WORD - 1) / DW_CODES_PER_WORD;
    long param_at = 0;
    long weight_at = 0;
    for (int g = 0; g < s.groups; g++) {
        for (int n = 0; n < channels; n++) {
            params[param_at++] = row_word(layer.rows[g * channels + n], g * channels + n);
        }
        if (weight_at + words > weights_size) {
            throw export_error(where + "the weights outgrow the design's table");
        }
        for (int w = 0; w < words; w++) {
            weights[weight_at + w] = 0;
        }
        for (int n = 0; n < channels; n++) {
            const exported_row &row = layer.rows[g * channels + n];
            for (int ky = 0; ky < s.kernel_h; ky++) {
                for (int kx = 0; kx < s.kernel_w; kx++) {
                    const long long value = scheme_value(ENGINE_KINDS[row.engine], ENGINE_BITS[row.engine],
                                                         row.codes[static_cast<std::size_t>(ky * s.kernel_w + kx)]);
                    const int tap = (DW_WINDOW - s.kernel_h + ky) * DW_WINDOW + DW_WINDOW - s.kernel_w + kx;
                    const int i = n * DW_TAPS + tap;
                    put_code(weights[weight_at + i / DW_CODES_PER_WORD], i % DW_CODES_PER_WORD, DW_WEIGHT_BITS,
                             static_cast<int>(value));
                }
            }
        }
        weight_at += words;
    }
}

// Packs one exported layer into the design's tables at the descriptor's offsets, after checking that it is the
// layer the design was generated for: same geometry and tensors, and the spec's rows per scheme.
inline void pack_layer(const exported_layer &layer, const weight_layer_descriptor &d, word_t *weights,
                       param_word_t *params) {
    const weight_layer_shape &s = d.shape;
    const std::string where = "layer " + layer.name + ": ";
    if (layer.in != s.in_channels || layer.out != s.out_channels || layer.kernel_h != s.kernel_h ||
        layer.kernel_w != s.kernel_w || layer.stride_h != s.stride_h || layer.stride_w != s.stride_w ||
        layer.pad_h != s.pad_h || layer.pad_w != s.pad_w || layer.dilation_h != s.dilation_h ||
        layer.dilation_w != s.dilation_w || layer.groups != d.spec_groups) {
        throw export_error(where + "the export's shape is not the one the design was generated for");
    }
    if (tensor_index(layer.input) != d.input || tensor_index(layer.output) != d.output ||
        (d.residual < 0 ? !layer.residual.empty() : tensor_index(layer.residual) != d.residual)) {
        throw export_error(where + "the export reads or writes other tensors than the design's");
    }
    // the groups as the engines run them; a row of the export reads the input channels of its spec group only (a
    // depthwise layer's channels share the lanes: each row's weight on its channel's lane, zeros on the others)
    const int groups = s.groups;
    const int out_per_group = s.out_channels / groups;
    const int in_per_group = s.in_channels / groups;
    const int spec_out_per_group = s.out_channels / d.spec_groups;
    const int spec_in_per_group = s.in_channels / d.spec_groups;
    const int kernel_area = s.kernel_h * s.kernel_w;
    // the positions a lane group takes: every kernel position, or with the kernel columns on the lanes (s.unroll > 1)
    // each kernel row, lane (kx, c) = kx x in_channels + c holding column kx of channel c
    const int positions = s.unroll > 1 ? s.kernel_h : kernel_area;
    // rows by group and engine, ascending: the reordering of FILM-QNN
    std::vector<std::vector<std::vector<int> > > members(groups, std::vector<std::vector<int> >(ENGINES));
    std::vector<long> totals(ENGINES, 0);
    for (int r = 0; r < layer.out; r++) {
        members[r / out_per_group][layer.rows[r].engine].push_back(r);
        totals[layer.rows[r].engine]++;
    }
    // which rows of an engine go in which of its row steps is the host's choice (a row's weights and parameters come
    // with it): a lane of the output stage takes the channels c with c mod OUTPUT_LANES its own, of every engine one
    // engine after the other, so a step's output stage takes as many rounds as its fullest lane has rows of all
    // engines. The rows are dealt out step by step, each step's as even over the lanes as the engines' rows allow
    // (LoopNestSchedule.outputLaneRounds does the same); within a step by lane, each lane's rows ascending, as
    // weight_layer drains them
    for (int g = 0; g < groups; g++) {
        deal_rows_to_steps(members[g]);
    }
    for (int e = 0; e < ENGINES; e++) {
        if (totals[e] != d.rows_per_engine[e]) {
            throw export_error(where + "the export has " + std::to_string(totals[e]) + " " + ENGINE_KINDS[e] + " " +
                               std::to_string(ENGINE_BITS[e]) + " rows, the spec's split " +
                               std::to_string(d.rows_per_engine[e]));
        }
    }
    // a linear layer behind a flatten reads the map's codes in the order they lie, pixel by pixel: its fan-in
    // index c there is channel c % C of pixel c / C, PyTorch's index channel x H x W + pixel
    const int flat_area = d.flattened_height * d.flattened_width;
    long param_at = 0;
    long weight_at = 0;
    params[param_at] = clamp_word(layer.lowest, layer.highest);
    set_bits_at<24>(params[param_at++], 32, static_cast<unsigned long long>(layer.residual_multiplier));
    if (s.depthwise) {
        pack_depthwise(layer, s, where, d.weights_size, weights, params + param_at);
        return;
    }
    for (int g = 0; g < groups; g++) {
        param_word_t counts = 0;
        for (int e = 0; e < ENGINES; e++) {
            set_bits_at<16>(counts, 16 * e, members[g][e].size());
        }
        params[param_at++] = counts;
        for (int e = 0; e < ENGINES; e++) {
            for (std::size_t i = 0; i < members[g][e].size(); i++) {
                params[param_at++] = row_word(layer.rows[members[g][e][i]], members[g][e][i]);
            }
        }
        for (int e = 0; e < ENGINES; e++) {
            const std::vector<int> &list = members[g][e];
            const int rows = ENGINE_ROWS[e];
            const int codes_per_word = ENGINE_CODES_PER_WORD[e];
            const int steps = (static_cast<int>(list.size()) + rows - 1) / rows;
            for (int step = 0; step < steps; step++) {
                // a block holds the step's rows only: ceil(rows x LANES / P) words
                const int step_rows = static_cast<int>(list.size()) - step * rows < rows
                                          ? static_cast<int>(list.size()) - step * rows : rows;
                const int words = (step_rows * LANES + codes_per_word - 1) / codes_per_word;
                for (int lane_group = 0; lane_group < s.lane_groups; lane_group++) {
                    for (int k = 0; k < positions; k++) {
                        if (weight_at + words > d.weights_size) {
                            throw export_error(where + "the weights outgrow the design's table");
                        }
                        for (int w = 0; w < words; w++) {
                            weights[weight_at + w] = 0;
                        }
                        for (int m = 0; m < step_rows; m++) {
                            const int r = list[static_cast<std::size_t>(step) * rows + m];
                            const exported_row &row = layer.rows[r];
                            for (int n = 0; n < LANES; n++) {
                                // the lane's input channel, relative to the first of the row's spec group; with two
                                // lanes a value, lane n + LANES / 2 takes lane n's value (a slice higher), and weight
                                const int lane_channel = s.lanes_per_value > 1 ? lane_group * (LANES / 2) + n % (LANES / 2)
                                                                               : lane_group * LANES + n;
                                const int kx = s.unroll > 1 ? lane_channel / s.in_channels : 0;
                                const int c = s.unroll > 1 ? lane_channel % s.in_channels
                                                           : g * in_per_group + lane_channel - r / spec_out_per_group * spec_in_per_group;
                                if (lane_channel >= s.in_per_group || kx >= s.kernel_w || c < 0 || c >= spec_in_per_group) {
                                    continue;
                                }
                                const int feature = flat_area > 1 ? c % d.flattened_channels * flat_area + c / d.flattened_channels : c;
                                const int code = row.codes[static_cast<std::size_t>(feature) * kernel_area +
                                                           (s.unroll > 1 ? k * s.kernel_w + kx : k)];
                                const int i = m * LANES + n;
                                put_code(weights[weight_at + i / codes_per_word], i % codes_per_word, ENGINE_BITS[e], code);
                            }
                        }
                        weight_at += words;
                    }
                }
            }
        }
    }
}

// Packs every layer and rescale of the export, after checking its tensors against the design's table.
inline void pack(const export_data &data, word_t *weights, param_word_t *params) {
    if (static_cast<int>(data.tensors.size()) != design::TENSORS) {
        throw export_error("the export has " + std::to_string(data.tensors.size()) + " tensors, the design " +
                           std::to_string(design::TENSORS));
    }
    for (int i = 0; i < design::TENSORS; i++) {
        const exported_tensor &t = data.tensors[i];
        const tensor_layout &d = design::TENSOR[i];
        if (t.name != d.name || t.channels != d.channels || t.height != d.height || t.width != d.width ||
            t.bits != d.bits || t.is_signed != d.is_signed) {
            throw export_error("the export's tensor " + std::to_string(i + 1) + " is " + t.name + " (" +
                               std::to_string(t.bits) + " bits), the design's " + d.name + " (" +
                               std::to_string(d.bits) + " bits)");
        }
    }
    if (static_cast<int>(data.layers.size()) != design::WEIGHT_LAYERS) {
        throw export_error("the export has " + std::to_string(data.layers.size()) + " quantized layers, the design " +
                           std::to_string(design::WEIGHT_LAYERS));
    }
    for (int i = 0; i < design::WEIGHT_LAYERS; i++) {
        const weight_layer_descriptor &d = design::WEIGHT_LAYER[i];
        if (data.layers[i].name != d.name) {
            throw export_error("the export's layer " + std::to_string(i + 1) + " is " + data.layers[i].name +
                               ", the design's " + d.name);
        }
        pack_layer(data.layers[i], d, weights + d.weights_offset, params + d.params_offset);
    }
    if (static_cast<int>(data.rescales.size()) != design::RESCALES) {
        throw export_error("the export has " + std::to_string(data.rescales.size()) + " rescales, the design " +
                           std::to_string(design::RESCALES));
    }
    for (int i = 0; i < design::RESCALES; i++) {
        const design::rescale_descriptor &d = design::RESCALE[i];
        const exported_rescale &r = data.rescales[i];
        bool same = r.name == d.name && static_cast<int>(r.operands.size()) == d.operands &&
                    tensor_index(r.output) == d.output;
        for (int k = 0; same && k < d.operands; k++) {
            same = tensor_index(r.operands[k]) == d.operand[k];
        }
        if (!same) {
            throw export_error("the export's rescale " + r.name + " is not the design's " + d.name);
        }
        params[d.params_offset] = clamp_word(r.lowest, r.highest);
        for (int k = 0; k < d.operands; k++) {
            param_word_t word = 0;
            set_bits_at<24>(word, 0, static_cast<unsigned long long>(r.multipliers[k]));
            params[d.params_offset + 1 + k] = word;
        }
    }
}

inline std::string position(const tensor_layout &t, std::size_t index) {
    const std::size_t area = static_cast<std::size_t>(t.height) * t.width;
    if (area == 1) {
        return "index " + std::to_string(index);
    }
    return "index " + std::to_string(index) + " (channel " + std::to_string(index / area) + ", y " +
           std::to_string(index % area / t.width) + ", x " + std::to_string(index % t.width) + ")";
}

// Compares every stored tensor the design wrote with the golden codes, in the order they were written, so that
// the first difference names the step that made it. Prints PASS, or FAIL with the tensor and index; returns
// whether everything matched.
inline bool compare(const golden_data &golden, const word_t *input, const word_t *output, const word_t *scratch,
                    const std::string &network) {
    std::size_t checked = 0;
    for (int i = 0; i < design::TENSORS; i++) {
        const tensor_layout &t = design::TENSOR[i];
        std::map<std::string, std::vector<int> >::const_iterator expected = golden.codes.find(t.name);
        if (expected == golden.codes.end()) {
            std::printf("FAIL: golden.txt has no codes of tensor %s\n", t.name);
            return false;
        }
        const word_t *port = t.port == PORT_INPUT ? input : t.port == PORT_OUTPUT ? output : scratch;
        const std::vector<int> codes = unpack_tensor(port + t.offset, t);
        if (codes.size() != expected->second.size()) {
            std::printf("FAIL: tensor %s: golden.txt has %zu codes, the design %zu\n", t.name, expected->second.size(),
                        codes.size());
            return false;
        }
        for (std::size_t k = 0; k < codes.size(); k++) {
            if (codes[k] != expected->second[k]) {
                std::printf("FAIL: tensor %s (written by %s), code at %s: expected %d, computed %d\n", t.name,
                            t.producer, position(t, k).c_str(), expected->second[k], codes[k]);
                return false;
            }
        }
        checked += codes.size();
    }
    std::printf("PASS: %s matches golden.txt bit for bit: %d stored tensors (%zu codes)\n", network.c_str(),
                design::TENSORS, checked);
    return true;
}

#if defined(ILMPQ_COUNTING)
// Bytes rounded up to whole DRAM accesses of DRAM_ACCESS_BYTES.
inline long long whole_accesses(long long bytes) {
    return (bytes + DRAM_ACCESS_BYTES - 1) / DRAM_ACCESS_BYTES * DRAM_ACCESS_BYTES;
}

// The bytes of DRAM time a step's bursts take (MemoryBandwidth.burstBytes): each run of consecutive beats split into
// bursts of at most MAX_BURST_BEATS beats, each rounded up to whole DRAM accesses.
inline long long dram_bytes(const counting::step_counts &step) {
    long long bytes = 0;
    for (std::map<std::pair<long long, int>, long long>::const_iterator run = step.runs.begin(); run != step.runs.end();
         ++run) {
        const long long beats = run->first.first;
        const long long beat = run->first.second;
        const long long full = beats / MAX_BURST_BEATS;
        const long long rest = beats % MAX_BURST_BEATS;
        bytes += run->second *
                 (full * whole_accesses(MAX_BURST_BEATS * beat) + (rest > 0 ? whole_accesses(rest * beat) : 0));
    }
    return bytes;
}

// The words each step moved, by what they carry (the counting build: make traffic, make cycles), and the bytes of
// DRAM time their bursts take, as CSV: the figures the hardware model's DRAM traffic (DramTraffic) and bursts
// (DramBursts) give each weight layer.
inline bool write_traffic(const std::string &path) {
    counting::break_bursts();
    std::FILE *file = std::fopen(path.c_str(), "w");
    if (file == 0) {
        return false;
    }
    std::fprintf(file, "step,input_words,weight_words,parameter_words,residual_words,output_words,dram_bytes\n");
    for (std::size_t i = 0; i < counting::steps().size(); i++) {
        const counting::step_counts &step = counting::steps()[i];
        std::fprintf(file, "%s,%lld,%lld,%lld,%lld,%lld,%lld\n", step.step.c_str(), step.words[TRAFFIC_INPUT],
                     step.words[TRAFFIC_WEIGHTS], step.words[TRAFFIC_PARAMETERS], step.words[TRAFFIC_RESIDUAL],
                     step.words[TRAFFIC_OUTPUT], dram_bytes(step));
    }
    return std::fclose(file) == 0;
}

// The cycles of each weight layer as CSV, named as the report names its layers: its loops' cycles, or the cycles its
// DRAM bursts take at the board's sustained bandwidth where those are more (the loops issue their reads at one word a
// cycle; the DRAM behind the ports delivers DRAM_BYTES / DRAM_CYCLES bytes a cycle). The figures the hardware model
// (LoopNestSchedule) gives each layer.
inline bool write_cycles(const std::string &path) {
    counting::break_bursts();
    std::FILE *file = std::fopen(path.c_str(), "w");
    if (file == 0) {
        return false;
    }
    std::fprintf(file, "layer,cycles\n");
    for (std::size_t i = 0; i < counting::steps().size(); i++) {
        const counting::step_counts &step = counting::steps()[i];
        bool weight_layer = false;
        for (int l = 0; l < design::WEIGHT_LAYERS; l++) {
            weight_layer = weight_layer || step.step == design::WEIGHT_LAYER[l].name;
        }
        if (!weight_layer) {
            continue;
        }
        const long long bytes = dram_bytes(step);
        const long long memory = (bytes * DRAM_CYCLES + DRAM_BYTES - 1) / DRAM_BYTES;
        std::fprintf(file, "%s,%lld\n", step.step.c_str(), step.cycles > memory ? step.cycles : memory);
    }
    return std::fclose(file) == 0;
}
#endif

} // namespace host
} // namespace ilmpq

#endif
