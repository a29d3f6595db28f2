import { createMetricsRegistry, type Registry } from '@memelab/platform';
import { describe, expect, it } from 'vitest';
import { countRecordAccess, createHealthcareMetrics } from './healthcare.metrics.ts';

const scrape = async (registry: Registry, name: string): Promise<string[]> =>
  (await registry.metrics()).split('\n').filter((line) => line.startsWith(name));

describe('healthcare-api record metrics', () => {
  it('counts one audit write per successful record access, by action, and none for failures or /audit', async () => {
    const registry = createMetricsRegistry({}, { prefix: 'healthcare_' });
    const metrics = createHealthcareMetrics(registry, () => undefined);
    countRecordAccess(metrics, 'GET', '/Patient/:id', 200, true);
    countRecordAccess(metrics, 'GET', '/Patient', 200, true);
    countRecordAccess(metrics, 'POST', '/Patient', 201, true);
    countRecordAccess(metrics, 'PATCH', '/Patient/:id', 200, true);
    countRecordAccess(metrics, 'DELETE', '/Patient/:id', 204, true);
    countRecordAccess(metrics, 'GET', '/Patient/:id', 404, true);
    countRecordAccess(metrics, 'GET', '/audit', 200, true);
    countRecordAccess(metrics, 'GET', '/healthz', 200, false);
    expect(await scrape(registry, 'healthcare_audit_writes_total{')).toEqual([
      'healthcare_audit_writes_total{action="read"} 2',
      'healthcare_audit_writes_total{action="create"} 1',
      'healthcare_audit_writes_total{action="update"} 1',
      'healthcare_audit_writes_total{action="delete"} 1',
    ]);
  });

  it('counts a 409 on POST /Appointment as a booking conflict, and nothing else', async () => {
    const registry = createMetricsRegistry({}, { prefix: 'healthcare_' });
    const metrics = createHealthcareMetrics(registry, () => undefined);
    countRecordAccess(metrics, 'POST', '/Appointment', 409, true);
    countRecordAccess(metrics, 'POST', '/Patient', 409, true);
    countRecordAccess(metrics, 'POST', '/Appointment', 201, true);
    expect(await scrape(registry, 'healthcare_booking_conflicts_total ')).toEqual([
      'healthcare_booking_conflicts_total 1',
    ]);
  });

  it('has every audit action at 0 before any request', async () => {
    const registry = createMetricsRegistry({}, { prefix: 'healthcare_' });
    createHealthcareMetrics(registry, () => undefined);
    expect(await scrape(registry, 'healthcare_audit_writes_total{')).toHaveLength(4);
  });
});
