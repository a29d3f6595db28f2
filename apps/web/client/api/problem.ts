/** One field-level complaint from the API's validation. */
export interface ProblemIssue {
  readonly path: string;
  readonly message: string;
}

/** An RFC 9457 problem as the API sends it, or one made up for a failure that never reached it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly issues: readonly ProblemIssue[] = [],
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const readIssues = (value: unknown): ProblemIssue[] =>
  Array.isArray(value)
    ? value.filter(isRecord).map((issue) => ({ path: String(issue.path ?? ''), message: String(issue.message ?? '') }))
    : [];

/** Reads a failed response's body; a proxy's HTML error page still yields a readable message. */
export const problemFromResponse = async (response: Response): Promise<ApiProblem> => {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isRecord(body)) {
    const code = typeof body.code === 'string' ? body.code : `HTTP_${response.status}`;
    const detail =
      typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : response.statusText;
    return new ApiProblem(response.status, code, detail, readIssues(body.issues));
  }
  return new ApiProblem(response.status, `HTTP_${response.status}`, response.statusText || 'The request failed.');
};

/** Anything thrown while talking to the API, as a problem the page can show. */
export const toProblem = (error: unknown): ApiProblem => {
  if (error instanceof ApiProblem) return error;
  if (error instanceof Error) return new ApiProblem(0, 'NETWORK_ERROR', error.message);
  return new ApiProblem(0, 'UNKNOWN_ERROR', String(error));
};
