// Types of scripts/install-helm.mjs (a plain node script, so .ci/run can run it before pnpm install).
export declare const HELM_VERSION: string;
export declare const HELM_PACKAGE: string;
export declare const defaultHelmDir: string;
export declare function helmVersion(bin: string): string | undefined;
export declare function tarEntry(tar: Buffer, wanted: string): Buffer | undefined;
export declare function zipEntry(zip: Buffer, wanted: string): Buffer | undefined;
export declare function installHelm(dir: string): string;
