// PACKING rows of a fixed-point engine sharing one DSP product per lane: engine_datapath<DSP_PACKED> of
// ilmpq_engines.h, width for width (Xilinx WP486). Per lane the rows' weights side by side in one operand,
//     packed = w[PACKING-1] x 2^((PACKING-1) x FIELD_BITS) + ... + w[0]           in PACKED_BITS, signed
// times the lane, and the fields taken apart: the low PRODUCT_BITS of what is left, read as a signed number, is
// row k's product; subtracting it and shifting right by FIELD_BITS leaves the rows above (the correction of the
// sign a negative field borrows). Per row an adder tree over each half of the lanes and the accumulation of
// ilmpq_engine_row. Registers: after the DSP product, after the half sums, the accumulators (three cycles).
module ilmpq_packed_rows #(
    parameter LANES = 16,
    parameter ACTIVATION_BITS = 4,
    parameter WEIGHT_BITS = 4,
    parameter PACKING = 3,
    parameter FIELD_BITS = 9,
    parameter PACKED_BITS = 22,           // the config's packed_t and packed_product_t
    parameter PACKED_PRODUCT_BITS = 27,
    parameter PRODUCT_BITS = 8,           // product_t, sum_t, acc_t
    parameter SUM_BITS = 13,
    parameter ACC_BITS = 16,
    parameter SHIFT_BITS = 3
) (
    input  wire                                 clk,
    input  wire [PACKING*LANES*WEIGHT_BITS-1:0] weights,   // row k's weight of lane n at (k x LANES + n)
    input  wire [LANES*(ACTIVATION_BITS+1)-1:0] lanes,
    input  wire [SHIFT_BITS-1:0]                shift,
    input  wire                                 halves,
    input  wire                                 clear,
    output wire [PACKING*ACC_BITS-1:0]          accs       // row k's accumulator at k x ACC_BITS
);
    localparam LANE_BITS = ACTIVATION_BITS + 1;
    localparam HALF = LANES / 2;
    localparam TREE_BITS = PRODUCT_BITS + $clog2(HALF);

    // the DSP products, one a lane, registered (the slice's M or P register)
    reg [LANES*PACKED_PRODUCT_BITS-1:0] packed_q;
    genvar n, k;
    generate
        for (n = 0; n < LANES; n = n + 1) begin : lane
            wire [PACKING*PACKED_BITS-1:0] operand;   // the operand as row k's weight is added in, from the top row
            for (k = PACKING - 1; k >= 0; k = k - 1) begin : pack
                wire signed [WEIGHT_BITS-1:0] weight = weights[(k*LANES+n)*WEIGHT_BITS +: WEIGHT_BITS];
                if (k == PACKING - 1) begin : top
                    assign operand[k*PACKED_BITS +: PACKED_BITS] = weight;
                end else begin : below
                    wire signed [PACKED_BITS-1:0] above = operand[(k+1)*PACKED_BITS +: PACKED_BITS];
                    assign operand[k*PACKED_BITS +: PACKED_BITS] = (above <<< FIELD_BITS) + weight;
                end
            end
            wire signed [PACKED_BITS-1:0] packed = operand[0 +: PACKED_BITS];
            wire signed [LANE_BITS-1:0] value = lanes[n*LANE_BITS +: LANE_BITS];
            wire signed [PACKED_PRODUCT_BITS-1:0] product = packed * value;
            always @(posedge clk) packed_q[n*PACKED_PRODUCT_BITS +: PACKED_PRODUCT_BITS] <= product;
        end
    endgenerate

    reg [SHIFT_BITS-1:0] shift_q, shift_qq;
    reg halves_q, halves_qq, clear_q, clear_qq;
    always @(posedge clk) begin
        shift_q <= shift;
        halves_q <= halves;
        clear_q <= clear;
        shift_qq <= shift_q;
        halves_qq <= halves_q;
        clear_qq <= clear_q;
    end

    // the fields of every lane's product: field k of lane n at (k x LANES + n) x PRODUCT_BITS
    wire [PACKING*LANES*PRODUCT_BITS-1:0] fields;
    generate
        for (n = 0; n < LANES; n = n + 1) begin : unpack
            wire [(PACKING+1)*PACKED_PRODUCT_BITS-1:0] rest;   // what is left before field k, at k
            assign rest[0 +: PACKED_PRODUCT_BITS] = packed_q[n*PACKED_PRODUCT_BITS +: PACKED_PRODUCT_BITS];
            for (k = 0; k < PACKING; k = k + 1) begin : field
                wire signed [PACKED_PRODUCT_BITS-1:0] left = rest[k*PACKED_PRODUCT_BITS +: PACKED_PRODUCT_BITS];
                wire signed [PRODUCT_BITS-1:0] value = left[PRODUCT_BITS-1:0];
                wire signed [PACKED_PRODUCT_BITS-1:0] above = left - value;
                assign fields[(k*LANES+n)*PRODUCT_BITS +: PRODUCT_BITS] = value;
                assign rest[(k+1)*PACKED_PRODUCT_BITS +: PACKED_PRODUCT_BITS] = above >>> FIELD_BITS;
            end
        end
    endgenerate

    generate
        for (k = 0; k < PACKING; k = k + 1) begin : row
            wire signed [TREE_BITS-1:0] low_tree, high_tree;
            ilmpq_adder_tree #(.INPUTS(HALF), .BITS(PRODUCT_BITS))
                low_half (.values(fields[(k*LANES)*PRODUCT_BITS +: HALF*PRODUCT_BITS]), .sum(low_tree));
            ilmpq_adder_tree #(.INPUTS(HALF), .BITS(PRODUCT_BITS))
                high_half (.values(fields[(k*LANES+HALF)*PRODUCT_BITS +: HALF*PRODUCT_BITS]), .sum(high_tree));
            reg signed [SUM_BITS-1:0] low, high;
            always @(posedge clk) begin
                low <= low_tree;
                high <= high_tree;
            end
            wire signed [ACC_BITS-1:0] low_acc = low;
            wire signed [ACC_BITS-1:0] high_acc = high;
            wire signed [ACC_BITS-1:0] sum = low_acc + (high_acc <<< (halves_qq ? ACTIVATION_BITS : 0));
            reg signed [ACC_BITS-1:0] acc;
            always @(posedge clk) acc <= (clear_qq ? {ACC_BITS{1'b0}} : acc) + (sum <<< shift_qq);
            assign accs[k*ACC_BITS +: ACC_BITS] = acc;
        end
    endgenerate
endmodule
