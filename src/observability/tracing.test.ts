import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { otlpTracesUrl, startTracing } from './tracing';

describe('otlpTracesUrl', () => {
  it('is off without an OTLP endpoint, so nothing starts by default', () => {
    assert.equal(otlpTracesUrl({}), undefined);
    assert.equal(startTracing({}), undefined);
  });

  it('adds /v1/traces to the base endpoint, and takes the traces endpoint as given', () => {
    assert.equal(
      otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }),
      'http://collector:4318/v1/traces',
    );
    assert.equal(
      otlpTracesUrl({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/ingest',
      }),
      'http://traces:9999/ingest',
    );
  });

  it('stays off when the SDK is disabled', () => {
    assert.equal(
      otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }),
      undefined,
    );
  });
});
