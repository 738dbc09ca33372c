/**
 * Compose a stack into a render input: every component of the observability stack, the files outside
 * the Helm flow, the secret skeletons, the invariants and the security policy.
 */
import { charts, validateValues, type ChartName } from "@o11y-gitops/chart-values";
import {
  assertNoProblems,
  policyOptionsForStack,
  secretSkeletons,
  stackConfigProblems,
  stackShapeProblems,
  withCheckedStack,
  DEFAULT_TOOLING,
  type Tooling,
  type ChartPin,
  type Component,
  type ExtraFile,
  type K8sObject,
  type Problem,
  type RenderInput,
  type Stack,
} from "@o11y-gitops/core";
import { alloyComponent, checkCollectors, dockerAlloyConfig, dockerAlloyFiles, k8sAlloyConfig } from "@o11y-gitops/collectors";
import { checkWriteEndpoints, lokiTenantPinningFile, selectedWriteEndpoints, writeEndpointIngress, writeEndpoints } from "@o11y-gitops/ingress";
import { checkLoki, lokiComponent } from "@o11y-gitops/logs";
import {
  checkMetrics,
  infraMonitoringFiles,
  kubePrometheusStackComponent,
  pipelineDashboardConfigMap,
  pipelinePrometheusRule,
  prometheusRemoteWriteUrl,
  thanosComponent,
} from "@o11y-gitops/metrics";
import { checkTempo, tempoComponent } from "@o11y-gitops/traces";
import { crossComponentChecks } from "./checks.js";

/**
 * Every invariant of the stack config, from all packages: core's shared fields, names, sizes and collisions
 * (`stackConfigProblems`) first, then each package's own fields. Each field has one owner, so nothing is
 * reported twice. An empty list means the builders will not throw.
 */
export function stackProblems(stack: Stack): Problem[] {
  // The package rules read fields a malformed config may lack or mistype: a wrong shape is all there is to say.
  const shape = stackShapeProblems(stack);
  if (shape.length > 0) return shape;
  return [
    ...stackConfigProblems(stack),
    ...checkMetrics(stack),
    ...checkLoki(stack),
    ...checkTempo(stack),
    ...checkCollectors(stack),
    ...checkWriteEndpoints(stack),
  ];
}

/**
 * The components of the stack that `stack.components` switches on (kube-prometheus-stack always), each
 * external write endpoint that is on riding with the component it fronts.
 */
export function stackComponents(stack: Stack): Component[] {
  const [prometheusWrite, lokiPush] = writeEndpoints(stack);
  const on = stack.components;
  const withManifests = (c: Component, ms: readonly K8sObject[]): Component => ({ ...c, manifests: [...c.manifests, ...ms] });
  const built: Component[] = [
    withManifests(kubePrometheusStackComponent(stack), on.writeEndpoints.prometheus ? [writeEndpointIngress(stack, prometheusWrite)] : []),
    ...(on.thanos ? [thanosComponent(stack)] : []),
    ...(on.loki ? [withManifests(lokiComponent(stack), on.writeEndpoints.loki ? [writeEndpointIngress(stack, lokiPush)] : [])] : []),
    ...(on.tempo ? [tempoComponent(stack, { metricsRemoteWriteUrl: prometheusRemoteWriteUrl(stack) })] : []),
    ...(on.k8sCollectors ? [alloyComponent(stack)] : []),
  ];
  // The pipeline's own alerts and dashboard ride with its last stage (alloy, wave 3), or the last component
  // there is: every component but kube-prometheus-stack depends on it, so its CRDs exist by then.
  const last = built.length - 1;
  return built.map((c, i) => (i === last ? withManifests(c, [pipelinePrometheusRule(stack), pipelineDashboardConfigMap(stack)]) : c));
}

/**
 * The render input for the whole stack described by `stack`. Throws a StackError listing every problem
 * of the config (nothing is rendered then). `tooling` is how the user runs the tool: the command and config
 * named in file headers, secret placeholders and messages.
 */
export function stackInput(stack: Stack, tooling: Tooling = DEFAULT_TOOLING): RenderInput {
  assertNoProblems(stackProblems(stack));
  // Every builder below checks the stack it is given; checked once here, this one is not checked again.
  return withCheckedStack(stack, () => stackInputOf(stack, tooling));
}

function stackInputOf(stack: Stack, tooling: Tooling): RenderInput {
  const components = stackComponents(stack);
  const extraFiles: ExtraFile[] = [
    ...dockerAlloyFiles(stack),
    ...infraMonitoringFiles(stack),
    ...(stack.components.infraMonitoring.lokiTenantPinning ? [lokiTenantPinningFile(stack)] : []),
  ];
  const pins: Record<string, ChartPin> = { ...charts };
  return {
    stack,
    components,
    extraFiles,
    seedSecrets: secretSkeletons(stack, tooling),
    tooling,
    pins,
    validateValues: (chart, values) => validateValues(chart as ChartName, values),
    checks: [
      (s: Stack): Problem[] =>
        crossComponentChecks(s, components, {
          ...(s.components.k8sCollectors ? { "alloy (cluster)": k8sAlloyConfig(s) } : {}),
          ...(s.components.dockerHosts ? { "alloy (docker hosts)": dockerAlloyConfig(s) } : {}),
        }),
    ],
    policy: policyOptionsForStack(stack, selectedWriteEndpoints(stack)),
  };
}
