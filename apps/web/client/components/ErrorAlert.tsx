import type { ApiProblem } from '../api/problem.ts';

interface ErrorAlertProps {
  readonly problem: ApiProblem | undefined;
  readonly onDismiss: () => void;
}

/** Always in the page, so assistive technology announces a problem the moment it appears. */
export const ErrorAlert = ({ problem, onDismiss }: ErrorAlertProps) => (
  <div role="alert" class={problem === undefined ? 'alert alert--empty' : 'alert'} data-testid="error-alert">
    {problem !== undefined && (
      <>
        <p class="alert__title">
          <strong>{problem.detail}</strong> <code>{problem.code}</code>
        </p>
        {problem.issues.length > 0 && (
          <ul class="alert__issues">
            {problem.issues.map((issue) => (
              <li key={`${issue.path}:${issue.message}`}>
                {issue.path !== '' && <code>{issue.path}</code>} {issue.message}
              </li>
            ))}
          </ul>
        )}
        <button type="button" class="button button--quiet" onClick={onDismiss}>
          Dismiss
        </button>
      </>
    )}
  </div>
);
