// Types of scripts/generate/cache.cjs (plain JavaScript: the `pnpm generate` launcher runs it before anything is compiled).
export declare const ROOT: string;
export declare function newestSource(root: string): number;
export declare const sha256: (data: string | Buffer) => string;
export declare function readStamp(file: string): { mtimeMs: number; bundle: string } | undefined;
export declare function writeStamp(file: string, bundle: string, startedMs: number): void;
export declare function writeAtomic(file: string, data: string | Buffer): void;
export declare function readCodeCache(file: string): Buffer | undefined;
export declare function writeCodeCache(file: string, data: Buffer): void;
export declare function pruneCodeCaches(dir: string, used: ReadonlySet<string>): void;
