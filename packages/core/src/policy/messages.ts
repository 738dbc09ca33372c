import { FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED } from "../labels.js";
import { PLACEHOLDER_PREFIX } from "../secrets.js";

/** Messages, one place (tests assert them exactly). */
export const POLICY_MESSAGES = {
  yamlError: (detail: string) => `YAML does not parse: ${detail}`,
  secretPlaintext: (secret: string) =>
    `Secret ${secret} holds a plaintext value; SOPS-encrypt the file or use a placeholder like ${PLACEHOLDER_PREFIX}description>`,
  sopsNoMac: (secret: string) => `Secret ${secret} has sops metadata without a mac (not a complete sops encryption)`,
  sopsUnencrypted: (secret: string) =>
    `Secret ${secret} has sops metadata but this value is not encrypted (ENC[...]); check encrypted_regex in .sops.yaml`,
  envPlaintext: (key: string) => `${key} holds a plaintext value; SOPS-encrypt the file or use a placeholder`,
  envMalformed: () => "not a KEY=VALUE line (an env file holds only assignments and comments)",
  literalCredential: (key: string) =>
    `literal value for "${key}"; use an environment reference (sys.env("..."), \${VAR}) or a secretKeyRef instead`,
  htpasswd: (user: string, secretName: string) =>
    `plaintext htpasswd entry for user "${user}"; it belongs only in the SOPS-encrypted Secret "${secretName}"`,
  awsKey: () => "AWS access key id (AKIA…/ASIA…) in plaintext; it belongs only in a SOPS-encrypted Secret",
  privateKey: () => "PEM private key in plaintext; it belongs only in a SOPS-encrypted Secret",
  snippet: () => "snippet annotations inject raw nginx configuration and are not allowed",
  notAllowlisted: () =>
    "annotation is not in the ingress-nginx allowlist; add it to PolicyOptions.extraAllowedIngressAnnotations only after review",
  wrongIngressClass: (host: string, want: string, found: string | undefined) =>
    `Ingress for write host "${host}" must use ingress class "${want}" (found ${found === undefined ? "none" : JSON.stringify(found)})`,
  defaultBackend: (host: string) => `Ingress for write host "${host}" must not set defaultBackend (it serves every unmatched path)`,
  notExact: (host: string, found: string | undefined) =>
    `write host "${host}" allows only pathType Exact (found ${found === undefined ? "none" : JSON.stringify(found)})`,
  notWritePath: (host: string, path: string | undefined, allowed: readonly string[]) =>
    `${path === undefined ? "a missing path" : JSON.stringify(path)} is not a write path of host "${host}" (allowed: ${allowed.join(", ")})`,
  requiredAnnotation: (want: string, found: string | undefined) =>
    `required on write-host Ingresses: want ${JSON.stringify(want)}, found ${found === undefined ? "none" : JSON.stringify(found)}`,
  hostWidening: (name: string) =>
    `${name} makes ingress-nginx apply the case-insensitive regex location modifier to every path of the host, so exact write paths stop being exact; not allowed on a write host`,
  notString: (kind: "label" | "annotation", key: string, source: string, type: string) =>
    `${kind} "${key}" must be a string; YAML 1.1 reads ${source} as ${type} (quote it)`,
  notStringNode: (kind: "label" | "annotation", key: string, found: string) => `${kind} "${key}" must be a string, found ${found}`,
  noNamespace: (ns: string) => `the tree has no Namespace "${ns}" (it must carry the Pod Security labels)`,
  podSecurityMissing: (want: string) => `Pod Security label missing (want ${JSON.stringify(want)})`,
  pruneNamespace: (name: string) =>
    `Namespace ${JSON.stringify(name)} must carry ${FLUX_PRUNE_ANNOTATION}: ${FLUX_PRUNE_DISABLED} (deleting or renaming the Flux Kustomization that applies it would delete it and every PersistentVolumeClaim in it)`,
  prunePvc: (name: string) =>
    `PersistentVolumeClaim ${JSON.stringify(name)} must carry ${FLUX_PRUNE_ANNOTATION}: ${FLUX_PRUNE_DISABLED} (Flux) or argocd.argoproj.io/sync-options: Prune=false (ArgoCD): pruning it deletes its volume`,
  podSecurityWrong: (found: string, want: string) => `Pod Security label is ${JSON.stringify(found)}, want ${JSON.stringify(want)}`,
  insecureObjectStore: () =>
    "object storage traffic is plain HTTP (insecure: true); seed TODO: enable TLS on SeaweedFS and remove insecure: true",
} as const;
