import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { stackNamespace } from "../src/platform.js";
import { INGRESS_NGINX_PREFIX } from "../src/ingress-nginx.js";
import { checkTreePolicy, isCredentialKey, policyOptionsForStack, type PolicyFile, type PolicyOptions } from "../src/policy/index.js";
import { Collector } from "../src/policy/common.js";
import { notYamlCollection, parseNested, scanText } from "../src/policy/credentials.js";
import { parseDocument } from "yaml";
import { placeholder, secretSkeletons } from "../src/secrets.js";
import { yamlFile } from "../src/yaml.js";
import { stack } from "./_fixtures.js";

const CONFIGS = "kubernetes/infrastructure/configs";
const MANIFESTS = "kubernetes/apps/monitoring/manifests";

const opts: PolicyOptions = policyOptionsForStack(stack, [
  { host: "prometheus.sharmamohit.com", path: "/api/v1/write" },
  { host: "loki.sharmamohit.com", path: "/loki/api/v1/push" },
]);
const secureOpts: PolicyOptions = { ...opts, objectStoreInsecure: false };

const writeIngress = (name: string, host: string, path: string): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: monitoring
  annotations:
    nginx.ingress.kubernetes.io/auth-type: basic
    nginx.ingress.kubernetes.io/auth-secret: monitoring-basic-auth
    nginx.ingress.kubernetes.io/auth-realm: Observability write endpoint
    nginx.ingress.kubernetes.io/force-ssl-redirect: "true"
    nginx.ingress.kubernetes.io/proxy-body-size: 10m
    nginx.ingress.kubernetes.io/proxy-read-timeout: "300"
spec:
  ingressClassName: nginx
  rules:
    - host: ${host}
      http:
        paths:
          - path: ${path}
            pathType: Exact
            backend:
              service:
                name: backend
                port:
                  number: 9090
`;

/** A tree that passes: skeletons, SOPS-encrypted files, env references, the two write Ingresses. */
const passing: PolicyFile[] = [
  { path: `${CONFIGS}/namespace-monitoring.yaml`, content: yamlFile(["generated"], [stackNamespace(stack)]) },
  ...secretSkeletons(stack).map((s) => ({ path: `${CONFIGS}/${s.metadata.name}.yaml`, content: yamlFile(["seeded"], [s]) })),
  {
    path: `${CONFIGS}/encrypted.yaml`,
    content: `apiVersion: v1
kind: Secret
metadata:
  name: encrypted
  namespace: monitoring
stringData:
  password: ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]
sops:
  age:
    - recipient: age1qqqq
      enc: |
        -----BEGIN AGE ENCRYPTED FILE-----
        YWdl
        -----END AGE ENCRYPTED FILE-----
  lastmodified: "2025-01-01T00:00:00Z"
  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
  encrypted_regex: ^(data|stringData)$
  version: 3.9.0
`,
  },
  { path: `${MANIFESTS}/loki/ingress-loki-push.yaml`, content: writeIngress("loki-push", "loki.sharmamohit.com", "/loki/api/v1/push") },
  { path: `${MANIFESTS}/kps/ingress-prom.yaml`, content: writeIngress("prometheus-remote-write", "prometheus.sharmamohit.com", "/api/v1/write") },
  {
    path: `${MANIFESTS}/grafana/ingress-grafana.yaml`,
    content: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: grafana
  namespace: monitoring
  annotations:
    nginx.ingress.kubernetes.io/use-regex: "true"
    nginx.ingress.kubernetes.io/rewrite-target: /$1
spec:
  ingressClassName: nginx
  rules:
    - host: grafana.sharmamohit.com
      http:
        paths:
          - path: /(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: grafana
                port:
                  number: 80
`,
  },
  {
    path: "kubernetes/apps/monitoring/values/loki.yaml",
    content: `loki:
  storage:
    s3:
      accessKeyId: \${AWS_ACCESS_KEY_ID}
      secretAccessKey: \${AWS_SECRET_ACCESS_KEY}
extraEnv:
  - name: AWS_ACCESS_KEY_ID
    valueFrom:
      secretKeyRef:
        name: seaweedfs-s3-secret
        key: aws-access-key-id
`,
  },
  {
    path: "docker/stacks/shared/alloy/config.alloy",
    content: `prometheus.remote_write "k8s" {
  endpoint {
    url = "https://prometheus.sharmamohit.com/api/v1/write"
    basic_auth {
      username = "alloy"
      password = sys.env("ALLOY_PASSWORD")
    }
  }
}
`,
  },
  {
    path: "docker/stacks/shared/alloy/compose.yaml",
    content: `services:
  alloy:
    image: grafana/alloy:v1.18.1
    environment:
      ALLOY_PASSWORD: \${ALLOY_PASSWORD}
    env_file: .sops.env
`,
  },
  {
    path: "docker/stacks/shared/alloy/.sops.env",
    content: `# encrypted
ALLOY_PASSWORD=ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]
sops_age__list_0__map_recipient=age1qqqq
sops_mac=ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
`,
  },
  { path: "docker/stacks/shared/alloy/hosts.env", content: `ALLOY_PASSWORD=${placeholder("basic-auth password for alloy")}\nEMPTY=\n` },
];

function tree(...extra: PolicyFile[]): PolicyFile[] {
  const byPath = new Map(passing.map((f) => [f.path, f]));
  for (const f of extra) byPath.set(f.path, f);
  return [...byPath.values()];
}

const secretDoc = (body: string, labels = ""): string => `apiVersion: v1
kind: Secret
metadata:
  name: s
  namespace: monitoring${labels}
${body}`;

const ingressDoc = (annotations: string, spec: string): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: x
  namespace: monitoring
  annotations:
${annotations}
spec:
${spec}`;

const WRITE_ANN = `    nginx.ingress.kubernetes.io/auth-type: basic
    nginx.ingress.kubernetes.io/auth-secret: monitoring-basic-auth
    nginx.ingress.kubernetes.io/force-ssl-redirect: "true"`;

const rule = (host: string, path: string, pathType = "Exact"): string => `  ingressClassName: nginx
  rules:
    - host: ${host}
      http:
        paths:
          - path: ${path}
            pathType: ${pathType}
            backend:
              service:
                name: b
                port:
                  number: 80`;

const NO_PRUNE = "annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled";
const PRUNE_NS = (name: string): string =>
  `Namespace "${name}" must carry kustomize.toolkit.fluxcd.io/prune: disabled (deleting or renaming the Flux Kustomization that applies it would delete it and every PersistentVolumeClaim in it)`;
const withAnnotations = (obj: ReturnType<typeof stackNamespace>, annotations: Record<string, string>) => ({
  ...obj,
  metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), ...annotations } },
});
const SECRET_PLAIN = `Secret "monitoring/s" holds a plaintext value; SOPS-encrypt the file or use a placeholder like <REPLACE_ME: description>`;
const F = "kubernetes/x.yaml";
const NS = `${CONFIGS}/namespace-monitoring.yaml`;

describe("checkTreePolicy", () => {
  it("passes a tree of skeletons, SOPS files, env references and the two write Ingresses", () => {
    expect(checkTreePolicy(passing, secureOpts)).toEqual({ errors: [], warnings: [] });
  });

  it("warns about plain-HTTP object storage with the seed's TODO", () => {
    expect(checkTreePolicy(passing, opts)).toEqual({
      errors: [],
      warnings: [
        {
          path: "stack.objectStore.insecure",
          message: "object storage traffic is plain HTTP (insecure: true); seed TODO: enable TLS on SeaweedFS and remove insecure: true",
        },
      ],
    });
  });

  it.each<[string, PolicyFile, { path: string; message: string }[], Partial<PolicyOptions>?]>([
    // --- secrets
    ["plaintext stringData", { path: F, content: secretDoc("stringData:\n  aws-access-key-id: plainvalue\n") }, [{ path: `${F}#0 stringData.aws-access-key-id`, message: SECRET_PLAIN }]],
    ["plaintext data (base64)", { path: F, content: secretDoc(`data:\n  token: ${Buffer.from("hunter2").toString("base64")}\n`) }, [{ path: `${F}#0 data.token`, message: SECRET_PLAIN }]],
    ["non-string value", { path: F, content: secretDoc("stringData:\n  pin: 1234\n") }, [{ path: `${F}#0 stringData.pin`, message: SECRET_PLAIN }]],
    [
      "a real key inside objstore.yml",
      {
        path: F,
        content: secretDoc(
          `stringData:\n  objstore.yml: |\n    type: S3\n    config:\n      bucket: b\n      access_key: "${placeholder("id")}"\n      secret_key: realsecret\n`,
        ),
      },
      [{ path: `${F}#0 stringData["objstore.yml"].config.secret_key`, message: SECRET_PLAIN }],
    ],
    [
      "a value SOPS left unencrypted",
      { path: F, content: secretDoc("stringData:\n  a: ENC[AES256_GCM,data:x,type:str]\n  b: plain\nsops:\n  mac: ENC[AES256_GCM,data:x,type:str]\n") },
      [{ path: `${F}#0 stringData.b`, message: `Secret "monitoring/s" has sops metadata but this value is not encrypted (ENC[...]); check encrypted_regex in .sops.yaml` }],
    ],
    [
      "sops metadata without a mac",
      { path: F, content: secretDoc("stringData:\n  a: ENC[AES256_GCM,data:x,type:str]\nsops:\n  version: 3.9.0\n") },
      [{ path: `${F}#0 sops`, message: `Secret "monitoring/s" has sops metadata without a mac (not a complete sops encryption)` }],
    ],
    [
      "an ArgoCD repository Secret in plaintext (repository Secrets get no exemption)",
      { path: F, content: secretDoc("stringData:\n  url: https://git.example.org\n  password: hunter2\n", "\n  labels:\n    argocd.argoproj.io/secret-type: repository") },
      [
        { path: `${F}#0 stringData.url`, message: SECRET_PLAIN },
        { path: `${F}#0 stringData.password`, message: SECRET_PLAIN },
      ],
    ],
    [
      "a plaintext env value",
      { path: "docker/a/.sops.env", content: "# c\nALLOY_USER=${ALLOY_USER}\nALLOY_PASSWORD=hunter2\n" },
      [{ path: "docker/a/.sops.env line 3", message: "ALLOY_PASSWORD holds a plaintext value; SOPS-encrypt the file or use a placeholder" }],
    ],
    [
      "a malformed env line",
      { path: "docker/a/.sops.env", content: "hunter2\n" },
      [{ path: "docker/a/.sops.env line 1", message: "not a KEY=VALUE line (an env file holds only assignments and comments)" }],
    ],
    [
      "a literal password in Helm values",
      { path: "kubernetes/apps/monitoring/values/kps.yaml", content: "grafana:\n  datasources:\n    - name: loki\n      basicAuthPassword: hunter2\n" },
      [{ path: "kubernetes/apps/monitoring/values/kps.yaml#0 grafana.datasources[0].basicAuthPassword", message: `literal value for "basicAuthPassword"; use an environment reference (sys.env("..."), \${VAR}) or a secretKeyRef instead` }],
    ],
    [
      "a literal password in an Alloy config",
      { path: "docker/a/config.alloy", content: 'basic_auth {\n  username = "alloy"\n  password = "hunter2"\n}\n' },
      [{ path: "docker/a/config.alloy line 3", message: `literal value for "password"; use an environment reference (sys.env("..."), \${VAR}) or a secretKeyRef instead` }],
    ],
    [
      "a literal password in an Alloy config embedded in a ConfigMap",
      { path: F, content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  config.alloy: |\n    basic_auth {\n      password = "hunter2"\n    }\n' },
      [{ path: `${F}#0 data["config.alloy"]`, message: `literal value for "password"; use an environment reference (sys.env("..."), \${VAR}) or a secretKeyRef instead` }],
    ],
    [
      "an htpasswd line outside the Secret",
      { path: F, content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  users: alloy:$2y$10$abcdefghijklmnopqrstuv\n" },
      [{ path: `${F}#0 data.users`, message: `plaintext htpasswd entry for user "alloy"; it belongs only in the SOPS-encrypted Secret "monitoring-basic-auth"` }],
    ],
    [
      "an apr1 htpasswd line in a text file",
      { path: "docker/a/htpasswd.txt", content: "alloy:$apr1$abc$def\n" },
      [{ path: "docker/a/htpasswd.txt line 1", message: `plaintext htpasswd entry for user "alloy"; it belongs only in the SOPS-encrypted Secret "monitoring-basic-auth"` }],
    ],
    [
      "an AWS access key id",
      { path: "docker/a/compose.yaml", content: "services:\n  a:\n    environment:\n      S3_KEY: AKIAABCDEFGHIJKLMNOP\n" },
      [{ path: "docker/a/compose.yaml#0 services.a.environment.S3_KEY", message: "AWS access key id (AKIA…/ASIA…) in plaintext; it belongs only in a SOPS-encrypted Secret" }],
    ],
    [
      "a PEM private key in a ConfigMap",
      { path: F, content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  key.pem: |\n    -----BEGIN EC PRIVATE KEY-----\n    MHcCAQEE\n    -----END EC PRIVATE KEY-----\n" },
      [{ path: `${F}#0 data["key.pem"]`, message: "PEM private key in plaintext; it belongs only in a SOPS-encrypted Secret" }],
    ],
    [
      "a literal bearer credential in Alertmanager config",
      { path: F, content: "alertmanager:\n  config:\n    receivers:\n      - name: r\n        webhook_configs:\n          - http_config:\n              authorization:\n                credentials: abc\n" },
      [{ path: `${F}#0 alertmanager.config.receivers[0].webhook_configs[0].http_config.authorization.credentials`, message: `literal value for "credentials"; use an environment reference (sys.env("..."), \${VAR}) or a secretKeyRef instead` }],
    ],
    [
      "a literal token in JSON",
      { path: "kubernetes/dash.json", content: '{"panels": [{"token": "abc"}]}' },
      [{ path: `kubernetes/dash.json panels[0].token`, message: `literal value for "token"; use an environment reference (sys.env("..."), \${VAR}) or a secretKeyRef instead` }],
    ],
    // --- ingress
    [
      "a Prefix path on a write host",
      { path: F, content: ingressDoc(WRITE_ANN, rule("loki.sharmamohit.com", "/loki/api/v1/push", "Prefix")) },
      [{ path: `${F}#0 spec.rules[0].http.paths[0].pathType`, message: `write host "loki.sharmamohit.com" allows only pathType Exact (found "Prefix")` }],
    ],
    [
      "a query path on a write host",
      { path: F, content: ingressDoc(WRITE_ANN, rule("prometheus.sharmamohit.com", "/api/v1/query")) },
      [{ path: `${F}#0 spec.rules[0].http.paths[0].path`, message: `"/api/v1/query" is not a write path of host "prometheus.sharmamohit.com" (allowed: /api/v1/write)` }],
    ],
    [
      "the Loki path on the Prometheus host",
      { path: F, content: ingressDoc(WRITE_ANN, rule("prometheus.sharmamohit.com", "/loki/api/v1/push")) },
      [{ path: `${F}#0 spec.rules[0].http.paths[0].path`, message: `"/loki/api/v1/push" is not a write path of host "prometheus.sharmamohit.com" (allowed: /api/v1/write)` }],
    ],
    [
      "no basic auth on a write host",
      { path: F, content: ingressDoc('    nginx.ingress.kubernetes.io/force-ssl-redirect: "true"', rule("loki.sharmamohit.com", "/loki/api/v1/push")) },
      [
        { path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/auth-type"]`, message: 'required on write-host Ingresses: want "basic", found none' },
        { path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/auth-secret"]`, message: 'required on write-host Ingresses: want "monitoring-basic-auth", found none' },
      ],
    ],
    [
      "another auth secret",
      { path: F, content: ingressDoc(WRITE_ANN.replace("monitoring-basic-auth", "other"), rule("loki.sharmamohit.com", "/loki/api/v1/push")) },
      [{ path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/auth-secret"]`, message: 'required on write-host Ingresses: want "monitoring-basic-auth", found "other"' }],
    ],
    [
      "no TLS redirect",
      { path: F, content: ingressDoc(WRITE_ANN.replace('force-ssl-redirect: "true"', 'force-ssl-redirect: "false"'), rule("loki.sharmamohit.com", "/loki/api/v1/push")) },
      [{ path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"]`, message: 'required on write-host Ingresses: want "true", found "false"' }],
    ],
    [
      "use-regex on a write host",
      { path: F, content: ingressDoc(`${WRITE_ANN}\n    nginx.ingress.kubernetes.io/use-regex: "true"`, rule("loki.sharmamohit.com", "/loki/api/v1/push")) },
      [{ path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/use-regex"]`, message: "use-regex makes ingress-nginx apply the case-insensitive regex location modifier to every path of the host, so exact write paths stop being exact; not allowed on a write host" }],
    ],
    [
      "rewrite-target on a write host",
      { path: F, content: ingressDoc(`${WRITE_ANN}\n    nginx.ingress.kubernetes.io/rewrite-target: /`, rule("loki.sharmamohit.com", "/loki/api/v1/push")) },
      [{ path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/rewrite-target"]`, message: "rewrite-target makes ingress-nginx apply the case-insensitive regex location modifier to every path of the host, so exact write paths stop being exact; not allowed on a write host" }],
    ],
    [
      "another ingress class on a write host",
      { path: F, content: ingressDoc(WRITE_ANN, rule("loki.sharmamohit.com", "/loki/api/v1/push").replace("ingressClassName: nginx", "ingressClassName: traefik")) },
      [{ path: `${F}#0 spec.ingressClassName`, message: 'Ingress for write host "loki.sharmamohit.com" must use ingress class "nginx" (found "traefik")' }],
    ],
    [
      "a defaultBackend on a write host",
      { path: F, content: ingressDoc(WRITE_ANN, `${rule("loki.sharmamohit.com", "/loki/api/v1/push")}\n  defaultBackend:\n    service:\n      name: loki\n      port:\n        number: 3100`) },
      [{ path: `${F}#0 spec.defaultBackend`, message: 'Ingress for write host "loki.sharmamohit.com" must not set defaultBackend (it serves every unmatched path)' }],
    ],
    [
      "a configuration snippet on any Ingress",
      { path: F, content: ingressDoc("    nginx.ingress.kubernetes.io/configuration-snippet: |\n      more_set_headers \"X: y\";", rule("grafana.sharmamohit.com", "/", "Prefix")) },
      [{ path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/configuration-snippet"]`, message: "snippet annotations inject raw nginx configuration and are not allowed" }],
    ],
    [
      "a server snippet even when listed as extra",
      { path: F, content: ingressDoc("    nginx.ingress.kubernetes.io/server-snippet: x", rule("grafana.sharmamohit.com", "/", "Prefix")) },
      [{ path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/server-snippet"]`, message: "snippet annotations inject raw nginx configuration and are not allowed" }],
      { extraAllowedIngressAnnotations: ["server-snippet"] },
    ],
    [
      "an annotation outside the allowlist",
      { path: F, content: ingressDoc("    nginx.ingress.kubernetes.io/mirror-target: https://elsewhere.example.org", rule("grafana.sharmamohit.com", "/", "Prefix")) },
      [{ path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/mirror-target"]`, message: "annotation is not in the ingress-nginx allowlist; add it to PolicyOptions.extraAllowedIngressAnnotations only after review" }],
    ],
    // --- label/annotation types
    [
      "an unquoted boolean label",
      { path: F, content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    enabled: true\n" },
      [{ path: `${F}#0 metadata.labels.enabled`, message: 'label "enabled" must be a string; YAML 1.1 reads true as a boolean (quote it)' }],
    ],
    [
      "an annotation written on (a string in YAML 1.2, a boolean in 1.1)",
      { path: F, content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    example.org/flag: on\n" },
      [{ path: `${F}#0 metadata.annotations["example.org/flag"]`, message: 'annotation "example.org/flag" must be a string; YAML 1.1 reads on as a boolean (quote it)' }],
    ],
    [
      "a numeric annotation",
      { path: F, content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    argocd.argoproj.io/sync-wave: 10\n" },
      [{ path: `${F}#0 metadata.annotations["argocd.argoproj.io/sync-wave"]`, message: 'annotation "argocd.argoproj.io/sync-wave" must be a string; YAML 1.1 reads 10 as a number (quote it)' }],
    ],
    [
      "a pod-template label written 1.0",
      { path: F, content: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      labels:\n        version: 1.0\n" },
      [{ path: `${F}#0 spec.template.metadata.labels.version`, message: 'label "version" must be a string; YAML 1.1 reads 1.0 as a number (quote it)' }],
    ],
    [
      "an empty annotation",
      { path: F, content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    a.example.org/x:\n" },
      [{ path: `${F}#0 metadata.annotations["a.example.org/x"]`, message: 'annotation "a.example.org/x" must be a string; YAML 1.1 reads an empty value as null (quote it)' }],
    ],
    // --- namespace
    [
      "the namespace without its Pod Security labels",
      { path: NS, content: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n  ${NO_PRUNE}\n  labels:\n    pod-security.kubernetes.io/warn: restricted\n` },
      [
        { path: `${NS}#0 metadata.labels["pod-security.kubernetes.io/enforce"]`, message: 'Pod Security label missing (want "privileged")' },
        { path: `${NS}#0 metadata.labels["pod-security.kubernetes.io/warn"]`, message: 'Pod Security label is "restricted", want "baseline"' },
      ],
    ],
    [
      "no stack namespace in the tree",
      { path: NS, content: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n  ${NO_PRUNE}\n` },
      [{ path: "Namespace/monitoring", message: 'the tree has no Namespace "monitoring" (it must carry the Pod Security labels)' }],
    ],
    // --- objects whose deletion loses data opt out of pruning
    [
      "a Namespace Flux may prune",
      { path: NS, content: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n" },
      [
        { path: `${NS}#0 metadata.annotations`, message: PRUNE_NS("other") },
        { path: "Namespace/monitoring", message: 'the tree has no Namespace "monitoring" (it must carry the Pod Security labels)' },
      ],
    ],
    [
      "the stack Namespace with prune: enabled",
      { path: NS, content: yamlFile(["generated"], [withAnnotations(stackNamespace(stack), { "kustomize.toolkit.fluxcd.io/prune": "enabled" })]) },
      [{ path: `${NS}#0 metadata.annotations`, message: PRUNE_NS("monitoring") }],
    ],
    [
      "a Namespace inside Helm extraObjects",
      { path: "kubernetes/apps/monitoring/values/x.yaml", content: "extraObjects:\n  - apiVersion: v1\n    kind: Namespace\n    metadata:\n      name: extra\n" },
      [{ path: "kubernetes/apps/monitoring/values/x.yaml#0 extraObjects[0].metadata.annotations", message: PRUNE_NS("extra") }],
    ],
    [
      "a PVC without either opt-out",
      { path: F, content: "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  annotations:\n    argocd.argoproj.io/sync-options: ServerSideApply=true\n" },
      [{ path: `${F}#0 metadata.annotations`, message: 'PersistentVolumeClaim "data" must carry kustomize.toolkit.fluxcd.io/prune: disabled (Flux) or argocd.argoproj.io/sync-options: Prune=false (ArgoCD): pruning it deletes its volume' }],
    ],
    // --- parsing
    ["YAML that does not parse", { path: F, content: "a: [1, 2\n" }, [{ path: `${F}#0`, message: expect.stringMatching(/^YAML does not parse: /) as unknown as string }]],
  ])("rejects %s", (_name, file, errors, extraOpts) => {
    expect(checkTreePolicy(tree(file), { ...secureOpts, ...extraOpts }).errors).toEqual(errors);
  });

  it.each([
    ["Flux's opt-out", "kustomize.toolkit.fluxcd.io/prune: disabled"],
    ["ArgoCD's Prune=false among other sync options", 'argocd.argoproj.io/sync-options: "ServerSideApply=true, Prune=false"'],
  ])("accepts a PersistentVolumeClaim with %s", (_name, annotation) => {
    const file = { path: F, content: `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  annotations:\n    ${annotation}\n` };
    expect(checkTreePolicy(tree(file), secureOpts).errors).toEqual([]);
  });

  it("the stack Namespace as rendered opts out of Flux pruning", () => {
    expect(stackNamespace(stack).metadata.annotations).toEqual({ "kustomize.toolkit.fluxcd.io/prune": "disabled" });
  });

  it("allows an annotation outside the allowlist once listed in extraAllowedIngressAnnotations", () => {
    const file = { path: F, content: ingressDoc("    nginx.ingress.kubernetes.io/auth-url: https://auth.example.org", rule("grafana.sharmamohit.com", "/", "Prefix")) };
    expect(checkTreePolicy(tree(file), secureOpts).errors).toHaveLength(1);
    expect(checkTreePolicy(tree(file), { ...secureOpts, extraAllowedIngressAnnotations: ["auth-url"] }).errors).toEqual([]);
  });

  it("accepts the namespace-qualified auth secret and use-regex: \"false\" on a write host", () => {
    const ann = `${WRITE_ANN.replace("monitoring-basic-auth", "monitoring/monitoring-basic-auth")}\n    nginx.ingress.kubernetes.io/use-regex: "false"`;
    expect(checkTreePolicy(tree({ path: F, content: ingressDoc(ann, rule("loki.sharmamohit.com", "/loki/api/v1/push")) }), secureOpts).errors).toEqual([]);
  });

  it("reports every document of a multi-document file by index", () => {
    const content = `${secretDoc("stringData:\n  a: one\n")}---\n${secretDoc("stringData:\n  b: two\n")}`;
    expect(checkTreePolicy(tree({ path: F, content }), secureOpts).errors.map((e) => e.path)).toEqual([`${F}#0 stringData.a`, `${F}#1 stringData.b`]);
  });

  it("never repeats a secret value in a message", () => {
    const files = [
      { path: F, content: secretDoc("stringData:\n  k: s3cr3t-value\n") },
      { path: "docker/a/.sops.env", content: "K=s3cr3t-value\n" },
      { path: "docker/a/config.alloy", content: 'password = "s3cr3t-value"\n' },
    ];
    const { errors } = checkTreePolicy(tree(...files), secureOpts);
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(`${e.path} ${e.message}`).not.toContain("s3cr3t-value");
  });
});

describe("checkTreePolicy properties", () => {
  const secretValue = fc.string({ minLength: 1, maxLength: 40, unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=_-") });

  it("flags any plaintext Secret value and accepts any placeholder", () => {
    fc.assert(
      fc.property(secretValue, fc.string({ minLength: 1, maxLength: 30, unit: fc.constantFrom(..."abc xyz:;-_.0123") }), (value, description) => {
        fc.pre(description.trim() !== "");
        const plain = { path: F, content: secretDoc(`stringData:\n  k: ${JSON.stringify(value)}\n`) };
        expect(checkTreePolicy(tree(plain), secureOpts).errors).toEqual([{ path: `${F}#0 stringData.k`, message: SECRET_PLAIN }]);
        const skeleton = { path: F, content: secretDoc(`stringData:\n  k: ${JSON.stringify(placeholder(description))}\n`) };
        expect(checkTreePolicy(tree(skeleton), secureOpts).errors).toEqual([]);
      }),
    );
  });

  it("flags every YAML 1.1 boolean word written plain as a label, and accepts it quoted", () => {
    const words = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"];
    fc.assert(
      fc.property(fc.constantFrom(...words), (word) => {
        const plain = { path: F, content: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    k: ${word}\n` };
        expect(checkTreePolicy(tree(plain), secureOpts).errors).toEqual([
          { path: `${F}#0 metadata.labels.k`, message: `label "k" must be a string; YAML 1.1 reads ${word} as a boolean (quote it)` },
        ]);
        const quoted = { path: F, content: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    k: "${word}"\n` };
        expect(checkTreePolicy(tree(quoted), secureOpts).errors).toEqual([]);
      }),
    );
  });
});

describe("isCredentialKey", () => {
  it.each([
    ["password", true],
    ["basicAuthPassword", true],
    ["secret_key", true],
    ["aws-secret-access-key", true],
    ["AWS_ACCESS_KEY_ID", true],
    ["token", true],
    ["auth", true],
    ["client_secret", true],
    ["credentials", true],
    ["passwordKey", false],
    ["existingSecret", false],
    ["password_file", false],
    ["auth_enabled", false],
    ["automountServiceAccountToken", false],
  ])("%s → %s", (key, want) => {
    expect(isCredentialKey(key)).toBe(want);
  });
});

// --- Review findings: bypasses that must be closed --------------------------------------------------------

const V = "kubernetes/apps/monitoring/values/x.yaml";
const J = "kubernetes/x.json";
const LITERAL = (key: string): string => `literal value for "${key}"; use an environment reference (sys.env("..."), \${VAR}) or a secretKeyRef instead`;
const AWS = "AWS access key id (AKIA…/ASIA…) in plaintext; it belongs only in a SOPS-encrypted Secret";
const SNIPPET = "snippet annotations inject raw nginx configuration and are not allowed";
const NOT_ALLOWED = "annotation is not in the ingress-nginx allowlist; add it to PolicyOptions.extraAllowedIngressAnnotations only after review";
const WIDENING = (name: string): string =>
  `${name} makes ingress-nginx apply the case-insensitive regex location modifier to every path of the host, so exact write paths stop being exact; not allowed on a write host`;

const indent = (text: string, n: number): string =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => (l === "" ? l : `${" ".repeat(n)}${l}`))
    .join("\n");
/** `text` as the first item of a YAML list under `key`. */
const asItem = (key: string, text: string): string => `${key}:\n  - ${indent(text, 4).trimStart()}\n`;

describe("checkTreePolicy: review findings", () => {
  it.each<[string, PolicyFile, { path: string; message: string }[], Partial<PolicyOptions>?]>([
    // (a) the literal-credential scan runs on Secret values
    [
      "an AWS key under a non-credential key of a Secret's nested YAML",
      { path: F, content: secretDoc('stringData:\n  objstore.yml: "config:\\n  key: AKIAIOSFODNN7EXAMPLE"\n') },
      [{ path: `${F}#0 stringData["objstore.yml"].config.key`, message: AWS }],
    ],
    [
      "an htpasswd line inside base64 data holding YAML",
      { path: F, content: secretDoc(`data:\n  users.yaml: ${Buffer.from("users:\n  - alloy:$2y$10$abcdefghijklmnopqrstuv\n").toString("base64")}\n`) },
      [{ path: `${F}#0 data["users.yaml"].users[0]`, message: `plaintext htpasswd entry for user "alloy"; it belongs only in the SOPS-encrypted Secret "monitoring-basic-auth"` }],
    ],
    [
      "a private key in a Secret's nested YAML",
      { path: F, content: secretDoc("stringData:\n  conf.yaml: |\n    tls:\n      pem: |\n        -----BEGIN PRIVATE KEY-----\n        MIIE\n        -----END PRIVATE KEY-----\n") },
      [{ path: `${F}#0 stringData["conf.yaml"].tls.pem`, message: "PEM private key in plaintext; it belongs only in a SOPS-encrypted Secret" }],
    ],
    [
      "an AWS key in a repository Secret's url",
      { path: F, content: secretDoc("stringData:\n  url: https://AKIAIOSFODNN7EXAMPLE@git.example.org\n", "\n  labels:\n    argocd.argoproj.io/secret-type: repository") },
      [{ path: `${F}#0 stringData.url`, message: SECRET_PLAIN }],
    ],
    // (b) objects nested in other documents, and ingress annotations in Helm values
    [
      "a plaintext Secret in Helm extraObjects",
      { path: V, content: asItem("extraObjects", secretDoc("stringData:\n  token: hunter2\n")) },
      [{ path: `${V}#0 extraObjects[0].stringData.token`, message: SECRET_PLAIN }],
    ],
    [
      "a plaintext Secret in extraObjects written as a YAML string",
      { path: V, content: `extraObjects:\n  - |\n${indent(secretDoc("stringData:\n  k: plain\n"), 4)}\n` },
      [{ path: `${V}#0 extraObjects[0].stringData.k`, message: SECRET_PLAIN }],
    ],
    [
      "a Secret in the items of a kind: List",
      { path: F, content: `apiVersion: v1\nkind: List\n${asItem("items", secretDoc("data:\n  k: aHVudGVyMg==\n"))}` },
      [{ path: `${F}#0 items[0].data.k`, message: SECRET_PLAIN }],
    ],
    [
      // the nested document's root sits at the string's path: an object deeper in it is found by its own path
      "a YAML 1.1 boolean label on an object inside a List held in a Helm values string",
      { path: V, content: `extraObjects:\n  - |\n    apiVersion: v1\n    kind: List\n    items:\n      - apiVersion: v1\n        kind: ConfigMap\n        metadata:\n          name: c\n          labels:\n            x: yes\n` },
      [{ path: `${V}#0 extraObjects[0].items[0].metadata.labels.x`, message: 'label "x" must be a string; YAML 1.1 reads yes as a boolean (quote it)' }],
    ],
    [
      // its `at` is kept until every file is walked: it must still name items[1], not where the walk went on to
      "the monitoring Namespace without labels as the second item of a kind: List",
      {
        path: F,
        content: `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: c\n    data:\n      a: b\n  - apiVersion: v1\n    kind: Namespace\n    metadata:\n      name: monitoring\n      annotations:\n        kustomize.toolkit.fluxcd.io/prune: disabled\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: d\n`,
      },
      [
        { path: `${F}#0 items[1].metadata.labels["pod-security.kubernetes.io/enforce"]`, message: 'Pod Security label missing (want "privileged")' },
        { path: `${F}#0 items[1].metadata.labels["pod-security.kubernetes.io/warn"]`, message: 'Pod Security label missing (want "baseline")' },
      ],
    ],
    [
      "a snippet on an Ingress in the items of a kind: List",
      { path: F, content: `apiVersion: v1\nkind: List\n${asItem("items", ingressDoc("    nginx.ingress.kubernetes.io/server-snippet: x", rule("grafana.sharmamohit.com", "/", "Prefix")))}` },
      [{ path: `${F}#0 items[0].metadata.annotations["nginx.ingress.kubernetes.io/server-snippet"]`, message: SNIPPET }],
    ],
    [
      "a write-host Ingress without auth in Helm extraObjects",
      { path: V, content: asItem("extraObjects", ingressDoc('    nginx.ingress.kubernetes.io/force-ssl-redirect: "true"', rule("loki.sharmamohit.com", "/loki/api/v1/push"))) },
      [
        { path: `${V}#0 extraObjects[0].metadata.annotations["nginx.ingress.kubernetes.io/auth-type"]`, message: 'required on write-host Ingresses: want "basic", found none' },
        { path: `${V}#0 extraObjects[0].metadata.annotations["nginx.ingress.kubernetes.io/auth-secret"]`, message: 'required on write-host Ingresses: want "monitoring-basic-auth", found none' },
      ],
    ],
    [
      "a boolean label on an object in Helm extraObjects",
      { path: V, content: asItem("extraObjects", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    enabled: yes\n") },
      [{ path: `${V}#0 extraObjects[0].metadata.labels.enabled`, message: 'label "enabled" must be a string; YAML 1.1 reads yes as a boolean (quote it)' }],
    ],
    [
      "a snippet in grafana.ingress.annotations",
      { path: V, content: "grafana:\n  ingress:\n    enabled: true\n    annotations:\n      nginx.ingress.kubernetes.io/configuration-snippet: |\n        more_set_headers \"X: y\";\n" },
      [{ path: `${V}#0 grafana.ingress.annotations["nginx.ingress.kubernetes.io/configuration-snippet"]`, message: SNIPPET }],
    ],
    [
      "an unreviewed annotation in prometheus.ingressPerReplica.annotations",
      { path: V, content: "prometheus:\n  ingressPerReplica:\n    annotations:\n      nginx.ingress.kubernetes.io/mirror-target: https://elsewhere.example.org\n" },
      [{ path: `${V}#0 prometheus.ingressPerReplica.annotations["nginx.ingress.kubernetes.io/mirror-target"]`, message: NOT_ALLOWED }],
    ],
    [
      "a snippet in query.ingress.grpc.annotations",
      { path: V, content: "query:\n  ingress:\n    grpc:\n      annotations:\n        nginx.ingress.kubernetes.io/server-snippet: x\n" },
      [{ path: `${V}#0 query.ingress.grpc.annotations["nginx.ingress.kubernetes.io/server-snippet"]`, message: SNIPPET }],
    ],
    // (c) JSON documents are walked like YAML ones
    [
      "a snippet on an Ingress in a .json file",
      { path: J, content: JSON.stringify({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "x", annotations: { "nginx.ingress.kubernetes.io/server-snippet": "x" } } }) },
      [{ path: `${J} metadata.annotations["nginx.ingress.kubernetes.io/server-snippet"]`, message: SNIPPET }],
    ],
    [
      "a plaintext Secret in a .json file",
      { path: J, content: JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "monitoring" }, stringData: { k: "plain" } }) },
      [{ path: `${J} stringData.k`, message: SECRET_PLAIN }],
    ],
    [
      "a boolean label in a .json file",
      { path: J, content: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { enabled: true } } }) },
      [{ path: `${J} metadata.labels.enabled`, message: 'label "enabled" must be a string, found a boolean' }],
    ],
    // (c2) a multi-line string holding a JSON object or array is read as JSON (a dashboard in a ConfigMap, …)
    [
      "a literal password in JSON held in a ConfigMap",
      { path: F, content: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  d.json: |\n    {\n      "panels": [{"password": "hunter2"}]\n    }\n` },
      [{ path: `${F}#0 data["d.json"].panels[0].password`, message: LITERAL("password") }],
    ],
    [
      "a boolean label on an object in JSON held in a string",
      { path: V, content: `extraObjects:\n  - |\n    {"apiVersion": "v1", "kind": "ConfigMap",\n     "metadata": {"name": "c", "labels": {"enabled": true}}}\n` },
      [{ path: `${V}#0 extraObjects[0].metadata.labels.enabled`, message: 'label "enabled" must be a string, found a boolean' }],
    ],
    [
      "an AWS key in a Secret's nested JSON config",
      { path: F, content: secretDoc('stringData:\n  conf.json: |\n    {"config":\n      {"key": "AKIAIOSFODNN7EXAMPLE"}}\n') },
      [{ path: `${F}#0 stringData["conf.json"].config.key`, message: AWS }],
    ],
    [
      "a YAML flow mapping that is not JSON is still read as YAML",
      { path: F, content: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  d.yaml: |\n    {password: hunter2,\n     other: x}\n` },
      [{ path: `${F}#0 data["d.yaml"].password`, message: LITERAL("password") }],
    ],
    // (d) Compose and container environments
    [
      "a list-form Compose environment entry with a literal password",
      { path: "docker/a/compose.yaml", content: 'services:\n  a:\n    environment: ["ALLOY_BASIC_AUTH_PASSWORD=hunter2", "LOG_LEVEL=debug"]\n' },
      [{ path: "docker/a/compose.yaml#0 services.a.environment[0]", message: LITERAL("ALLOY_BASIC_AUTH_PASSWORD") }],
    ],
    [
      "a map-form Compose environment entry with a literal password",
      { path: "docker/a/compose.yaml", content: "services:\n  a:\n    environment: {PASSWORD: hunter2}\n" },
      [{ path: "docker/a/compose.yaml#0 services.a.environment.PASSWORD", message: LITERAL("PASSWORD") }],
    ],
    [
      "a map-form Compose environment token (an env-style name)",
      { path: "docker/a/compose.yaml", content: "services:\n  a:\n    environment:\n      GITHUB_TOKEN: ghp_abc\n" },
      [{ path: "docker/a/compose.yaml#0 services.a.environment.GITHUB_TOKEN", message: LITERAL("GITHUB_TOKEN") }],
    ],
    [
      "a numeric Compose environment password",
      { path: "docker/a/compose.yaml", content: "services:\n  a:\n    environment:\n      DB_PASS: 1234\n" },
      [{ path: "docker/a/compose.yaml#0 services.a.environment.DB_PASS", message: LITERAL("DB_PASS") }],
    ],
    [
      "a literal value in a container env entry",
      { path: V, content: "extraEnv:\n  - name: GF_SECURITY_ADMIN_PASSWORD\n    value: hunter2\n" },
      [{ path: `${V}#0 extraEnv[0].value`, message: LITERAL("GF_SECURITY_ADMIN_PASSWORD") }],
    ],
    // (e) annotation keys compared case-insensitively; the configured prefix
    [
      "Configuration-Snippet (capitalised)",
      { path: F, content: ingressDoc("    nginx.ingress.kubernetes.io/Configuration-Snippet: x", rule("grafana.sharmamohit.com", "/", "Prefix")) },
      [{ path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/Configuration-Snippet"]`, message: SNIPPET }],
    ],
    [
      "a snippet under a capitalised prefix",
      { path: F, content: ingressDoc("    Nginx.Ingress.Kubernetes.IO/server-snippet: x", rule("grafana.sharmamohit.com", "/", "Prefix")) },
      [{ path: `${F}#0 metadata.annotations["Nginx.Ingress.Kubernetes.IO/server-snippet"]`, message: SNIPPET }],
    ],
    [
      "Use-Regex (capitalised) on a write host",
      { path: F, content: ingressDoc(`${WRITE_ANN}\n    nginx.ingress.kubernetes.io/Use-Regex: "true"`, rule("loki.sharmamohit.com", "/loki/api/v1/push")) },
      [{ path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/Use-Regex"]`, message: WIDENING("use-regex") }],
    ],
    [
      "auth-type written in another case (the controller reads the exact key)",
      { path: F, content: ingressDoc(WRITE_ANN.replace("nginx.ingress.kubernetes.io/auth-type", "nginx.ingress.kubernetes.io/Auth-Type"), rule("loki.sharmamohit.com", "/loki/api/v1/push")) },
      [{ path: `${F}#0 metadata.annotations["nginx.ingress.kubernetes.io/auth-type"]`, message: 'required on write-host Ingresses: want "basic", found none' }],
    ],
  ])("rejects %s", (_name, file, errors, extraOpts) => {
    expect(checkTreePolicy(tree(file), { ...secureOpts, ...extraOpts }).errors).toEqual(errors);
  });

  it.each<[string, PolicyFile, Partial<PolicyOptions>?]>([
    ["placeholders, ENC values and env references in a Secret's nested YAML", { path: F, content: secretDoc(`stringData:\n  objstore.yml: |\n    config:\n      key: "${placeholder("key id")}"\n      other: \${AWS_ACCESS_KEY_ID}\n      enc: ENC[AES256_GCM,data:x,type:str]\n`) }],
    ["references and pass-through names in a Compose environment", { path: "docker/a/compose.yaml", content: 'services:\n  a:\n    environment:\n      - "ALLOY_PASSWORD=${ALLOY_PASSWORD}"\n      - "DB_PASS=$DB_PASS"\n      - "API_TOKEN=${API_TOKEN:?set API_TOKEN}"\n      - GF_SECURITY_ADMIN_PASSWORD\n      - LOG_LEVEL=debug\n' }],
    ["a container env entry from a secretKeyRef or a $(VAR) reference", { path: V, content: "env:\n  - name: S3_SECRET\n    valueFrom:\n      secretKeyRef: {name: s, key: k}\n  - name: DB_PASSWORD\n    value: $(S3_SECRET)\n" }],
    ["references that look like objects but have no metadata", { path: V, content: "autoscaling:\n  scaleTargetRef: {apiVersion: v1, kind: Secret, name: x, stringData: {k: v}}\n" }],
    ["allowlisted annotations in grafana.ingress.annotations", { path: V, content: 'grafana:\n  ingress:\n    annotations:\n      nginx.ingress.kubernetes.io/force-ssl-redirect: "true"\n      cert-manager.io/cluster-issuer: le\n' }],
    ["a sops-encrypted values file with an extraObjects Secret", { path: V, content: `${asItem("extraObjects", secretDoc("stringData:\n  k: ENC[AES256_GCM,data:x,type:str]\n"))}sops:\n  mac: ENC[AES256_GCM,data:x,type:str]\n` }],
  ])("accepts %s", (_name, file, extraOpts) => {
    expect(checkTreePolicy(tree(file), { ...secureOpts, ...extraOpts }).errors).toEqual([]);
  });

  // A controller started with --annotations-prefix: only the namespace and the file under test (the shared
  // tree's write Ingresses use the default prefix).
  const customPrefix: Partial<PolicyOptions> = { annotationPrefix: "ingress.example.org" };
  const alone = (file: PolicyFile): PolicyFile[] => [passing[0] as PolicyFile, file];
  const CUSTOM_WRITE_ANN = WRITE_ANN.replaceAll("nginx.ingress.kubernetes.io/", "ingress.example.org/");

  it.each<[string, PolicyFile, { path: string; message: string }[], Partial<PolicyOptions>]>([
    [
      "a snippet under a custom annotation prefix",
      { path: F, content: ingressDoc("    ingress.example.org/configuration-snippet: x", rule("grafana.sharmamohit.com", "/", "Prefix")) },
      [{ path: `${F}#0 metadata.annotations["ingress.example.org/configuration-snippet"]`, message: SNIPPET }],
      customPrefix,
    ],
    [
      "default-prefix auth annotations when the controller uses a custom prefix",
      { path: F, content: ingressDoc(WRITE_ANN, rule("loki.sharmamohit.com", "/loki/api/v1/push")) },
      [
        { path: `${F}#0 metadata.annotations["ingress.example.org/auth-type"]`, message: 'required on write-host Ingresses: want "basic", found none' },
        { path: `${F}#0 metadata.annotations["ingress.example.org/auth-secret"]`, message: 'required on write-host Ingresses: want "monitoring-basic-auth", found none' },
        { path: `${F}#0 metadata.annotations["ingress.example.org/force-ssl-redirect"]`, message: 'required on write-host Ingresses: want "true", found none' },
      ],
      { annotationPrefix: "ingress.example.org/" },
    ],
  ])("with a custom annotation prefix, rejects %s", (_name, file, errors, extraOpts) => {
    expect(checkTreePolicy(alone(file), { ...secureOpts, ...extraOpts }).errors).toEqual(errors);
  });

  it.each<[string, PolicyFile]>([
    ["a default-prefix snippet (the controller does not read it)", { path: F, content: ingressDoc("    nginx.ingress.kubernetes.io/server-snippet: x", rule("grafana.sharmamohit.com", "/", "Prefix")) }],
    ["a write-host Ingress with the auth annotations under the custom prefix", { path: F, content: ingressDoc(CUSTOM_WRITE_ANN, rule("loki.sharmamohit.com", "/loki/api/v1/push")) }],
  ])("with a custom annotation prefix, accepts %s", (_name, file) => {
    expect(checkTreePolicy(alone(file), { ...secureOpts, ...customPrefix }).errors).toEqual([]);
  });

  it("takes the ingress class and the annotation prefix default from one place", () => {
    const publicOpts = policyOptionsForStack({ ...stack, ingressClassName: "nginx-public" }, opts.writeEndpoints);
    expect(publicOpts.ingressClassName).toBe("nginx-public");
    expect(checkTreePolicy(tree(), { ...publicOpts, objectStoreInsecure: false }).errors).toEqual([
      { path: `${MANIFESTS}/loki/ingress-loki-push.yaml#0 spec.ingressClassName`, message: 'Ingress for write host "loki.sharmamohit.com" must use ingress class "nginx-public" (found "nginx")' },
      { path: `${MANIFESTS}/kps/ingress-prom.yaml#0 spec.ingressClassName`, message: 'Ingress for write host "prometheus.sharmamohit.com" must use ingress class "nginx-public" (found "nginx")' },
    ]);
    expect(INGRESS_NGINX_PREFIX).toBe("nginx.ingress.kubernetes.io/");
  });
});

describe("checkTreePolicy review-finding properties", () => {
  const caseOf = (s: string) => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(""));

  it("rejects a snippet annotation whatever the case of prefix and name", () => {
    fc.assert(
      fc.property(caseOf("nginx.ingress.kubernetes.io/"), fc.constantFrom("configuration-snippet", "server-snippet", "auth-snippet", "stream-snippet").chain(caseOf), (prefix, name) => {
        const file = { path: F, content: ingressDoc(`    ${prefix}${name}: x`, rule("grafana.sharmamohit.com", "/", "Prefix")) };
        expect(checkTreePolicy(tree(file), secureOpts).errors).toEqual([{ path: `${F}#0 metadata.annotations[${JSON.stringify(`${prefix}${name}`)}]`, message: SNIPPET }]);
      }),
    );
  });

  it("finds an AWS key under any non-credential key of a Secret's nested config", () => {
    const word = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz") });
    const keyId = fc.string({ minLength: 16, maxLength: 16, unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") });
    fc.assert(
      fc.property(word, word, fc.constantFrom("AKIA", "ASIA"), keyId, (section, key, head, tail) => {
        fc.pre(!isCredentialKey(key) && !isCredentialKey(section) && section !== key);
        const file = { path: F, content: secretDoc(`stringData:\n  conf.yml: |\n    ${JSON.stringify(section)}:\n      ${JSON.stringify(key)}: ${head}${tail}\n`) };
        expect(checkTreePolicy(tree(file), secureOpts).errors).toEqual([{ path: `${F}#0 stringData["conf.yml"].${section}.${key}`, message: AWS }]);
      }),
    );
  });
});

describe("scanText: the whole-text prefilter", () => {
  // Findings of a text are the findings of each of its lines on its own (a one-line text is scanned exactly,
  // prefilter or not), so the prefilter that skips texts where no pattern can match must never hide one.
  const pieces = [
    'password = "hunter2"',
    'token="x"',
    'api_key =\n"x"',
    "access_key",
    '"',
    "=",
    "alloy:$apr1$abc",
    "u:{SHA}x",
    ":$2y$",
    "AKIAIOSFODNN7EXAMPLE",
    "ASIA",
    "-----BEGIN PRIVATE KEY-----",
    "-----BEGIN RSA ",
    "PRIVATE KEY-----",
    'secret_key = "${S3_KEY}"',
    " ",
    "\n",
    "#",
    ".",
    "x",
  ];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((p) => p.join(""));
  it("property: a text's findings are the union of its lines' findings", () => {
    fc.assert(
      fc.property(text, (t) => {
        const whole = new Collector();
        scanText(t, (line) => `line ${line}`, opts, whole);
        const byLine = new Collector();
        t.split("\n").forEach((l, i) => scanText(l, () => `line ${i + 1}`, opts, byLine));
        expect(whole.errors).toEqual(byLine.errors);
      }),
      { numRuns: 500 },
    );
  });
});

describe("notYamlCollection", () => {
  const lines = [
    "key: v",
    "- item",
    "case x in",
    "abc def",
    "# comment",
    "  indented",
    "\tx",
    "",
    "{a: 1}",
    "[1, 2]",
    '"quoted"',
    "'q': 1",
    "? k",
    ": v",
    "&a x",
    "!!str x",
    "*a",
    "|",
    "> folded",
    "---",
    "...",
    "%YAML 1.1",
    "// alloy comment",
    'prometheus.remote_write "x" {',
    "x:y",
    "url: http://a:1",
  ];
  const text = fc.array(fc.constantFrom(...lines), { minLength: 1, maxLength: 6 }).map((l) => l.join("\n"));
  it("property: a text it rejects never parses to a YAML mapping or sequence", () => {
    fc.assert(
      fc.property(text, (t) => {
        if (!notYamlCollection(t)) return;
        const doc = parseDocument(t, { version: "1.1" });
        const value: unknown = doc.errors.length > 0 ? undefined : doc.toJS();
        expect(typeof value === "object" && value !== null).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
  it.each([
    ["// Pods on this node\ndiscovery.kubernetes \"pods\" {\n}\n", true],
    ['case "$X" in\n  "") exit 1 ;;\nesac\n', true],
    ["# a comment\nkey: v\n", false],
    ["\n\n  - a\n", false],
    ["plain words\nmore words\n", true],
    ["...\nkey: v\n", false],
  ])("%j → %s", (t, want) => {
    expect(notYamlCollection(t)).toBe(want);
  });
});

describe("parseNested: each text parsed once per process, every file still checked", () => {
  const text = "storage:\n  s3:\n    secret_access_key: hunter2\n    bucket: b\n";
  const literal = (file: string) => ({
    path: `kubernetes/apps/monitoring/values/${file}.yaml#0 config.storage.s3.secret_access_key`,
    message: 'literal value for "secret_access_key"; use an environment reference (sys.env("..."), ${VAR}) or a secretKeyRef instead',
  });
  const files = ["a", "b"].map((n) => ({ path: `kubernetes/apps/monitoring/values/${n}.yaml`, content: yamlFile(["x"], [{ config: text }]) }));
  const ownErrors = () => checkTreePolicy(files, opts).errors.filter((e) => e.path.includes("/values/"));

  it("two files holding the same text are both reported, on a first and on a repeated check", () => {
    expect(ownErrors()).toEqual([literal("a"), literal("b")]);
    expect(ownErrors()).toEqual([literal("a"), literal("b")]);
  });

  it.each([
    ["a YAML mapping", "a: 1\nb:\n  - x\n", { a: 1, b: ["x"] }],
    ["a JSON object", '{\n  "a": [1, 2]\n}', { a: [1, 2] }],
    ["not a collection", "// alloy\nx {\n}\n", undefined],
    ["not YAML (a template)", '{{- if .Values.x }}\nkey: "{{ .Values.y }}"\n{{- end }}\n', undefined],
  ])("%s: the same answer the second time, shared", (_what, t, want) => {
    const first = parseNested(t);
    expect(first?.value).toEqual(want);
    expect(parseNested(t)).toBe(first);
  });

  it("bounded: a text evicted by 128 newer ones, or longer than 32 KiB, is parsed again to the same value", () => {
    const t = "evicted: 1\nx: [a]\n";
    const first = parseNested(t);
    for (let i = 0; i < 128; i++) parseNested(`k${i}: ${i}\nother: x\n`);
    const again = parseNested(t);
    expect(again).not.toBe(first);
    expect(again?.value).toEqual({ evicted: 1, x: ["a"] });
    const long = `big: "${"y".repeat(32 * 1024)}"\nz: 1\n`;
    const a = parseNested(long);
    expect(parseNested(long)).not.toBe(a);
    expect(parseNested(long)?.value).toEqual(a?.value);
  });
});
