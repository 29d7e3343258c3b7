import { describe, expect, it } from 'vitest';
import { estimateCost, formatUsd, PRICES } from './estimate-cost';

describe('estimateCost', () => {
  it('prices a real-time endpoint per instance-hour from prices.json', () => {
    const cost = estimateCost({ billed: true, endpointType: 'realtime', instanceType: 'ml.m5.large', instanceCount: 2, hours: 3 });
    expect(PRICES.sagemaker.realtime.pricePerInstanceHour['ml.m5.large']).toBe(0.115);
    expect(cost.lines[0]).toMatchObject({ item: 'SageMaker real-time endpoint (ml.m5.large × 2)', perHour: 0.23 });
    expect(cost.lines[0].soFar).toBeCloseTo(0.69, 10);
    expect(cost.perHour).toBeCloseTo(0.23, 10);
    expect(cost.soFar).toBeCloseTo(0.69, 10);
    expect(cost.complete).toBe(true);
  });

  it('prices serverless compute, data, the gateway Lambda and API Gateway from the measured requests', () => {
    const cost = estimateCost({
      billed: true,
      endpointType: 'serverless',
      memorySizeMb: 2048,
      hours: 5,
      usage: { requests: 1000, meanDurationMs: 100, bytes: 1e9 },
    });
    const line = (item: string) => cost.lines.find((l) => l.item.startsWith(item))!;
    // 1,000 requests × 0.1 s × $0.00004/s (2048 MB)
    expect(line('SageMaker serverless compute (2048 MB)').soFar).toBeCloseTo(0.004, 12);
    // 1 GB × $0.016/GB
    expect(line('SageMaker data processed').soFar).toBeCloseTo(0.016, 12);
    // 1,000 × $0.20/M + 1,000 × 0.1 s × 0.25 GB × $0.0000133334/GB-s (arm64, 256 MB)
    expect(line('Lambda gateway (256 MB, arm64)').soFar).toBeCloseTo(0.0002 + 0.000333335, 12);
    // 1,000 × $1.00/M
    expect(line('API Gateway HTTP API').soFar).toBeCloseTo(0.001, 12);
    expect(cost.soFar).toBeCloseTo(0.021533335, 12);
    expect(cost.perHour).toBe(0);
    expect(cost.perThousandRequests).toBeCloseTo(0.021533335, 12);
  });

  it('costs nothing for a local preview, and says why', () => {
    const cost = estimateCost({ billed: false, endpointType: 'serverless', memorySizeMb: 2048, hours: 10, usage: { requests: 5000, meanDurationMs: 5, bytes: 1e6 } });
    expect(cost).toMatchObject({ free: true, perHour: 0, soFar: 0 });
    expect(cost.notes[0]).toMatch(/local preview.*no cloud cost/);
  });

  it('leaves out what it has no price for, and says so', () => {
    const cost = estimateCost({ billed: true, endpointType: 'realtime', instanceType: 'ml.p5.48xlarge', hours: 1 });
    expect(cost.complete).toBe(false);
    expect(cost.perHour).toBe(0);
    expect(cost.notes).toContain('no price for instance type "ml.p5.48xlarge" in libs/report/src/prices.json: the SageMaker instance cost is left out.');
    expect(estimateCost({ billed: true, endpointType: 'serverless', memorySizeMb: 1500, hours: 1 }).complete).toBe(false);
  });

  it('notes that another region is priced at us-east-1 rates', () => {
    const cost = estimateCost({ billed: true, endpointType: 'realtime', instanceType: 'ml.t2.medium', region: 'eu-west-1', hours: 1 });
    expect(cost.notes).toContain('priced at us-east-1 rates; eu-west-1 may differ.');
  });
});

describe('formatUsd', () => {
  it('shows the precision an amount needs', () => {
    expect([0, 0.00004, 0.004, 0.23, 0.115, 0.2300023, 12.5].map(formatUsd)).toEqual(['$0.00', '<$0.0001', '$0.0040', '$0.23', '$0.115', '$0.230', '$12.50']);
  });
});
