import PRICE_TABLE from './prices.json';

export type PriceTable = typeof PRICE_TABLE;
export const PRICES: PriceTable = PRICE_TABLE;

/** The gateway Lambda's size when the preview does not say: the preview-stack module's defaults. */
export const DEFAULT_GATEWAY = { memoryMb: 256, architecture: 'arm64' } as const;

/** What the benchmark measured: the requests that reached the preview. */
export interface Usage {
  requests: number;
  /** Mean request duration seen by the client: an upper bound of what SageMaker and Lambda bill. */
  meanDurationMs: number;
  /** Bytes sent plus received. */
  bytes: number;
}

export interface CostInput {
  /** False when the preview runs on the deploying machine (the provider recorded no cost inputs): no cloud bill. */
  billed: boolean;
  endpointType: 'serverless' | 'realtime';
  instanceType?: string;
  instanceCount?: number;
  memorySizeMb?: number;
  gatewayMemoryMb?: number;
  gatewayArchitecture?: string;
  region?: string;
  /** How long the preview has been up. */
  hours: number;
  usage?: Usage;
}

export interface CostLine {
  item: string;
  /** How the amount was computed, in words and numbers. */
  basis: string;
  /** What it costs per hour just for being up (realtime instances), 0 for pay-per-request items. */
  perHour: number;
  perThousandRequests: number;
  soFar: number;
}

export interface CostEstimate {
  /** The preview runs on the deploying machine: no cloud bill. */
  free: boolean;
  perHour: number;
  perThousandRequests: number;
  soFar: number;
  /** False when a price was missing (unknown instance type or memory size): the totals leave it out. */
  complete: boolean;
  lines: CostLine[];
  notes: string[];
}

const GB = 1e9;

/** Dollars with the precision the amount needs: $0.23, $0.115, $0.0040, <$0.0001. */
export function formatUsd(amount: number): string {
  if (amount === 0) return '$0.00';
  if (amount < 0.0001) return '<$0.0001';
  if (amount < 0.01) return `$${amount.toFixed(4)}`;
  const cents = Math.round(amount * 100) / 100;
  return `$${amount >= 1 || Math.abs(amount - cents) < 1e-9 ? amount.toFixed(2) : amount.toFixed(3)}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * What a preview costs: the standing cost per hour and so far (realtime instances), plus what the
 * benchmark's requests cost (serverless compute, data processed, the gateway Lambda, API Gateway),
 * from the one price table in prices.json.
 */
export function estimateCost(input: CostInput, prices: PriceTable = PRICES): CostEstimate {
  if (!input.billed) {
    return {
      free: true,
      perHour: 0,
      perThousandRequests: 0,
      soFar: 0,
      complete: true,
      lines: [],
      notes: ['local preview: processes on this machine (or the CI runner), so no cloud cost.'],
    };
  }

  const lines: CostLine[] = [];
  const notes: string[] = [];
  let complete = true;
  const usage = input.usage;
  const requests = usage?.requests ?? 0;
  const seconds = (usage?.meanDurationMs ?? 0) / 1000;
  const bytesPerRequest = usage && usage.requests > 0 ? usage.bytes / usage.requests : 0;
  const perRequestLine = (item: string, basis: string, perRequest: number): CostLine => ({
    item,
    basis,
    perHour: 0,
    perThousandRequests: perRequest * 1000,
    soFar: perRequest * requests,
  });

  if (input.endpointType === 'realtime') {
    const type = input.instanceType ?? '';
    const instances = input.instanceCount ?? 1;
    const hourly = (prices.sagemaker.realtime.pricePerInstanceHour as Record<string, number>)[type];
    if (hourly === undefined) {
      complete = false;
      notes.push(`no price for instance type "${type || 'unknown'}" in libs/report/src/prices.json: the SageMaker instance cost is left out.`);
    } else {
      const perHour = hourly * instances;
      lines.push({
        item: `SageMaker real-time endpoint (${type} × ${instances})`,
        basis: `${input.hours.toFixed(2)} h × ${formatUsd(hourly)}/instance-hour × ${instances}`,
        perHour,
        perThousandRequests: 0,
        soFar: perHour * input.hours,
      });
    }
  } else {
    const memory = input.memorySizeMb ?? 0;
    const perSecond = (prices.sagemaker.serverless.pricePerSecondByMemoryMb as Record<string, number>)[String(memory)];
    if (perSecond === undefined) {
      complete = false;
      notes.push(`no serverless price for ${memory || 'an unknown'} MB in libs/report/src/prices.json: the SageMaker compute cost is left out.`);
    } else {
      lines.push(
        perRequestLine(
          `SageMaker serverless compute (${memory} MB)`,
          `${count(requests)} requests × ${(seconds * 1000).toFixed(1)} ms × $${perSecond}/s; nothing while idle`,
          seconds * perSecond,
        ),
      );
    }
  }

  const dataPrice = prices.sagemaker.dataProcessedPerGb;
  lines.push(perRequestLine('SageMaker data processed', `${((bytesPerRequest * requests) / 1e6).toFixed(2)} MB in and out × ${formatUsd(dataPrice)}/GB`, (bytesPerRequest / GB) * dataPrice));

  const gatewayMemory = input.gatewayMemoryMb ?? DEFAULT_GATEWAY.memoryMb;
  const architecture = input.gatewayArchitecture ?? DEFAULT_GATEWAY.architecture;
  const gbSecond = (prices.lambda.pricePerGbSecond as Record<string, number>)[architecture] ?? prices.lambda.pricePerGbSecond.x86_64;
  const lambdaPerRequest = prices.lambda.pricePerMillionRequests / 1e6 + (gatewayMemory / 1024) * seconds * gbSecond;
  lines.push(perRequestLine(`Lambda gateway (${gatewayMemory} MB, ${architecture})`, `${count(requests)} requests × (${formatUsd(prices.lambda.pricePerMillionRequests)}/M + ${(seconds * 1000).toFixed(1)} ms × ${gatewayMemory} MB)`, lambdaPerRequest));

  const apiPrice = prices.apiGateway.httpApiPricePerMillionRequests;
  lines.push(perRequestLine('API Gateway HTTP API', `${count(requests)} requests × ${formatUsd(apiPrice)}/M`, apiPrice / 1e6));

  if (!usage) notes.push('no benchmark result: the per-request costs count no requests.');
  else notes.push(`per-request costs use the benchmark's ${count(requests)} requests at their mean duration (${(seconds * 1000).toFixed(1)} ms) as billed time: an upper bound; validate's few requests are not counted.`);
  if (input.region && input.region !== prices.region) notes.push(`priced at ${prices.region} rates; ${input.region} may differ.`);

  const sum = (key: 'perHour' | 'perThousandRequests' | 'soFar') => lines.reduce((total, line) => total + line[key], 0);
  return { free: false, perHour: sum('perHour'), perThousandRequests: sum('perThousandRequests'), soFar: sum('soFar'), complete, lines, notes };
}
