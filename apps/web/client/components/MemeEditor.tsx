import { DEFAULT_TEXT_STYLE, type MemeSpec, type TextStyleOverride } from '@memelab/core';
import { useMemo, useState } from 'preact/hooks';
import { createMeme } from '../api/memelab-api.ts';
import { type ApiProblem, toProblem } from '../api/problem.ts';
import type { MemeResource } from '../api/resources.ts';
import { sameBoxes } from '../boxes/box-geometry.ts';
import { useBoxList } from '../boxes/use-box-list.ts';
import type { PreviewRequest } from '../preview/preview-renderer.ts';
import { BoxFields } from './BoxFields.tsx';
import { BoxOverlay } from './BoxOverlay.tsx';
import type { EditorSubject } from './editor-subject.ts';
import { MemeResult } from './MemeResult.tsx';
import { PreviewCanvas } from './PreviewCanvas.tsx';
import { StyleControls } from './StyleControls.tsx';

interface MemeEditorProps {
  readonly subject: EditorSubject;
  readonly onProblem: (problem: ApiProblem) => void;
  readonly onClearProblem: () => void;
}

/** Edits one meme; the page remounts it per template or picture, so state starts fresh. */
export const MemeEditor = ({ subject, onProblem, onClearProblem }: MemeEditorProps) => {
  const list = useBoxList(subject.base.textBoxes, subject.initialCaptions);
  const { boxes, captions } = list;
  const [style, setStyle] = useState<TextStyleOverride>({});
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<MemeResource | undefined>(undefined);

  const hasStyle = Object.keys(style).length > 0;
  const sendBoxes = subject.boxesRequired || !sameBoxes(boxes, subject.base.textBoxes);
  const preview = useMemo((): PreviewRequest => {
    // The preview plans with exactly the boxes the meme will be made with.
    const spec: MemeSpec = {
      ...subject.target,
      captions: [...captions],
      boxes: [...boxes],
      format: 'jpg',
      ...(hasStyle ? { style } : {}),
    };
    return { spec, base: subject.base, imageUrl: subject.imageUrl };
  }, [subject, captions, boxes, style, hasStyle]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setCreating(true);
    try {
      const meme = await createMeme({
        ...subject.target,
        captions,
        ...(sendBoxes ? { boxes } : {}),
        ...(hasStyle ? { style } : {}),
      });
      onClearProblem();
      setCreated(meme);
    } catch (error) {
      onProblem(toProblem(error));
    } finally {
      setCreating(false);
    }
  };

  const baseStyle = boxes[0]?.style ?? DEFAULT_TEXT_STYLE;
  const label = `Preview of ${subject.title}: ${captions.filter((caption) => caption.trim() !== '').join(' / ') || 'no captions yet'}`;

  return (
    <section
      id="editor"
      tabIndex={-1}
      class="panel editor"
      aria-labelledby="editor-heading"
      data-testid="editor"
      data-subject={subject.key}
    >
      <h2 id="editor-heading">{subject.title}</h2>
      <div class="editor__layout">
        <div class="editor__preview">
          <BoxOverlay boxes={boxes} onChange={list.setBox}>
            <PreviewCanvas request={preview} label={label} onProblem={onProblem} />
          </BoxOverlay>
          <p class="muted small">
            Drag a text box to move it and its corner to resize it, or focus it and use the arrow keys (Alt resizes).
            The preview is drawn in your browser with the same layout engine as the server.
            {subject.credit !== undefined && ` ${subject.credit}`}
          </p>
        </div>
        <form class="editor__form" onSubmit={(event) => void submit(event)}>
          <BoxFields list={list} withCaptions idPrefix="" />
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
