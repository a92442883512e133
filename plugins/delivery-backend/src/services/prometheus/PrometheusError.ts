/** The `errorType` values of the Prometheus HTTP API, plus our own transport ones. */
export type PrometheusErrorType =
  | 'bad_data'
  | 'execution'
  | 'timeout'
  | 'canceled'
  | 'internal'
  | 'not_found'
  | 'unavailable'
  | 'bad_response'
  | 'unauthorized';

const EXPLANATIONS: Record<PrometheusErrorType, string> = {
  bad_data: 'the query or its parameters were rejected as invalid',
  execution: 'the query failed while being evaluated',
  timeout: 'the query timed out',
  canceled: 'the query was canceled',
  internal: 'Prometheus had an internal error',
  not_found: 'the API path was not found',
  unavailable: 'Prometheus could not be reached',
  bad_response: 'Prometheus sent a response that is not valid API JSON',
  unauthorized: 'Prometheus refused the configured credentials',
};

/**
 * An error of a Prometheus call. The message names the instance, what went
 * wrong and Prometheus' own reason; it never contains a credential.
 */
export class PrometheusError extends Error {
  readonly name = 'PrometheusError';
  constructor(
    readonly instance: string,
    readonly errorType: PrometheusErrorType,
    readonly detail: string,
    readonly httpStatus?: number,
  ) {
    super(
      `Prometheus "${instance}": ${EXPLANATIONS[errorType]} (${errorType}${
        httpStatus ? `, HTTP ${httpStatus}` : ''
      })${detail ? `: ${detail}` : ''}`,
    );
  }
}

/** Maps an `errorType` string from Prometheus onto the known ones. */
export function toPrometheusErrorType(
  value: unknown,
  httpStatus: number,
): PrometheusErrorType {
  if (
    value === 'bad_data' ||
    value === 'execution' ||
    value === 'timeout' ||
    value === 'canceled' ||
    value === 'internal' ||
    value === 'not_found'
  ) {
    return value;
  }
  if (httpStatus === 401 || httpStatus === 403) return 'unauthorized';
  if (httpStatus === 404) return 'not_found';
  if (httpStatus === 503) return 'unavailable';
  return 'bad_response';
}
