{{/*
Names, labels and the pieces every service's manifests share. Components: ingest-api, processor,
deliverer, migrations; their values live under ingestApi, processor, deliverer, migrations.
*/}}

{{- define "triggers.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "triggers.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A component's resource name: (list $ "processor") -> <fullname>-processor, at most 63 characters.
The fullname is shortened, never the component: cutting the joined name would cut the component
off a long release name's resources and give several of them one name.
*/}}
{{- define "triggers.componentName" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 -}}
{{- $prefix := include "triggers.fullname" $root | trunc (int (sub 62 (len $component))) | trimSuffix "-" -}}
{{- printf "%s-%s" $prefix $component }}
{{- end }}

{{/* Name of a component's headless metrics Service: (list $ "processor") -> <fullname>-processor-metrics */}}
{{- define "triggers.metricsServiceName" -}}
{{- include "triggers.componentName" (list (index . 0) (printf "%s-metrics" (index . 1))) }}
{{- end }}

{{/*
A component's Prometheus `job` label: "processor" -> triggers-processor. The one home of the job
labels: the same in every release, so the alert rules and the dashboard of infra/ name them exactly
(and docker-compose's prometheus.yml uses them too); the ServiceMonitors read it from the metrics
Service's triggers.dev/job label.
*/}}
{{- define "triggers.jobLabel" -}}
{{- printf "triggers-%s" . }}
{{- end }}

{{- define "triggers.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of a component: (list $ "processor") */}}
{{- define "triggers.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "triggers.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* Every label of a component's resources: (list $ "processor") */}}
{{- define "triggers.labels" -}}
{{- $root := index . 0 -}}
helm.sh/chart: {{ include "triggers.chart" $root }}
{{ include "triggers.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: triggers
{{- end }}

{{/* Image of a component: (list $ "processor") -> <registry>/triggers-processor:<tag> */}}
{{- define "triggers.image" -}}
{{- $root := index . 0 }}
{{- $image := $root.Values.image }}
{{- $tag := default $root.Chart.AppVersion $image.tag }}
{{- if $image.registry }}
{{- printf "%s/%s%s:%s" (trimSuffix "/" $image.registry) $image.namePrefix (index . 1) $tag }}
{{- else }}
{{- printf "%s%s:%s" $image.namePrefix (index . 1) $tag }}
{{- end }}
{{- end }}

{{- define "triggers.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "triggers.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Environment variable read from an existing Secret: (list "DATABASE_URL" .Values.database) */}}
{{- define "triggers.secretEnv" -}}
{{- $ref := index . 1 -}}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "%s needs an existing Secret: set its existingSecret" (index . 0)) $ref.existingSecret }}
      key: {{ required (printf "%s needs the key of its Secret" (index . 0)) $ref.key }}
{{- end }}

{{/*
Seconds Kubernetes waits between SIGTERM (after the preStop hook) and SIGKILL. It must outlast the
preStop sleep plus the service's own shutdown deadline (SHUTDOWN_TIMEOUT_MS), with a margin for
closing pools, or in-flight work would be killed mid-way: (list $ .Values.processor)
*/}}
{{- define "triggers.terminationGracePeriodSeconds" -}}
{{- $root := index . 0 }}
{{- $svc := index . 1 }}
{{- add (default 0 $svc.preStopSleepSeconds) $svc.shutdownTimeoutSeconds $root.Values.terminationGraceMarginSeconds }}
{{- end }}

{{/* One NetworkPolicy egress rule: (list peers ports); no peers means any destination on those ports. */}}
{{- define "triggers.egressTo" -}}
{{- $rule := dict }}
{{- with index . 0 }}{{ $_ := set $rule "to" . }}{{ end }}
{{- with index . 1 }}{{ $_ := set $rule "ports" . }}{{ end }}
{{- list $rule | toYaml }}
{{- end }}
