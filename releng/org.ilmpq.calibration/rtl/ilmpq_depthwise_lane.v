// One lane of the depthwise unit: depthwise_unit() of ilmpq_engines.h, width for width. Its channel's TAPS integer
// weights times the lane's window of TAPS values, on LUT multipliers (the DSP slices are the engines'), and their
// sum: the whole kernel at once. Registers after the products and on the sum: the sum comes out two cycles after
// its inputs. The line buffers and the window's registers that feed it are not part of it.
module ilmpq_depthwise_lane #(
    parameter TAPS = 9,
    parameter ACTIVATION_BITS = 4,
    parameter WEIGHT_BITS = 8,        // DW_WEIGHT_BITS
    parameter PRODUCT_BITS = 13,      // dw_config's product_t and sum_t
    parameter SUM_BITS = 17
) (
    input  wire                                  clk,
    input  wire [TAPS*WEIGHT_BITS-1:0]           weights,
    input  wire [TAPS*(ACTIVATION_BITS+1)-1:0]   window,
    output reg  signed [SUM_BITS-1:0]            sum
);
    localparam LANE_BITS = ACTIVATION_BITS + 1;

    reg [TAPS*PRODUCT_BITS-1:0] products;
    genvar t;
    generate
        for (t = 0; t < TAPS; t = t + 1) begin : tap
            wire signed [WEIGHT_BITS-1:0] weight = weights[t*WEIGHT_BITS +: WEIGHT_BITS];
            wire signed [LANE_BITS-1:0] value = window[t*LANE_BITS +: LANE_BITS];
            wire signed [PRODUCT_BITS-1:0] product = weight * value;
            always @(posedge clk) products[t*PRODUCT_BITS +: PRODUCT_BITS] <= product;
        end
    endgenerate

    wire signed [PRODUCT_BITS+$clog2(TAPS)-1:0] total;
    ilmpq_adder_tree #(.INPUTS(TAPS), .BITS(PRODUCT_BITS)) taps (.values(products), .sum(total));
    always @(posedge clk) sum <= total;
endmodule
