// A balanced tree adding INPUTS signed values of BITS bits, each level's adders a bit wider than the level below
// (what Vitis HLS makes of the unrolled `sum += term` loops of ilmpq_engines.h after expression balancing). Missing
// leaves of a count that is no power of two are zero. Combinational: the unit around it places the registers.
module ilmpq_adder_tree #(
    parameter INPUTS = 8,
    parameter BITS = 12
) (
    input  wire [INPUTS*BITS-1:0]             values,
    output wire signed [BITS+$clog2(INPUTS)-1:0] sum
);
    localparam LEVELS = $clog2(INPUTS);
    localparam LEAVES = 1 << LEVELS;

    genvar level, node;
    generate
        for (level = 0; level <= LEVELS; level = level + 1) begin : tree
            // the values of this level, (LEAVES >> level) of them, BITS + level bits each
            wire [(LEAVES >> level)*(BITS+level)-1:0] v;
            for (node = 0; node < (LEAVES >> level); node = node + 1) begin : adder
                if (level == 0) begin : leaf
                    if (node < INPUTS) begin : value
                        assign v[node*BITS +: BITS] = values[node*BITS +: BITS];
                    end else begin : zero
                        assign v[node*BITS +: BITS] = {BITS{1'b0}};
                    end
                end else begin : sum
                    assign v[node*(BITS+level) +: BITS+level] =
                        $signed(tree[level-1].v[(2*node)*(BITS+level-1) +: BITS+level-1])
                        + $signed(tree[level-1].v[(2*node+1)*(BITS+level-1) +: BITS+level-1]);
                end
            end
        end
    endgenerate
    assign sum = tree[LEVELS].v;
endmodule
