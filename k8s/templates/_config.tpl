{{/*
Non-secret environment of a component, rendered into its ConfigMap (and hashed into the pod
annotations so that a change rolls the pods). Every name must be one the service reads in its
services/<name>/src/config.ts; the chart's tests check that.
(dict "root" $ "svc" .Values.processor)
*/}}
{{- define "triggers.configData" -}}
{{- $root := .root }}
{{- $svc := .svc }}
{{- $data := dict
  "LOG_LEVEL" (default $root.Values.logLevel $svc.logLevel)
  "REDIS_KEY_PREFIX" $root.Values.redisKeyPrefix
  "HOST" "0.0.0.0"
  "SHUTDOWN_TIMEOUT_MS" (mul $svc.shutdownTimeoutSeconds 1000)
}}
{{- $_ := set $data "METRICS_PORT" $svc.metricsPort }}
{{- if $svc.port }}
{{- $_ := set $data "PORT" $svc.port }}
{{- end }}
{{- range $name, $value := $svc.env }}
{{- $_ := set $data $name $value }}
{{- end }}
{{- range $name, $value := $data }}
{{- $_ := set $data $name (toString $value) }}
{{- end }}
{{- toYaml $data }}
{{- end }}
