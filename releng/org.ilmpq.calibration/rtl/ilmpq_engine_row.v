// One row of an engine whose lanes are weighed one product each: engine_datapath<LUT_SHIFT_ADD> (power-of-two and
// SP2 codes, shifts and adds on LUTs) and engine_datapath<DSP_PRODUCTS> (fixed-point codes, one product a lane) of
// ilmpq_engines.h, width for width. Each cycle: LANES products of the row's weights and the lanes, an adder tree over
// each half of the lanes, and the accumulation of accumulate<CONFIG>:
//     acc = (clear ? 0 : acc) + ((low + (high << (halves ? ACTIVATION_BITS : 0))) << shift)      in ACC_BITS, wrapping
// Registers where a 100 MHz pipeline puts them: after the products, after the half sums, the accumulator; the
// accumulator holds the sum of the inputs given three cycles before.
module ilmpq_engine_row #(
    parameter KIND = 1,               // 0 fixed point, 1 power of two, 2 sum of two powers (ilmpq_weighted_lane)
    parameter LANES = 16,
    parameter ACTIVATION_BITS = 4,
    parameter WEIGHT_BITS = 4,
    parameter PRODUCT_BITS = 12,      // the config's product_t, sum_t and acc_t
    parameter SUM_BITS = 17,
    parameter ACC_BITS = 19,
    parameter SHIFT_BITS = 3          // shift_t
) (
    input  wire                              clk,
    input  wire [LANES*WEIGHT_BITS-1:0]      weights,
    input  wire [LANES*(ACTIVATION_BITS+1)-1:0] lanes,
    input  wire [SHIFT_BITS-1:0]             shift,
    input  wire                              halves,
    input  wire                              clear,
    output reg  signed [ACC_BITS-1:0]        acc
);
    localparam LANE_BITS = ACTIVATION_BITS + 1;
    localparam HALF = LANES / 2;
    localparam TREE_BITS = PRODUCT_BITS + $clog2(HALF);

    wire [LANES*PRODUCT_BITS-1:0] products;
    genvar n;
    generate
        for (n = 0; n < LANES; n = n + 1) begin : lane
            ilmpq_weighted_lane #(.KIND(KIND), .WEIGHT_BITS(WEIGHT_BITS), .LANE_BITS(LANE_BITS),
                                  .PRODUCT_BITS(PRODUCT_BITS))
                weighted (.code(weights[n*WEIGHT_BITS +: WEIGHT_BITS]), .lane(lanes[n*LANE_BITS +: LANE_BITS]),
                          .product(products[n*PRODUCT_BITS +: PRODUCT_BITS]));
        end
    endgenerate

    reg [LANES*PRODUCT_BITS-1:0] products_q;
    reg [SHIFT_BITS-1:0] shift_q, shift_qq;
    reg halves_q, halves_qq, clear_q, clear_qq;
    always @(posedge clk) begin
        products_q <= products;
        shift_q <= shift;
        halves_q <= halves;
        clear_q <= clear;
    end

    wire signed [TREE_BITS-1:0] low_tree, high_tree;
    ilmpq_adder_tree #(.INPUTS(HALF), .BITS(PRODUCT_BITS)) low_half (.values(products_q[0 +: HALF*PRODUCT_BITS]),
                                                                     .sum(low_tree));
    ilmpq_adder_tree #(.INPUTS(HALF), .BITS(PRODUCT_BITS)) high_half (.values(products_q[HALF*PRODUCT_BITS +: HALF*PRODUCT_BITS]),
                                                                      .sum(high_tree));
    reg signed [SUM_BITS-1:0] low, high;
    always @(posedge clk) begin
        low <= low_tree;
        high <= high_tree;
        shift_qq <= shift_q;
        halves_qq <= halves_q;
        clear_qq <= clear_q;
    end

    wire signed [ACC_BITS-1:0] low_acc = low;
    wire signed [ACC_BITS-1:0] high_acc = high;
    wire signed [ACC_BITS-1:0] sum = low_acc + (high_acc <<< (halves_qq ? ACTIVATION_BITS : 0));
    always @(posedge clk) begin
        acc <= (clear_qq ? {ACC_BITS{1'b0}} : acc) + (sum <<< shift_qq);
    end
endmodule
