// Filled in by the issue that builds @sepconv/mobilenet.
export {};
