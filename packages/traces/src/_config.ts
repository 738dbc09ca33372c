// The tempo chart's Tempo config template (grafana-community 1.26.7, values.yaml `config`), which the chart
// renders with `tpl`. Kept here because one line must differ: see TEMPO_CONFIG_TEMPLATE.

/** The line of the chart's template that renders the distributor's receivers. */
export const CHART_RECEIVERS_LINE = "    {{- toYaml .Values.tempo.receivers | nindent 8 }}";

/**
 * Only the OTLP receiver goes into the distributor config: Helm merges `tempo.receivers` into the chart
 * defaults, and no value removes them cleanly (a `null` Jaeger breaks the chart's Service port template,
 * which reads `tempo.receivers.jaeger.protocols.*`; `opencensus` defaults to null and stays null, which
 * Tempo reads as "on with defaults", and Tempo ≥ 2.10.6 crash-loops on it).
 */
export const OTLP_ONLY_RECEIVERS_LINE = "    {{- toYaml (dict \"otlp\" .Values.tempo.receivers.otlp) | nindent 8 }}";

/** The chart's template, line by line, as the chart ships it. */
export const CHART_CONFIG_LINES: readonly string[] = [
  "memberlist:",
  "  cluster_label: \"{{ .Release.Name }}.{{ .Release.Namespace }}\"",
  "multitenancy_enabled: {{ .Values.tempo.multitenancyEnabled }}",
  "usage_report:",
  "  reporting_enabled: {{ .Values.tempo.reportingEnabled }}",
  "compactor:",
  "  compaction:",
  "    block_retention: {{ .Values.tempo.retention }}",
  "distributor:",
  "  receivers:",
  "    {{- toYaml .Values.tempo.receivers | nindent 8 }}",
  "ingester:",
  "  {{- toYaml .Values.tempo.ingester | nindent 6 }}",
  "server:",
  "  {{- toYaml .Values.tempo.server | nindent 6 }}",
  "storage:",
  "  {{- toYaml .Values.tempo.storage | nindent 6 }}",
  "querier:",
  "  {{- toYaml .Values.tempo.querier | nindent 6 }}",
  "query_frontend:",
  "  {{- toYaml .Values.tempo.queryFrontend | nindent 6 }}",
  "overrides:",
  "  {{- toYaml .Values.tempo.overrides | nindent 6 }}",
  "  {{- if .Values.tempo.metricsGenerator.enabled }}",
  "metrics_generator:",
  "  {{- if .Values.tempo.metricsGenerator.processor }}",
  "  processor:",
  "    {{- toYaml .Values.tempo.metricsGenerator.processor | nindent 8 }}",
  "  {{- end }}",
  "  {{- if .Values.tempo.metricsGenerator.registry }}",
  "  registry:",
  "    {{- toYaml .Values.tempo.metricsGenerator.registry | nindent 8 }}",
  "  {{- end }}",
  "  storage:",
  "    path: {{ .Values.tempo.metricsGenerator.storage.path | quote }}",
  "    {{- if .Values.tempo.metricsGenerator.storage.remote_write }}",
  "    remote_write:",
  "      {{- toYaml .Values.tempo.metricsGenerator.storage.remote_write | nindent 10 }}",
  "    {{- else }}",
  "    remote_write:",
  "      - url: {{ .Values.tempo.metricsGenerator.remoteWriteUrl }}",
  "    {{- end }}",
  "  traces_storage:",
  "    path: {{ .Values.tempo.metricsGenerator.traces_storage.path | quote }}",
  "  {{- end }}",
];

/** The chart's template with {@link OTLP_ONLY_RECEIVERS_LINE} in place of its receivers line. */
export const TEMPO_CONFIG_TEMPLATE = `${CHART_CONFIG_LINES.map((l) => (l === CHART_RECEIVERS_LINE ? OTLP_ONLY_RECEIVERS_LINE : l)).join("\n")}\n`;
