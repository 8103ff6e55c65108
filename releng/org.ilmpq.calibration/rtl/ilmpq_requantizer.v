// One requantizer of the output stage: requantize() of ilmpq_tiles.h and to_code() of ilmpq_layers.h, width for
// width (docs/quantization.md). With the row's parameter word's bias B, multiplier M and shift field s + 8:
//     z    = ((acc x M) << 8 >> (s + 8)) + B  [+ residual code x R, for a fused add]       in Z_BITS
//     code = clamp((z + 2^15) >> 16, lowest, highest)
// acc x M and code x R on DSP slices (the BIND_OP pragmas of the C++). Registers after the products, after the sum
// and on the code: the code comes out three cycles after its inputs.
module ilmpq_requantizer #(
    parameter ACC_BITS = 20,
    parameter SCALED_BITS = 46,       // output_scaled_t: ACC_BITS + 17 + 1 + 8
    parameter Z_BITS = 48,            // the design's sum_t
    parameter CODE_BITS = 9,          // tile_code_t: a code, 8 bits signed or unsigned
    parameter RESIDUAL = 1            // whether the design has fused adds: their datapath exists only then
) (
    input  wire                         clk,
    input  wire signed [ACC_BITS-1:0]   acc,
    input  wire signed [25:0]           bias,
    input  wire        [16:0]           multiplier,
    input  wire        [5:0]            shift,
    input  wire                         residual,
    input  wire signed [CODE_BITS-1:0]  residual_code,
    input  wire        [23:0]           residual_multiplier,
    input  wire signed [CODE_BITS-1:0]  lowest,
    input  wire signed [CODE_BITS-1:0]  highest,
    output reg  signed [CODE_BITS-1:0]  code
);
    localparam FRACTION_BITS = 16;
    localparam SHIFT_OFFSET = 8;

    reg signed [SCALED_BITS-1:0] product;
    reg signed [25:0] bias_q;
    reg [5:0] shift_q;
    reg signed [CODE_BITS-1:0] lowest_q, highest_q, lowest_qq, highest_qq;
    wire signed [Z_BITS-1:0] operand;
    generate
        if (RESIDUAL) begin : fused_add
            reg signed [Z_BITS-1:0] term;
            always @(posedge clk) begin
                term <= residual ? residual_code * $signed({1'b0, residual_multiplier}) : $signed({Z_BITS{1'b0}});
            end
            assign operand = term;
        end else begin : no_fused_add
            assign operand = {Z_BITS{1'b0}};
        end
    endgenerate
    always @(posedge clk) begin
        product <= acc * $signed({1'b0, multiplier});
        bias_q <= bias;
        shift_q <= shift;
        lowest_q <= lowest;
        highest_q <= highest;
    end

    wire signed [SCALED_BITS-1:0] scaled = product <<< SHIFT_OFFSET;
    wire signed [SCALED_BITS-1:0] shifted = scaled >>> shift_q;
    wire signed [Z_BITS-1:0] wide = shifted;
    reg signed [Z_BITS-1:0] z;
    always @(posedge clk) begin
        z <= wide + bias_q + operand;
        lowest_qq <= lowest_q;
        highest_qq <= highest_q;
    end

    wire signed [Z_BITS:0] rounded = ($signed({z[Z_BITS-1], z}) + (1 << (FRACTION_BITS - 1))) >>> FRACTION_BITS;
    always @(posedge clk) begin
        code <= rounded < lowest_qq ? lowest_qq : rounded > highest_qq ? highest_qq : rounded[CODE_BITS-1:0];
    end
endmodule
