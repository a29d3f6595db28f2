import type { MemeSpec, TextStyle, TextStyleOverride } from '@memelab/core';
import { useMemo, useState } from 'preact/hooks';
import { createMeme } from '../api/memelab-api.ts';
import { type ApiProblem, toProblem } from '../api/problem.ts';
import type { MemeResource, TemplateResource } from '../api/resources.ts';
import type { PreviewRequest } from '../preview/preview-renderer.ts';
import { MemeResult } from './MemeResult.tsx';
import { PreviewCanvas } from './PreviewCanvas.tsx';
import { StyleControls } from './StyleControls.tsx';

interface MemeEditorProps {
  readonly template: TemplateResource;
  readonly onProblem: (problem: ApiProblem) => void;
  readonly onClearProblem: () => void;
}

const DEFAULT_STYLE: TextStyle = {
  font: 'anton',
  color: '#ffffff',
  outlineColor: '#000000',
  outlineRatio: 0.1,
  case: 'upper',
  maxFontRatio: 0.12,
};

const initialCaptions = (template: TemplateResource): string[] =>
  template.textBoxes.map((_, index) => template.example[index] ?? '');

/** Where a box sits, so each caption's label says which one it fills. */
const boxPosition = (y: number, height: number): string => {
  const middle = y + height / 2;
  if (middle < 1 / 3) return 'top';
  if (middle > 2 / 3) return 'bottom';
  return 'middle';
};

/** Edits one template's meme; the page remounts it per template, so state starts fresh. */
export const MemeEditor = ({ template, onProblem, onClearProblem }: MemeEditorProps) => {
  const [captions, setCaptions] = useState<string[]>(() => initialCaptions(template));
  const [style, setStyle] = useState<TextStyleOverride>({});
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<MemeResource | undefined>(undefined);

  const hasStyle = Object.keys(style).length > 0;
  const preview = useMemo((): PreviewRequest => {
    const spec: MemeSpec = {
      template: template.id,
      captions,
      format: 'jpg',
      ...(hasStyle ? { style } : {}),
    };
    return { spec, base: template, imageUrl: template.links.image };
  }, [template, captions, style, hasStyle]);

  const setCaption = (index: number, value: string) =>
    setCaptions((current) => current.map((caption, at) => (at === index ? value : caption)));

  const submit = async (event: Event) => {
    event.preventDefault();
    setCreating(true);
    try {
      const meme = await createMeme({ template: template.id, captions, ...(hasStyle ? { style } : {}) });
      onClearProblem();
      setCreated(meme);
    } catch (error) {
      onProblem(toProblem(error));
    } finally {
      setCreating(false);
    }
  };

  const baseStyle = template.textBoxes[0]?.style ?? DEFAULT_STYLE;
  const label = `Preview of ${template.name}: ${captions.filter((caption) => caption.trim() !== '').join(' / ') || 'no captions yet'}`;

  return (
    <section class="panel editor" aria-labelledby="editor-heading" data-testid="editor">
      <h2 id="editor-heading">{template.name}</h2>
      <div class="editor__layout">
        <div class="editor__preview">
          <PreviewCanvas request={preview} label={label} onProblem={onProblem} />
          <p class="muted small">
            Preview drawn in your browser with the same layout engine as the server. Template by{' '}
            {template.source.author} ({template.source.licence}).
          </p>
        </div>
        <form class="editor__form" onSubmit={(event) => void submit(event)}>
          {template.textBoxes.map((box, index) => (
            <label class="field" key={`${template.id}-${String(index)}`}>
              <span class="field__label">
                Text {index + 1} ({boxPosition(box.y, box.height)})
              </span>
              <textarea
                rows={2}
                value={captions[index] ?? ''}
                onInput={(event) => setCaption(index, event.currentTarget.value)}
                data-testid={`caption-${String(index)}`}
              />
            </label>
          ))}
          <StyleControls base={baseStyle} override={style} onChange={setStyle} />
          <button type="submit" class="button button--primary" disabled={creating} data-testid="create-meme">
            {creating ? 'Creating…' : 'Create meme'}
          </button>
        </form>
      </div>
      {created !== undefined && <MemeResult meme={created} />}
    </section>
  );
};
