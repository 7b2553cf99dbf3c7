// Filled in by the issue that builds @sepconv/cpu.
export {};
