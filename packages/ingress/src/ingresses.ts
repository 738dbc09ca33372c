import {
  assertNoProblems,
  INGRESS_NGINX_PREFIX,
  stackConfigProblems,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  PART_OF_LABEL,
  type K8sObject,
  type Problem,
  type Stack,
} from "@o11y-gitops/core";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { writeEndpoints, type WriteEndpoint } from "./endpoints.js";

/**
 * The Secret key ingress-nginx reads htpasswd lines from with `auth-secret-type: auth-file` (the default,
 * which these Ingresses use): `stack.secrets.basicAuth.key` must be this.
 */
export const BASIC_AUTH_FILE_KEY = "auth";

/**
 * Options for the write-endpoint Ingresses. Every field has a default taken from the seed. The IngressClass
 * is not an option: it is `stack.ingressClassName`, the one the security policy checks.
 */
export interface WriteEndpointOptions {
  /** Largest request body (`proxy-body-size`), sized for metric/log batches. @default "10m" */
  proxyBodySize?: string;
  /** Seconds nginx waits for the backend (`proxy-read-timeout`), for slow remote-write flushes. @default 300 */
  proxyReadTimeoutSeconds?: number;
  /** Realm of the basic-auth challenge (`auth-realm`). @default "Observability write endpoint" */
  authRealm?: string;
}

const DEFAULTS: Required<WriteEndpointOptions> = {
  proxyBodySize: "10m",
  proxyReadTimeoutSeconds: 300,
  authRealm: "Observability write endpoint",
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const BODY_SIZE = /^[0-9]+[kKmMgG]?$/;

/**
 * Problems with the stack fields and options only the write endpoints are built from: the domain must be a
 * DNS name, the basic-auth Secret key must be the one ingress-nginx reads (`auth`), and the nginx tuning
 * values must be in nginx's syntax. The host labels are checked once by core's `stackConfigProblems`.
 */
export function checkWriteEndpoints(stack: Stack, options: WriteEndpointOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const domainLabels = stack.domain.split(".");
  if (domainLabels.length < 2 || !domainLabels.every((l) => DNS_LABEL.test(l))) {
    problems.push({ path: "stack.domain", message: `${JSON.stringify(stack.domain)} is not a DNS domain (dot-separated DNS labels, e.g. example.com)` });
  }
  const authKey = stack.secrets.basicAuth.key;
  if (authKey !== BASIC_AUTH_FILE_KEY) {
    problems.push({
      path: "stack.secrets.basicAuth.key",
      message: `${JSON.stringify(authKey)} is not read by ingress-nginx: basic auth with auth-secret-type auth-file (the default) reads the htpasswd lines from key "${BASIC_AUTH_FILE_KEY}"`,
    });
  }
  const o = { ...DEFAULTS, ...options };
  if (!BODY_SIZE.test(o.proxyBodySize)) {
    problems.push({ path: "options.proxyBodySize", message: `${JSON.stringify(o.proxyBodySize)} is not an nginx size (digits with an optional k/m/g suffix, e.g. 10m)` });
  }
  if (!Number.isInteger(o.proxyReadTimeoutSeconds) || o.proxyReadTimeoutSeconds <= 0) {
    problems.push({ path: "options.proxyReadTimeoutSeconds", message: `${o.proxyReadTimeoutSeconds} is not a positive whole number of seconds` });
  }
  if (o.authRealm === "" || /["\\\r\n]/.test(o.authRealm)) {
    problems.push({ path: "options.authRealm", message: `${JSON.stringify(o.authRealm)} must be non-empty and free of quotes, backslashes and line breaks` });
  }
  return problems;
}

/**
 * The annotations every write endpoint carries: basic auth from `stack.secrets.basicAuth`, TLS redirect,
 * body size and read timeout. No regex, rewrite or snippet annotations (the policy check rejects those).
 */
export function writeEndpointAnnotations(stack: Stack, options: WriteEndpointOptions = {}): Record<string, string> {
  const o = { ...DEFAULTS, ...options };
  return {
    [`${INGRESS_NGINX_PREFIX}auth-type`]: "basic",
    [`${INGRESS_NGINX_PREFIX}auth-secret`]: stack.secrets.basicAuth.name,
    [`${INGRESS_NGINX_PREFIX}auth-realm`]: o.authRealm,
    [`${INGRESS_NGINX_PREFIX}force-ssl-redirect`]: "true",
    [`${INGRESS_NGINX_PREFIX}proxy-body-size`]: o.proxyBodySize,
    [`${INGRESS_NGINX_PREFIX}proxy-read-timeout`]: String(o.proxyReadTimeoutSeconds),
  };
}

/**
 * One write endpoint's Ingress (class `stack.ingressClassName`): a single host rule with a single `pathType: Exact` path to the backend
 * Service port. No `tls` section: the controller's default (wildcard) certificate serves the host.
 */
export function writeEndpointIngress(stack: Stack, endpoint: WriteEndpoint, options: WriteEndpointOptions = {}): K8sObject {
  assertNoProblems([...checkWriteEndpoints(stack, options), ...stackConfigProblems(stack)]);
  const ingress = new Ingress({
    metadata: {
      name: endpoint.name,
      namespace: stack.namespace,
      labels: {
        "app.kubernetes.io/name": endpoint.name,
        "app.kubernetes.io/component": "write-endpoint",
        [MANAGED_BY_LABEL]: MANAGED_BY,
        [PART_OF_LABEL]: `${stack.namespace}-stack`,
      },
      annotations: writeEndpointAnnotations(stack, options),
    },
    spec: {
      ingressClassName: stack.ingressClassName,
      rules: [
        {
          host: endpoint.host,
          http: {
            paths: [
              {
                path: endpoint.path,
                pathType: "Exact",
                backend: { service: { name: endpoint.backend.service, port: { number: endpoint.backend.port } } },
              },
            ],
          },
        },
      ],
    },
  });
  ingress.validate();
  return ingress.toJSON() as K8sObject;
}

/** Both write-endpoint Ingresses (Prometheus remote-write, Loki push), in `writeEndpoints` order. */
export function writeEndpointIngresses(stack: Stack, options: WriteEndpointOptions = {}): K8sObject[] {
  return writeEndpoints(stack).map((e) => writeEndpointIngress(stack, e, options));
}
