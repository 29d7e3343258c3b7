/**
 * The parts of API Gateway's HTTP API payload format 2.0 the gateway reads and writes. Declared here
 * rather than taken from @types/aws-lambda: the local adapter builds the same events itself.
 */
export interface HttpApiEvent {
  version?: string;
  routeKey?: string;
  /** The path as the client sent it; with a named stage, starts with `/<stage>`. */
  rawPath: string;
  rawQueryString?: string;
  /** Header names lowercased; repeated headers joined with commas. */
  headers?: Record<string, string | undefined>;
  requestContext: {
    http: { method: string; path?: string; protocol?: string; sourceIp?: string; userAgent?: string };
    requestId?: string;
    stage?: string;
    timeEpoch?: number;
  };
  body?: string;
  isBase64Encoded?: boolean;
}

export interface HttpApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

/** A gateway request handler: never rejects, every answer has a JSON body. */
export type GatewayHandler = (event: HttpApiEvent) => Promise<HttpApiResult>;
