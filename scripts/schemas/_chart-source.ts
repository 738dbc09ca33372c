// Read-only access to a chart's files, from an unpacked folder or a packaged `.tgz` (gzip + ustar).
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, posix } from "node:path";
import { gunzipSync } from "node:zlib";

export interface ChartFiles {
  /** Human-readable origin, used in error messages. */
  readonly origin: string;
  /** File bytes at a path relative to the chart root, or undefined when absent. */
  read(rel: string): Buffer | undefined;
  /** The files of a subchart under `charts/`: an unpacked folder or a nested `<name>-<version>.tgz`. */
  sub(rel: string, version?: string): ChartFiles;
}

export function dirChartFiles(root: string): ChartFiles {
  return {
    origin: root,
    read(rel) {
      const p = join(root, rel);
      return existsSync(p) && statSync(p).isFile() ? readFileSync(p) : undefined;
    },
    sub(rel, version) {
      const p = join(root, rel);
      if (existsSync(p) && statSync(p).isDirectory()) return dirChartFiles(p);
      for (const tgz of [`${p}-${version}.tgz`, `${p}.tgz`]) {
        if (existsSync(tgz)) return tgzChartFiles(readFileSync(tgz), tgz);
      }
      throw new Error(`${root}: subchart folder ${rel} not found`);
    },
  };
}

/** Parses a POSIX/ustar tar archive (what `helm package` writes) into path → bytes. */
export function readTar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  const str = (b: Buffer) => {
    const nul = b.indexOf(0);
    return (nul === -1 ? b : b.subarray(0, nul)).toString("utf8");
  };
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = str(header.subarray(0, 100));
    const size = parseInt(str(header.subarray(124, 136)).trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const prefix = str(header.subarray(345, 500));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = str(body);
      continue;
    }
    if (type === "x") {
      for (const rec of body.toString("utf8").split("\n")) {
        const m = /^\d+ path=(.*)$/.exec(rec);
        if (m) paxPath = m[1];
      }
      continue;
    }
    if (type === "g") continue;
    const path = longName ?? paxPath ?? (prefix ? `${prefix}/${name}` : name);
    longName = undefined;
    paxPath = undefined;
    if (type === "0" || type === "\0") files.set(posix.normalize(path), Buffer.from(body));
  }
  return files;
}

/** A packaged chart: every entry sits under one top-level folder named after the chart. */
export function tgzChartFiles(tgz: Buffer, origin: string): ChartFiles {
  const all = readTar(gunzipSync(tgz));
  const tops = [...new Set([...all.keys()].map((k) => k.split("/")[0]))];
  if (tops.length !== 1) throw new Error(`${origin}: expected one top-level folder, found ${tops.join(", ")}`);
  return mapChartFiles(all, `${tops[0]}/`, origin);
}

function mapChartFiles(all: Map<string, Buffer>, prefix: string, origin: string): ChartFiles {
  return {
    origin: `${origin}:${prefix}`,
    read(rel) {
      return all.get(prefix + rel);
    },
    sub(rel, version) {
      const dir = `${prefix}${rel}/`;
      if ([...all.keys()].some((k) => k.startsWith(dir))) return mapChartFiles(all, dir, origin);
      for (const name of [`${prefix}${rel}-${version}.tgz`, `${prefix}${rel}.tgz`]) {
        const nested = all.get(name);
        if (nested) return tgzChartFiles(nested, `${origin}:${name}`);
      }
      throw new Error(`${origin}: subchart ${prefix}${rel} not found`);
    },
  };
}

/** Chart files held in memory (tests): relative path → content. */
export function memoryChartFiles(files: Readonly<Record<string, string>>, origin = "memory"): ChartFiles {
  const all = new Map(Object.entries(files).map(([k, v]) => [`chart/${k}`, Buffer.from(v, "utf8")]));
  return mapChartFiles(all, "chart/", origin);
}
