// Filled in by the issue that builds @sepconv/conformance.
export {};
