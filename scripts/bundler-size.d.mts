// Types of what TypeScript tests import from bundler-size.mjs.
import type { BuildOptions, BuildResult, OutputFile } from 'esbuild';

export declare const BUNDLER_CASES: ReadonlyArray<{ name: string; contents: string }>;
export declare function bundleForBrowser(contents: string, options?: BuildOptions): Promise<BuildResult & { outputFiles: OutputFile[] }>;
export declare function bundlerSize(contents: string): Promise<{ raw: number; gzip: number; inputs: { path: string; bytes: number }[] }>;
