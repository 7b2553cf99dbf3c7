// Compiles src/onnx/onnx.proto into a static protobuf decoder, src/generated/onnx-proto.js
// (+ its .d.ts), with protobufjs's pbjs: decode-only code over protobufjs/minimal, so the
// package ships a few kilobytes of decoder instead of protobufjs's reflection runtime, and
// generates no code at run time (pages with a strict Content-Security-Policy can read ONNX).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { pbjs, pbts } = require('protobufjs-cli');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'src/generated/onnx-proto.js');
mkdirSync(dirname(out), { recursive: true });

function run(main, args) {
  return new Promise((resolve, reject) => main(args, (error, output) => (error ? reject(error) : resolve(output))));
}

// Only what the reader calls: decode (no encode, verify, fromObject/toObject, delimited forms).
await run(pbjs.main, [
  '--target',
  'static-module',
  '--wrap',
  'es6',
  '--es6',
  '--no-encode',
  '--no-verify',
  '--no-convert',
  '--no-delimited',
  '--no-create',
  '--no-typeurl',
  '--no-service',
  '--force-number',
  '--out',
  out,
  join(root, 'src/onnx/onnx.proto'),
]);
await run(pbts.main, ['--no-comments', '--out', out.replace(/\.js$/, '.d.ts'), out]);
