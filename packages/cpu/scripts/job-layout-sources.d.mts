// Types of job-layout-sources.mjs for the TypeScript that imports it (tests).
export declare function upperSnake(name: string): string;
export declare function jobLayoutSources(): Record<string, string>;
