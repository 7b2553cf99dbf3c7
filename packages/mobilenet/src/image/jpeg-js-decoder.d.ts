// jpeg-js's decoder on its own (its index also loads the encoder, 7 KB minified that
// decodeImage never runs). The package has no exports map, so the file is reachable; its types
// are the package's own `decode`.
declare module 'jpeg-js/lib/decoder.js' {
  const decode: typeof import('jpeg-js').decode;
  export default decode;
}
