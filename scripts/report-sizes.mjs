#!/usr/bin/env node
// Prints the raw and gzip size of each built bundle (npm run build).
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const files = ['dist/lc-chat.js', 'dist/lc-chat.iife.js', 'dist/lc-chat-sdk.js'];
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log('\nbundle                   raw        gzip');
for (const file of files) {
  if (!existsSync(file)) {
    console.log(`${file.padEnd(24)} missing`);
    process.exitCode = 1;
    continue;
  }
  const code = readFileSync(file);
  console.log(`${file.padEnd(24)} ${kb(code.length).padStart(9)}  ${kb(gzipSync(code, { level: 9 }).length).padStart(9)}`);
}
