import { useCallback, useMemo, useState } from 'preact/hooks';
import type { ApiProblem } from '../api/problem.ts';
import type { TemplateResource, UploadedBackground } from '../api/resources.ts';
import { BackgroundUpload } from './BackgroundUpload.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';
import { backgroundSubject, type EditorSubject, templateSubject } from './editor-subject.ts';
import { LiveFeed } from './LiveFeed.tsx';
import { MemeEditor } from './MemeEditor.tsx';
import { TemplateGallery } from './TemplateGallery.tsx';
import { TemplateUpload } from './TemplateUpload.tsx';
import { useObjectUrl } from './use-object-url.ts';

type Choice =
  | { readonly kind: 'template'; readonly template: TemplateResource }
  | { readonly kind: 'background'; readonly background: UploadedBackground; readonly file: File };

export const App = () => {
  const [choice, setChoice] = useState<Choice | undefined>(undefined);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const [galleryVersion, setGalleryVersion] = useState(0);
  const clearProblem = useCallback(() => setProblem(undefined), []);
  const showProblem = useCallback((next: ApiProblem) => setProblem(next), []);
  const select = useCallback((next: TemplateResource) => {
    setChoice({ kind: 'template', template: next });
    setProblem(undefined);
  }, []);
  const useBackground = useCallback((background: UploadedBackground, file: File) => {
    setChoice({ kind: 'background', background, file });
    setProblem(undefined);
  }, []);
  // The editor opens on the gallery's first template, so the page starts with a preview drawn.
  const openFirst = useCallback((templates: readonly TemplateResource[]) => {
    const first = templates[0];
    if (first !== undefined) setChoice((current) => current ?? { kind: 'template', template: first });
  }, []);
  const templateCreated = useCallback(
    (template: TemplateResource) => {
      setGalleryVersion((version) => version + 1);
      select(template);
    },
    [select],
  );

  // The preview draws an uploaded picture from the local file; only the final meme comes from the server.
  const backgroundUrl = useObjectUrl(choice?.kind === 'background' ? choice.file : undefined);
  const subject = useMemo((): EditorSubject | undefined => {
    if (choice === undefined) return undefined;
    if (choice.kind === 'template') return templateSubject(choice.template);
    return backgroundUrl === undefined ? undefined : backgroundSubject(choice.background, backgroundUrl);
  }, [choice, backgroundUrl]);

  return (
    <>
      <a class="skip-link" href="#editor">
        Skip to the editor
      </a>
      <header class="site-header">
        <h1>memelab</h1>
        <p class="muted">Pick a template or upload a picture, place your captions, share the meme.</p>
        <nav aria-label="Developer links">
          <a href="/api/docs">API docs</a>
        </nav>
      </header>
      <main id="main" class="layout">
        <ErrorAlert problem={problem} onDismiss={clearProblem} />
        <div class="layout__side">
          <TemplateGallery
            selectedId={choice?.kind === 'template' ? choice.template.id : undefined}
            onSelect={select}
            onProblem={showProblem}
            refreshKey={galleryVersion}
            onFirstPage={openFirst}
          />
          <BackgroundUpload onUploaded={useBackground} onProblem={showProblem} />
          <TemplateUpload onCreated={templateCreated} onProblem={showProblem} onClearProblem={clearProblem} />
        </div>
        {subject === undefined ? (
          <section id="editor" tabIndex={-1} class="panel editor editor--empty">
            <h2>Editor</h2>
            <p class="muted">Choose a template or upload a picture to start.</p>
          </section>
        ) : (
          <MemeEditor key={subject.key} subject={subject} onProblem={showProblem} onClearProblem={clearProblem} />
        )}
        <LiveFeed onProblem={showProblem} />
      </main>
    </>
  );
};
