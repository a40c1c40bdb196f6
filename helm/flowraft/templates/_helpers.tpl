{{/* The chart's name, shortened to what a label value allows. */}}
{{- define "flowraft.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name prefix: the release name when it already says flowraft, else "<release>-flowraft". */}}
{{- define "flowraft.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "flowraft.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object; pass (dict "ctx" $ "component" "coordinator"). */}}
{{- define "flowraft.labels" -}}
helm.sh/chart: {{ include "flowraft.chart" .ctx }}
{{ include "flowraft.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: flowraft
{{- end }}

{{- define "flowraft.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flowraft.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "flowraft.image" -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .ctx.Values.image.repositoryPrefix) .name (default .ctx.Chart.AppVersion .ctx.Values.image.tag) }}
{{- end }}

{{- define "flowraft.credentialsSecret" -}}
{{- default (printf "%s-credentials" (include "flowraft.fullname" .)) .Values.credentials.existingSecret }}
{{- end }}

{{- define "flowraft.historySecret" -}}
{{- default (printf "%s-history" (include "flowraft.fullname" .)) .Values.history.existingSecret }}
{{- end }}

{{- define "flowraft.headless" -}}
{{- printf "%s-coordinator-headless" (include "flowraft.fullname" .) }}
{{- end }}

{{/* The coordinators' REST API through the client Service. */}}
{{- define "flowraft.apiUrl" -}}
{{- printf "http://%s-coordinator.%s.svc.%s:8081" (include "flowraft.fullname" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* The Raft endpoint of one ordinal; pass (dict "ctx" $ "ordinal" 0). */}}
{{- define "flowraft.peer" -}}
{{- printf "%s-coordinator-%d.%s.%s.svc.%s:7101" (include "flowraft.fullname" .ctx) (int .ordinal) (include "flowraft.headless" .ctx) .ctx.Release.Namespace .ctx.Values.clusterDomain }}
{{- end }}

{{/* The voters of n coordinators, comma-separated; pass (dict "ctx" $ "replicas" n). */}}
{{- define "flowraft.peers" -}}
{{- $peers := list }}
{{- range $i := until (int .replicas) }}
{{- $peers = append $peers (include "flowraft.peer" (dict "ctx" $.ctx "ordinal" $i)) }}
{{- end }}
{{- join "," $peers }}
{{- end }}

{{/* Pod and container hardening shared by every FlowRaft pod: the images run as 65532 with no shell. */}}
{{- define "flowraft.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "flowraft.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end }}

{{- define "flowraft.pullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{/* A map of settings as application.properties lines, in key order. */}}
{{- define "flowraft.properties" -}}
{{- range $key := keys . | sortAlpha }}
{{ $key }}={{ index $ $key }}
{{- end }}
{{- end }}
