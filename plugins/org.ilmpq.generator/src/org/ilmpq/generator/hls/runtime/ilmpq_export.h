// Host side of the test bench: reads an ILMPQ export (docs/export-format.md, version 1: weights.txt and
// golden.txt), packs it into the tables the design reads (the layout weight_layer documents in engines.h), and
// compares what the design computed with the golden data, naming the first layer and index that differ. Not for
// synthesis: it uses the standard library freely.
#ifndef ILMPQ_EXPORT_H
#define ILMPQ_EXPORT_H

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engines.h"

namespace ilmpq {
namespace host {

// A problem with an export file, or between an export and the design: "FILE:LINE: problem" where there is a line.
class export_error : public std::runtime_error {
  public:
    explicit export_error(const std::string &message) : std::runtime_error(message) {}
};

struct exported_row {
    int engine; // the design's engine for the row's scheme
    double step;
    double bias;
    std::vector<int> codes;
};

struct exported_layer {
    std::string name;
    bool conv;
    int in, out, kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups;
    bool input_signed;
    int input_bits;
    double input_scale;
    std::vector<exported_row> rows;
};

struct tensor {
    int channels, height, width;
    std::vector<double> values;
};

struct golden_data {
    tensor sample;
    std::vector<std::string> layers; // the layers with input codes, in order
    std::map<std::string, tensor> input_codes;
    tensor output;
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
        if (words_.size() != 2 || words_[1] != "1") {
            throw error("export format '" + (words_.size() > 1 ? words_[1] : "") + "'; this reads version 1");
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

    long integer(std::size_t i) const {
        const std::string &text = word(i);
        char *end = 0;
        errno = 0;
        long value = std::strtol(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || errno != 0) {
            throw error("'" + text + "' is not an integer");
        }
        return value;
    }

    double real(std::size_t i) const {
        const std::string &text = word(i);
        char *end = 0;
        double value = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !std::isfinite(value)) {
            throw error("'" + text + "' is not a finite number");
        }
        return value;
    }

    // DIMS: CxHxW, or F for a vector
    tensor dims(std::size_t i) const {
        tensor t;
        const std::string &text = word(i);
        if (std::sscanf(text.c_str(), "%dx%dx%d", &t.channels, &t.height, &t.width) != 3) {
            t.height = t.width = 1;
            t.channels = static_cast<int>(integer(i));
        }
        if (t.channels < 1 || t.height < 1 || t.width < 1) {
            throw error("'" + text + "' are no dimensions");
        }
        return t;
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
    const long bits = lines.integer(position + 1);
    for (int e = 0; e < ENGINES; e++) {
        if (kind == ENGINE_KINDS[e] && bits == ENGINE_BITS[e]) {
            return e;
        }
    }
    throw lines.error(kind + " " + std::to_string(bits) + " has no engine in this design");
}

// weights.txt: every scheme table checked against what the engines compute, every layer and row read.
inline std::vector<exported_layer> read_weights(const std::string &path, const std::string &network) {
    export_lines lines(path, network);
    std::vector<exported_layer> layers;
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
        } else if (lines.keyword() == "layer") {
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
            lines.length(5);
            layer.input_signed = lines.word(1) == "signed";
            layer.input_bits = static_cast<int>(lines.integer(2));
            layer.input_scale = lines.real(4);
            const std::size_t fan_in = static_cast<std::size_t>(layer.in / layer.groups) * layer.kernel_h * layer.kernel_w;
            for (int r = 0; r < layer.out; r++) {
                lines.expect("row", "row " + std::to_string(r) + " of layer " + layer.name);
                lines.length(9 + fan_in);
                if (lines.integer(1) != r) {
                    throw lines.error("row " + lines.word(1) + " where row " + std::to_string(r) + " belongs");
                }
                exported_row row;
                row.engine = engine_of(lines, 2);
                row.step = lines.real(5);
                row.bias = lines.real(7);
                const int largest = (1 << (ENGINE_BITS[row.engine] - 1)) - 1;
                for (std::size_t k = 0; k < fan_in; k++) {
                    const long code = lines.integer(9 + k);
                    if (code < -largest || code > largest) {
                        throw lines.error("code " + std::to_string(code) + " lies outside its scheme");
                    }
                    row.codes.push_back(static_cast<int>(code));
                }
                layer.rows.push_back(row);
            }
            lines.expect("end", "the end of layer " + layer.name);
            layers.push_back(layer);
        } else {
            throw lines.error("expected 'scheme' or 'layer', found '" + lines.keyword() + "'");
        }
    }
    return layers;
}

inline tensor read_tensor(const export_lines &lines, std::size_t position) {
    tensor t = lines.dims(position);
    const std::size_t count = static_cast<std::size_t>(t.channels) * t.height * t.width;
    lines.length(position + 1 + count);
    for (std::size_t i = 0; i < count; i++) {
        t.values.push_back(lines.real(position + 1 + i));
    }
    return t;
}

// golden.txt: the sample, each quantized layer's input codes, the output.
inline golden_data read_golden(const std::string &path, const std::string &network) {
    export_lines lines(path, network);
    golden_data golden;
    lines.expect("sample", "the sample");
    golden.sample = read_tensor(lines, 1);
    while (lines.next()) {
        if (lines.keyword() == "input-codes") {
            golden.layers.push_back(lines.word(1));
            golden.input_codes[lines.word(1)] = read_tensor(lines, 2);
        } else if (lines.keyword() == "output") {
            golden.output = read_tensor(lines, 1);
            return golden;
        } else {
            throw lines.error("expected 'input-codes' or 'output', found '" + lines.keyword() + "'");
        }
    }
    throw export_error(path + ": the file ends where the output belongs");
}

// Packs one exported layer into the design's tables at the descriptor's offsets, after checking that it is the
// layer the design was generated for: same geometry, input width and sign, and the spec's rows per scheme.
inline void pack_layer(const exported_layer &layer, const weight_layer_descriptor &d, weight_word_t *weights,
                       row_index_t *rows, real_t *params) {
    const weight_layer_shape &s = d.shape;
    const std::string where = "layer " + layer.name + ": ";
    if (layer.in != s.in_channels || layer.out != s.out_channels || layer.kernel_h != s.kernel_h ||
        layer.kernel_w != s.kernel_w || layer.stride_h != s.stride_h || layer.stride_w != s.stride_w ||
        layer.pad_h != s.pad_h || layer.pad_w != s.pad_w || layer.dilation_h != s.dilation_h ||
        layer.dilation_w != s.dilation_w || layer.groups != s.groups) {
        throw export_error(where + "the export's shape is not the one the design was generated for");
    }
    if (layer.input_signed != s.input_signed || layer.input_bits != s.input_bits) {
        throw export_error(where + "the export quantizes its input to " + std::to_string(layer.input_bits) +
                           " bits " + (layer.input_signed ? "signed" : "unsigned") + ", the design to " +
                           std::to_string(s.input_bits) + " bits " + (s.input_signed ? "signed" : "unsigned"));
    }
    const int groups = s.groups;
    const int out_per_group = s.out_channels / groups;
    const int in_per_group = s.in_channels / groups;
    const int lane_groups = (in_per_group + LANES - 1) / LANES;
    const int kernel_area = s.kernel_h * s.kernel_w;
    // rows by group and engine, ascending: the reordering of FILM-QNN
    std::vector<std::vector<std::vector<int> > > members(groups, std::vector<std::vector<int> >(ENGINES));
    std::vector<long> totals(ENGINES, 0);
    for (int r = 0; r < layer.out; r++) {
        members[r / out_per_group][layer.rows[r].engine].push_back(r);
        totals[layer.rows[r].engine]++;
    }
    for (int e = 0; e < ENGINES; e++) {
        if (totals[e] != d.rows_per_engine[e]) {
            throw export_error(where + "the export has " + std::to_string(totals[e]) + " " + ENGINE_KINDS[e] + " " +
                               std::to_string(ENGINE_BITS[e]) + " rows, the spec's split " +
                               std::to_string(d.rows_per_engine[e]));
        }
    }
    const int levels = layer.input_signed ? (1 << (layer.input_bits - 1)) - 1 : (1 << layer.input_bits) - 1;
    const double input_step = layer.input_scale / levels;
    params[0] = input_step;
    long row_at = groups * ENGINES;
    long param_at = 1;
    long weight_at = 0;
    for (int g = 0; g < groups; g++) {
        for (int e = 0; e < ENGINES; e++) {
            rows[g * ENGINES + e] = static_cast<long long>(members[g][e].size());
        }
    }
    for (int g = 0; g < groups; g++) {
        for (int e = 0; e < ENGINES; e++) {
            const std::vector<int> &list = members[g][e];
            for (std::size_t i = 0; i < list.size(); i++) {
                const exported_row &row = layer.rows[list[i]];
                rows[row_at++] = list[i];
                params[param_at++] = row.step * input_step; // STEP x (S / L), as the reference multiplies
                params[param_at++] = row.bias;
            }
            const int engine_rows = ENGINE_ROWS[e];
            const int steps = (static_cast<int>(list.size()) + engine_rows - 1) / engine_rows;
            for (int step = 0; step < steps; step++) {
                for (int lane_group = 0; lane_group < lane_groups; lane_group++) {
                    for (int k = 0; k < kernel_area; k++) {
                        for (int m = 0; m < engine_rows; m++) {
                            if (weight_at >= d.weights_size) {
                                throw export_error(where + "the weights outgrow the design's table");
                            }
                            weight_word_t &word = weights[weight_at++];
                            const std::size_t member = static_cast<std::size_t>(step) * engine_rows + m;
                            for (int n = 0; n < LANES; n++) {
                                const int c = lane_group * LANES + n;
                                int code = 0;
                                if (member < list.size() && c < in_per_group) {
                                    code = layer.rows[list[member]].codes[static_cast<std::size_t>(c) * kernel_area + k];
                                }
                                word.set(n, code);
                            }
                        }
                    }
                }
            }
        }
    }
}

// Packs every layer of the export, which must be the design's weight layers in the design's order.
inline void pack(const std::vector<exported_layer> &layers, const weight_layer_descriptor *descriptors, int count,
                 weight_word_t *weights, row_index_t *rows, real_t *params) {
    if (static_cast<int>(layers.size()) != count) {
        throw export_error("the export has " + std::to_string(layers.size()) + " quantized layers, the design " +
                           std::to_string(count));
    }
    for (int i = 0; i < count; i++) {
        const weight_layer_descriptor &d = descriptors[i];
        if (layers[i].name != d.name) {
            throw export_error("the export's layer " + std::to_string(i + 1) + " is " + layers[i].name +
                               ", the design's " + d.name);
        }
        pack_layer(layers[i], d, weights + d.weights_offset, rows + d.rows_offset, params + d.params_offset);
    }
}

inline std::string position(const tensor &t, std::size_t index) {
    const std::size_t area = static_cast<std::size_t>(t.height) * t.width;
    if (area == 1) {
        return "index " + std::to_string(index);
    }
    return "index " + std::to_string(index) + " (channel " + std::to_string(index / area) + ", y " +
           std::to_string(index % area / t.width) + ", x " + std::to_string(index % t.width) + ")";
}

// Compares the design's results with the golden data: each weight layer's input codes (its input as the design
// stored it, quantized as the layer quantizes it), then the output, bit for bit (0.0 equals -0.0). Prints PASS, or
// FAIL with the first layer and index that differ; returns whether everything matched.
inline bool compare(const golden_data &golden, const weight_layer_descriptor *descriptors, int count,
                    const real_t *input, const real_t *output, const real_t *scratch, const real_t *params,
                    const std::string &network) {
    std::size_t checked = 0;
    for (int i = 0; i < count; i++) {
        const weight_layer_descriptor &d = descriptors[i];
        std::map<std::string, tensor>::const_iterator expected = golden.input_codes.find(d.name);
        if (expected == golden.input_codes.end()) {
            std::printf("FAIL: golden.txt has no input codes of layer %s\n", d.name);
            return false;
        }
        const real_t *in = d.input_port == PORT_INPUT ? input : d.input_port == PORT_OUTPUT ? output : scratch;
        in += d.input_offset;
        const double step = params[d.params_offset];
        const long long levels = d.shape.input_signed ? (1LL << (d.shape.input_bits - 1)) - 1
                                                      : (1LL << d.shape.input_bits) - 1;
        const long long lowest = d.shape.input_signed ? -levels : 0;
        const std::vector<double> &codes = expected->second.values;
        if (codes.size() != static_cast<std::size_t>(d.shape.in_channels) * d.shape.in_height * d.shape.in_width) {
            std::printf("FAIL: layer %s: golden.txt has %zu input codes, the layer reads %d x %d x %d\n", d.name,
                        codes.size(), d.shape.in_channels, d.shape.in_height, d.shape.in_width);
            return false;
        }
        for (std::size_t k = 0; k < codes.size(); k++) {
            const long long code = quantize(in[k], step, lowest, levels);
            if (static_cast<double>(code) != codes[k]) {
                std::printf("FAIL: layer %s, input code at %s: expected %.0f, computed %lld\n", d.name,
                            position(expected->second, k).c_str(), codes[k], code);
                return false;
            }
        }
        checked += codes.size();
    }
    for (std::size_t k = 0; k < golden.output.values.size(); k++) {
        if (!(output[k] == golden.output.values[k])) {
            std::printf("FAIL: output at %s: expected %a, computed %a\n", position(golden.output, k).c_str(),
                        golden.output.values[k], output[k]);
            return false;
        }
    }
    std::printf("PASS: %s matches golden.txt bit for bit: the input codes of %d layers (%zu values) and %zu outputs\n",
                network.c_str(), count, checked, golden.output.values.size());
    return true;
}

} // namespace host
} // namespace ilmpq

#endif
