{{/*
The Deployment of one long-running service. Arguments (dict):
  root       the chart's root context ($)
  component  ingest-api | processor | deliverer
  svc        its values (.Values.ingestApi, ...)
  secrets    list of (list ENV_NAME secretRef) read from existing Secrets
  autoscaled true when an HPA or a KEDA ScaledObject owns the replica count
Probes: liveness and startup ask /healthz on the metrics port (a plain node:http listener that
answers while the process is alive, even when the API is saturated); readiness asks /readyz on the
port that takes traffic (the API's for the ingest API, else the metrics port), which turns 503 when
a critical dependency is down or the service is draining.
*/}}
{{- define "triggers.deployment" -}}
{{- $root := .root }}
{{- $component := .component }}
{{- $svc := .svc }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "triggers.componentName" (list $root $component) }}
  labels:
    {{- include "triggers.labels" (list $root $component) | nindent 4 }}
spec:
  {{- if not .autoscaled }}
  replicas: {{ $svc.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      # Start the new pod before stopping an old one: capacity never drops during a rollout.
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels:
      {{- include "triggers.selectorLabels" (list $root $component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "triggers.labels" (list $root $component) | nindent 8 }}
      annotations:
        checksum/config: {{ include "triggers.configData" (dict "root" $root "svc" $svc) | sha256sum }}
        {{- with $svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "triggers.serviceAccountName" $root }}
      # The services never call the Kubernetes API.
      automountServiceAccountToken: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ include "triggers.terminationGracePeriodSeconds" (list $root $svc) }}
      containers:
        - name: {{ $component }}
          image: {{ include "triggers.image" (list $root $component) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            {{- if $svc.port }}
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
            {{- end }}
            - name: metrics
              containerPort: {{ $svc.metricsPort }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "triggers.componentName" (list $root $component) }}
          env:
            {{- range .secrets }}
            {{- include "triggers.secretEnv" . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /healthz
              port: metrics
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet:
              path: /healthz
              port: metrics
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /readyz
              port: {{ ternary "http" "metrics" (not (empty $svc.port)) }}
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          {{- if $svc.preStopSleepSeconds }}
          lifecycle:
            preStop:
              # Keep serving while Service endpoints and load balancers drop this pod; the service
              # is signalled (and turns its readiness off) only after this.
              exec:
                command: ["sleep", "{{ $svc.preStopSleepSeconds }}"]
          {{- end }}
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            # The root filesystem is read-only; /tmp is the one writable folder (os.tmpdir()).
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
      {{- with $svc.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- range . }}
        {{- /* Each constraint counts this component's pods unless it names its own selector. */}}
        - {{- toYaml (merge (deepCopy .) (dict "labelSelector" (dict "matchLabels" (include "triggers.selectorLabels" (list $root $component) | fromYaml)))) | nindent 10 }}
        {{- end }}
      {{- end }}
{{- end }}
