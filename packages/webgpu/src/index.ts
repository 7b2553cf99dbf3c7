// Filled in by the issue that builds @sepconv/webgpu.
export {};
