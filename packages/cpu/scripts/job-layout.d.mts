// Types of job-layout.mjs for the TypeScript that imports it (tests).
export declare const jobSlots: Readonly<Record<string, number>>;
export declare const jobWords: number;
export declare const wasmKernels: Readonly<Record<string, number>>;
export declare const tiles: Readonly<{
  gemmMr: number;
  gemmNr: number;
  dwconvChannelTile: number;
  int8GemmMr: number;
  int8GemmNr: number;
  int8GemmKr: number;
  int8DwconvChannelTile: number;
}>;
export declare const epilogues: Readonly<Record<string, number>>;
export declare const binaryOps: Readonly<Record<string, number>>;
