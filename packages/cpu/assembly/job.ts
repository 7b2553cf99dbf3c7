// The job record's word offsets and the kernel ids are generated from scripts/job-layout.mjs
// (the TypeScript side writes jobs from the same table); this file adds the typed loads.
export * from './generated/job-layout';

@inline export function geti(job: usize, slot: i32): i32 {
  return load<i32>(job + (<usize>slot << 2));
}

@inline export function getp(job: usize, slot: i32): usize {
  return <usize>load<u32>(job + (<usize>slot << 2));
}

@inline export function getf(job: usize, slot: i32): f32 {
  return load<f32>(job + (<usize>slot << 2));
}
