import { useEffect, useRef, useState } from 'preact/hooks';
import { absoluteUrl } from '../api/memelab-api.ts';
import type { MemeResource } from '../api/resources.ts';
import { copyText } from './copy-text.ts';

interface MemeResultProps {
  readonly meme: MemeResource;
}

const STATUS_TEXT: Readonly<Record<MemeResource['status'], string>> = {
  queued: 'Queued…',
  rendering: 'Rendering…',
  done: 'Done',
  failed: 'Failed',
};

const isFinal = (meme: MemeResource): boolean => meme.status === 'done' || meme.status === 'failed';

/** Follows one meme's status events until it is rendered, then offers the image to share. */
export const MemeResult = ({ meme: created }: MemeResultProps) => {
  const [meme, setMeme] = useState(created);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const manualCopyRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setMeme(created);
    setCopyState('idle');
    if (isFinal(created)) return;
    const events = new EventSource(created.links.events);
    events.addEventListener('status', (event: MessageEvent<string>) => {
      const next = JSON.parse(event.data) as MemeResource;
      setMeme(next);
      // The server ends the stream after the final status; closing first stops a reconnect.
      if (isFinal(next)) events.close();
    });
    return () => events.close();
  }, [created]);

  useEffect(() => {
    if (copyState === 'manual') manualCopyRef.current?.select();
  }, [copyState]);

  const imageUrl = absoluteUrl(meme.links.image);
  const copy = async () => setCopyState((await copyText(imageUrl)) ? 'copied' : 'manual');

  return (
    <section class="result" aria-labelledby="result-heading" data-testid="meme-result" data-status={meme.status}>
      <h3 id="result-heading">Your meme</h3>
      <p class="result__status" aria-live="polite">
        {STATUS_TEXT[meme.status]}
        {meme.status === 'failed' && meme.failureReason !== null && `: ${meme.failureReason}`}
      </p>
      {!isFinal(meme) && <progress aria-label="Rendering the meme" />}
      {meme.status === 'done' && (
        <>
          <img
            class="result__image"
            src={meme.links.image}
            alt="The rendered meme"
            width={meme.width}
            height={meme.height}
            data-testid="result-image"
          />
          <div class="result__actions">
            <a class="button" href={meme.links.image} download={`meme-${meme.id}.${meme.format}`}>
              Download
            </a>
            <button type="button" class="button" onClick={() => void copy()}>
              Copy link
            </button>
            <span aria-live="polite">{copyState === 'copied' && 'Link copied.'}</span>
          </div>
          {copyState === 'manual' && (
            <label class="field">
              <span class="field__label">Copy this link (Ctrl+C or ⌘C)</span>
              <input
                ref={manualCopyRef}
                type="text"
                readOnly
                value={imageUrl}
                onFocus={(e) => e.currentTarget.select()}
              />
            </label>
          )}
          {meme.links.memegen !== undefined && (
            <p class="result__memegen">
              memegen URL:{' '}
              <a href={meme.links.memegen} data-testid="memegen-link">
                <code>{absoluteUrl(meme.links.memegen)}</code>
              </a>
            </p>
          )}
        </>
      )}
    </section>
  );
};
