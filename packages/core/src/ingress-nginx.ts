/** The ingress-nginx controller as the builders and the policy see it: its annotation prefix and the annotations we allow. */

/** ingress-nginx's default annotation prefix (`--annotations-prefix`), with the trailing `/`. */
export const INGRESS_NGINX_PREFIX = "nginx.ingress.kubernetes.io/";

/**
 * ingress-nginx annotations (without prefix) allowed on any Ingress: auth, TLS redirect, proxy tuning,
 * rate limits, source ranges, CORS, affinity, and (not on write hosts) regex/rewrite. Everything else is
 * rejected until reviewed: snippets (`configuration-snippet`, `server-snippet`, `auth-snippet`, …) inject
 * raw nginx configuration; `auth-url`, `mirror-*`, `server-alias`, `upstream-vhost`, `default-backend`,
 * `canary*`, `satisfy`, `custom-headers` and the like change who can reach what or where traffic goes.
 */
export const INGRESS_ANNOTATION_ALLOWLIST: readonly string[] = [
  "auth-type",
  "auth-secret",
  "auth-secret-type",
  "auth-realm",
  "force-ssl-redirect",
  "ssl-redirect",
  "preserve-trailing-slash",
  "backend-protocol",
  "proxy-body-size",
  "proxy-read-timeout",
  "proxy-send-timeout",
  "proxy-connect-timeout",
  "proxy-next-upstream",
  "proxy-next-upstream-timeout",
  "proxy-next-upstream-tries",
  "proxy-request-buffering",
  "proxy-buffering",
  "proxy-buffer-size",
  "proxy-buffers-number",
  "proxy-max-temp-file-size",
  "proxy-http-version",
  "client-body-buffer-size",
  "limit-rps",
  "limit-rpm",
  "limit-connections",
  "limit-burst-multiplier",
  "whitelist-source-range",
  "denylist-source-range",
  "enable-cors",
  "cors-allow-origin",
  "cors-allow-methods",
  "cors-allow-headers",
  "cors-expose-headers",
  "cors-allow-credentials",
  "cors-max-age",
  "affinity",
  "affinity-mode",
  "session-cookie-name",
  "session-cookie-path",
  "session-cookie-max-age",
  "session-cookie-expires",
  "session-cookie-samesite",
  "load-balance",
  "enable-access-log",
  "use-regex",
  "rewrite-target",
  "app-root",
];
