#!/usr/bin/env bash
# npm run proto: regenerates from src/protocol/message.proto
# - src/protocol/generated/message.ts (scripts/gen-proto.mjs): the enums, the
#   message types and the schema table our codec (src/protocol/proto-codec.ts)
#   runs on. This is what ships.
# - test/helpers/protobufjs-reference.{js,d.ts}: protobufjs's static code for
#   the same schema, as the SDK used it before our codec. It ships nowhere: the
#   tests (test/proto-codec.test.ts) and bench/codec.ts compare our codec with it.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/gen-proto.mjs

out=test/helpers/protobufjs-reference
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
common=(-t static-module -w es6 --force-number --no-verify --no-delimited --no-convert --no-service --no-typeurl)
npx pbjs "${common[@]}" -o "$tmp/commented.js" src/protocol/message.proto
npx pbts --no-comments -o "$out.d.ts" "$tmp/commented.js"
npx pbjs "${common[@]}" --no-comments -o "$out.js" src/protocol/message.proto
# protobufjs has no package "exports": name the file so Node's ESM loader finds it,
# and take the CommonJS default export rather than a namespace object.
sed -i 's#^import \* as \$protobuf from "protobufjs/minimal";#import $protobuf from "protobufjs/minimal.js";#' "$out.js"
sed -i 's#^import \* as \$protobuf from "protobufjs";#import type * as $protobuf from "protobufjs";#' "$out.d.ts"
# --force-number decodes int64 as number, but absent fields would still read
# as a Long zero from the prototype: make every default a plain number.
sed -i 's#\$util.Long ? \$util.Long.fromBits(0,0,\(false\|true\)) : 0#0#g' "$out.js"
sed -i '/^import Long = require("long");$/d; s#number|Long#number#g' "$out.d.ts"
# Decode int64 fields to numbers (timestamps in ms fit easily), not Long objects.
sed -i 's#reader\.int64()#$toNumber(reader.int64())#g' "$out.js"
sed -i 's#^const \$Reader = #const $toNumber = (value) => typeof value === "number" ? value : value.toNumber();\nconst $Reader = #' "$out.js"
