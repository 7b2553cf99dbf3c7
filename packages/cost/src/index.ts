// Filled in by the issue that builds @sepconv/cost.
export {};
