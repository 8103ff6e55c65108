// A buffer of the accelerator as the generated C++ declares its arrays: a simple dual-port memory of DEPTH words
// of WIDTH bits, a write and a registered read a cycle (the accumulators, the input tile and the tile banks of
// ilmpq_loop_nest.h and ilmpq_tiles.h). Synthesis decides what it is made of: block RAM (RAMB18E1 / RAMB36E1) or
// distributed RAM (RAM32M, RAM64M, ... in LUTs), which is what the calibration measures.
module ilmpq_buffer #(
    parameter WIDTH = 16,
    parameter DEPTH = 256
) (
    input  wire                     clk,
    input  wire                     write,
    input  wire [$clog2(DEPTH)-1:0] write_address,
    input  wire [WIDTH-1:0]         write_data,
    input  wire [$clog2(DEPTH)-1:0] read_address,
    output reg  [WIDTH-1:0]         read_data
);
    reg [WIDTH-1:0] words [0:DEPTH-1];
    always @(posedge clk) begin
        if (write) begin
            words[write_address] <= write_data;
        end
        read_data <= words[read_address];
    end
endmodule
