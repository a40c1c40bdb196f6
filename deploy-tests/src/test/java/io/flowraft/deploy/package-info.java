/**
 * Tests of what ships for deployment: {@code chart} renders {@code helm/flowraft} with real Helm and checks the
 * typed manifests, {@code image} reads the Jib-built images, {@code pods} runs the rendered pods as local processes.
 */
package io.flowraft.deploy;
