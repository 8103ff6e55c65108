#!/usr/bin/env python3
"""Writes proto/onnx-proto3.proto from the onnx.proto of an ONNX release (Debian's python3-onnx ships it as
/usr/lib/python3/dist-packages/onnx/onnx.proto): the proto3 variant ONNX's own gen_proto.py writes (syntax proto3,
no 'optional' labels), without the LITE_RUNTIME option, with the Java package of the importer.

    python3 scripts/onnx-proto3.py /usr/lib/python3/dist-packages/onnx/onnx.proto 1.12.0 > proto/onnx-proto3.proto

The build generates the Java classes from it with protoc (pom.xml); protoc must not be newer than protobuf-java.
"""
import re
import sys

HEADER = """// The ONNX IR of ONNX {version}, as the onnx.proto3 that ONNX's gen_proto.py writes from onnx.in.proto:
// proto3 syntax, no 'optional' labels. Written by scripts/onnx-proto3.py from that release's onnx/onnx.proto, which
// also leaves out its LITE_RUNTIME option (the full protobuf-java runtime reads it) and adds the Java options below.
// Later IR versions only add fields and enum values, which the parser keeps as unknown; the importer refuses what
// it does not know. ONNX is licensed under the Apache License 2.0 (SPDX header below).

// SPDX-License-Identifier: Apache-2.0

"""

JAVA_OPTIONS = """option java_package = "org.ilmpq.onnx.proto";
option java_outer_classname = "OnnxProto";

"""


def main(proto_path, version):
    source = open(proto_path, encoding="utf-8").read()
    body = source[source.index('syntax = "proto2";'):]
    body = body.replace('syntax = "proto2";', 'syntax = "proto3";', 1)
    body = re.sub(r"(?m)^(\s*)optional ", r"\1", body)
    body = body.replace("option optimize_for = LITE_RUNTIME;\n", "")
    body = body.replace("package onnx;\n", "package onnx;\n\n" + JAVA_OPTIONS, 1)
    sys.stdout.write(HEADER.format(version=version) + body)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: onnx-proto3.py ONNX_PROTO VERSION > proto/onnx-proto3.proto")
    main(sys.argv[1], sys.argv[2])
