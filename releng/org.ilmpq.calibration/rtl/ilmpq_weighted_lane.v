// What a weight code makes of a lane, by scheme: weighted_lane<KIND> of ilmpq_engines.h, width for width.
//   KIND 0, fixed point: the code is the integer weight, one product (a DSP slice where synthesis is let to use one)
//   KIND 1, power of two: code c != 0 weighs sign(c) x 2^(|c| - 1), the lane shifted and negated for c < 0; 0 is 0
//   KIND 2, sum of two powers: |c| = i1 x 2^M2 + i2 weighs q(i1) + q(i2), q(i) = 2^(TOP - i) for i > 0, 0 for i = 0,
//           M1 = BITS / 2, M2 = BITS - 1 - M1, TOP = 2^M1 - 1; negated for c < 0
// The lane is an activation code or a slice of a wider code: LANE_BITS signed.
module ilmpq_weighted_lane #(
    parameter KIND = 1,
    parameter WEIGHT_BITS = 4,
    parameter LANE_BITS = 5,
    parameter PRODUCT_BITS = 12
) (
    input  wire signed [WEIGHT_BITS-1:0]  code,
    input  wire signed [LANE_BITS-1:0]    lane,
    output wire signed [PRODUCT_BITS-1:0] product
);
    wire        negative = code[WEIGHT_BITS-1];
    wire [WEIGHT_BITS-1:0] magnitude = negative ? -code : code;
    wire signed [PRODUCT_BITS-1:0] wide = lane;

    generate
        if (KIND == 0) begin : fixed_point
            assign product = code * lane;
        end else if (KIND == 1) begin : power_of_two
            // the shift as wide as the code (a shifter's select lines), not as an integer expression's 32 bits
            wire [WEIGHT_BITS-1:0] amount = magnitude - 1'b1;
            wire signed [PRODUCT_BITS-1:0] shifted = wide <<< amount;
            assign product = magnitude == 0 ? {PRODUCT_BITS{1'b0}} : negative ? -shifted : shifted;
        end else begin : sum_of_two_powers
            localparam M1 = WEIGHT_BITS / 2;
            localparam M2 = WEIGHT_BITS - 1 - M1;
            localparam TOP = (1 << M1) - 1;
            wire [WEIGHT_BITS-1:0] first = magnitude >> M2;
            wire [WEIGHT_BITS-1:0] second = magnitude & ((1 << M2) - 1);
            wire [WEIGHT_BITS-1:0] high_amount = TOP - first;
            wire [WEIGHT_BITS-1:0] low_amount = TOP - second;
            wire signed [PRODUCT_BITS-1:0] high = first == 0 ? {PRODUCT_BITS{1'b0}} : wide <<< high_amount;
            wire signed [PRODUCT_BITS-1:0] low = second == 0 ? {PRODUCT_BITS{1'b0}} : wide <<< low_amount;
            wire signed [PRODUCT_BITS-1:0] both = high + low;
            assign product = negative ? -both : both;
        end
    endgenerate
endmodule
