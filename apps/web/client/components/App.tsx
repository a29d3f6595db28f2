import { useCallback, useState } from 'preact/hooks';
import type { ApiProblem } from '../api/problem.ts';
import type { TemplateResource } from '../api/resources.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { LiveFeed } from './LiveFeed.tsx';
import { MemeEditor } from './MemeEditor.tsx';
import { TemplateGallery } from './TemplateGallery.tsx';

export const App = () => {
  const [template, setTemplate] = useState<TemplateResource | undefined>(undefined);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const clearProblem = useCallback(() => setProblem(undefined), []);
  const showProblem = useCallback((next: ApiProblem) => setProblem(next), []);
  const select = useCallback((next: TemplateResource) => {
    setTemplate(next);
    setProblem(undefined);
  }, []);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to the editor
      </a>
      <header class="site-header">
        <h1>memelab</h1>
        <p class="muted">Pick a template, write your captions, share the meme.</p>
        <nav aria-label="Developer links">
          <a href="/api/docs">API docs</a>
        </nav>
      </header>
      <main id="main" class="layout">
        <ErrorAlert problem={problem} onDismiss={clearProblem} />
        <TemplateGallery selectedId={template?.id} onSelect={select} onProblem={showProblem} />
        {template === undefined ? (
          <section class="panel editor editor--empty">
            <h2>Editor</h2>
            <p class="muted">Choose a template to start.</p>
          </section>
        ) : (
          <MemeEditor key={template.id} template={template} onProblem={showProblem} onClearProblem={clearProblem} />
        )}
        <LiveFeed onProblem={showProblem} />
      </main>
    </>
  );
};
