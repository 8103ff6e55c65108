// Test bench of the calibration's units against the generated firmware's C++: reads the vectors unit_vectors.cpp
// wrote (+vectors=FILE), a line a cycle, feeds each line's inputs to the unit selected by UNIT (0 an engine row,
// 1 packed rows, 2 a requantizer, 3 a depthwise lane; the widths as top-level parameters, calibration.py gives
// the C++ the same), and compares the unit's outputs when they have gone through its registers (three cycles
// later, two for a depthwise lane) with the line's expected ones. Prints "PASS n" or the first mismatch, "FAIL ...", and finishes.
`timescale 1ns / 1ps
module tb_units;
    parameter UNIT = 0;
    parameter KIND = 1;
    parameter LANES = 8;
    parameter ACTIVATION_BITS = 4;
    parameter WEIGHT_BITS = 4;
    parameter PRODUCT_BITS = 12;
    parameter SUM_BITS = 16;
    parameter ACC_BITS = 20;
    parameter SHIFT_BITS = 3;
    parameter PACKING = 3;
    parameter FIELD_BITS = 9;
    parameter PACKED_BITS = 22;
    parameter PACKED_PRODUCT_BITS = 27;
    parameter SCALED_BITS = 46;
    parameter Z_BITS = 48;
    parameter CODE_BITS = 9;
    parameter RESIDUAL = 1;
    parameter TAPS = 9;
    localparam LATENCY = UNIT == 3 ? 2 : 3;
    localparam ROWS = UNIT == 1 ? PACKING : 1;
    localparam OUT_BITS = UNIT == 2 ? CODE_BITS : UNIT == 3 ? SUM_BITS : ROWS * ACC_BITS;
    localparam MAX_CYCLES = 100000;

    reg clk = 0;
    reg [ROWS*LANES*WEIGHT_BITS-1:0] weights;
    reg [TAPS*WEIGHT_BITS-1:0] tap_weights;
    reg [TAPS*(ACTIVATION_BITS+1)-1:0] window;
    reg [LANES*(ACTIVATION_BITS+1)-1:0] lanes;
    reg [SHIFT_BITS-1:0] shift;
    reg halves, clear;
    reg [ACC_BITS-1:0] acc;
    reg [25:0] bias;
    reg [16:0] multiplier;
    reg [5:0] out_shift;
    reg residual;
    reg [CODE_BITS-1:0] code, lowest, highest;
    reg [23:0] residual_multiplier;
    reg [OUT_BITS-1:0] expected [0:MAX_CYCLES-1];
    wire [OUT_BITS-1:0] actual;

    generate
        if (UNIT == 0) begin : row
            wire signed [ACC_BITS-1:0] row_acc;
            ilmpq_engine_row #(.KIND(KIND), .LANES(LANES), .ACTIVATION_BITS(ACTIVATION_BITS), .WEIGHT_BITS(WEIGHT_BITS),
                               .PRODUCT_BITS(PRODUCT_BITS), .SUM_BITS(SUM_BITS), .ACC_BITS(ACC_BITS),
                               .SHIFT_BITS(SHIFT_BITS))
                unit (.clk(clk), .weights(weights), .lanes(lanes), .shift(shift), .halves(halves), .clear(clear),
                      .acc(row_acc));
            assign actual = row_acc;
        end else if (UNIT == 1) begin : packed_rows
            ilmpq_packed_rows #(.LANES(LANES), .ACTIVATION_BITS(ACTIVATION_BITS), .WEIGHT_BITS(WEIGHT_BITS),
                                .PACKING(PACKING), .FIELD_BITS(FIELD_BITS), .PACKED_BITS(PACKED_BITS),
                                .PACKED_PRODUCT_BITS(PACKED_PRODUCT_BITS), .PRODUCT_BITS(PRODUCT_BITS),
                                .SUM_BITS(SUM_BITS), .ACC_BITS(ACC_BITS), .SHIFT_BITS(SHIFT_BITS))
                unit (.clk(clk), .weights(weights), .lanes(lanes), .shift(shift), .halves(halves), .clear(clear),
                      .accs(actual));
        end else if (UNIT == 3) begin : depthwise_lane
            wire signed [SUM_BITS-1:0] sum;
            ilmpq_depthwise_lane #(.TAPS(TAPS), .ACTIVATION_BITS(ACTIVATION_BITS), .WEIGHT_BITS(WEIGHT_BITS),
                                   .PRODUCT_BITS(PRODUCT_BITS), .SUM_BITS(SUM_BITS))
                unit (.clk(clk), .weights(tap_weights), .window(window), .sum(sum));
            assign actual = sum;
        end else begin : requantizer
            wire signed [CODE_BITS-1:0] requantized;
            ilmpq_requantizer #(.ACC_BITS(ACC_BITS), .SCALED_BITS(SCALED_BITS), .Z_BITS(Z_BITS),
                                .CODE_BITS(CODE_BITS), .RESIDUAL(RESIDUAL))
                unit (.clk(clk), .acc(acc), .bias(bias), .multiplier(multiplier), .shift(out_shift),
                      .residual(residual), .residual_code(code), .residual_multiplier(residual_multiplier),
                      .lowest(lowest), .highest(highest), .code(requantized));
            assign actual = requantized;
        end
    endgenerate

    integer file, fields, cycle, cycles, halves_bit, clear_bit, residual_bit;
    reg [1023:0] path;
    initial begin
        if (!$value$plusargs("vectors=%s", path)) begin
            $display("FAIL no +vectors=FILE");
            $finish;
        end
        file = $fopen(path, "r");
        if (file == 0) begin
            $display("FAIL cannot read %0s", path);
            $finish;
        end
        cycles = 0;
        forever begin
            if (UNIT == 2) begin
                fields = $fscanf(file, "%h %h %h %h %h %h %h %h %h %h\n", acc, bias, multiplier, out_shift,
                                 residual_bit, code, residual_multiplier, lowest, highest, expected[cycles]);
                residual = residual_bit[0];
            end else if (UNIT == 3) begin
                fields = $fscanf(file, "%h %h %h\n", tap_weights, window, expected[cycles]);
            end else begin
                fields = $fscanf(file, "%h %h %h %h %h %h\n", weights, lanes, shift, halves_bit, clear_bit,
                                 expected[cycles]);
                halves = halves_bit[0];
                clear = clear_bit[0];
            end
            if (fields <= 0) begin
                // the last inputs' outputs come LATENCY cycles after them
                repeat (LATENCY) begin
                    #5 clk = 1;
                    #5 clk = 0;
                    check;
                end
                $display("PASS %0d", cycles);
                $finish;
            end
            #5 clk = 1;
            #5 clk = 0;
            cycles = cycles + 1;
            check;
        end
    end

    integer checked = 0;
    task check;
        begin
            if (checked + LATENCY <= cycles) begin
                if (actual !== expected[checked]) begin
                    $display("FAIL cycle %0d: expected %h, the Verilog gives %h", checked, expected[checked], actual);
                    $finish;
                end
                checked = checked + 1;
            end
        end
    endtask
endmodule
