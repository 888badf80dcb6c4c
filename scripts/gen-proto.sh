#!/usr/bin/env bash
# Regenerates src/protocol/generated/ from src/protocol/message.proto.
# The runtime module is generated without comments (smaller browser bundle);
# its type declarations come from a commented twin, which pbts needs.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/protocol/generated
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
common=(-t static-module -w es6 --force-number --no-verify --no-delimited --no-convert --no-service --no-typeurl)
npx pbjs "${common[@]}" -o "$tmp/commented.js" src/protocol/message.proto
npx pbts --no-comments -o "$out/message.d.ts" "$tmp/commented.js"
npx pbjs "${common[@]}" --no-comments -o "$out/message.js" src/protocol/message.proto
# protobufjs has no package "exports": name the file so Node's ESM loader finds it,
# and take the CommonJS default export rather than a namespace object.
sed -i 's#^import \* as \$protobuf from "protobufjs/minimal";#import $protobuf from "protobufjs/minimal.js";#' "$out/message.js"
sed -i 's#^import \* as \$protobuf from "protobufjs";#import type * as $protobuf from "protobufjs";#' "$out/message.d.ts"
# --force-number decodes int64 as number, but absent fields would still read
# as a Long zero from the prototype: make every default a plain number.
sed -i 's#\$util.Long ? \$util.Long.fromBits(0,0,\(false\|true\)) : 0#0#g' "$out/message.js"
sed -i '/^import Long = require("long");$/d; s#number|Long#number#g' "$out/message.d.ts"
# Decode int64 fields to numbers (timestamps in ms fit easily), not Long objects.
sed -i 's#reader\.int64()#$toNumber(reader.int64())#g' "$out/message.js"
sed -i 's#^const \$Reader = #const $toNumber = (value) => typeof value === "number" ? value : value.toNumber();\nconst $Reader = #' "$out/message.js"
