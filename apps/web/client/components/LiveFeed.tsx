import { useEffect, useState } from 'preact/hooks';
import { fetchRecentMemes } from '../api/memelab-api.ts';
import { type ApiProblem, toProblem } from '../api/problem.ts';
import type { MemeResource } from '../api/resources.ts';

const INITIAL_COUNT = 12;
const MAX_SHOWN = 24;

interface LiveFeedProps {
  readonly onProblem: (problem: ApiProblem) => void;
}

/** What a screen reader says for a meme: its captions and what they are written on. */
const altText = (meme: MemeResource): string => {
  const on = meme.template ?? 'an uploaded picture';
  const captions = (meme.spec?.captions ?? []).map((caption) => caption.trim()).filter((caption) => caption !== '');
  return captions.length === 0 ? `Meme on ${on}` : `Meme on ${on}: ${captions.join(' / ')}`;
};

const prepend = (memes: readonly MemeResource[], meme: MemeResource): MemeResource[] =>
  [meme, ...memes.filter((known) => known.id !== meme.id)].slice(0, MAX_SHOWN);

/** Recent memes, then every meme anyone renders from now on, newest first. */
export const LiveFeed = ({ onProblem }: LiveFeedProps) => {
  const [memes, setMemes] = useState<readonly MemeResource[]>([]);

  useEffect(() => {
    // Subscribe before loading the page so a meme rendered in between is not missed.
    const events = new EventSource('/api/events');
    events.addEventListener('meme', (event: MessageEvent<string>) => {
      const meme = JSON.parse(event.data) as MemeResource;
      setMemes((current) => prepend(current, meme));
    });
    fetchRecentMemes(INITIAL_COUNT)
      .then((page) =>
        setMemes((current) => {
          const live = current.filter((meme) => !page.items.some((known) => known.id === meme.id));
          return [...live, ...page.items].slice(0, MAX_SHOWN);
        }),
      )
      .catch((error: unknown) => onProblem(toProblem(error)));
    return () => events.close();
  }, [onProblem]);

  return (
    <section class="panel feed" aria-labelledby="feed-heading">
      <h2 id="feed-heading">Live feed</h2>
      {memes.length === 0 ? (
        <p class="muted">No memes yet. Yours will appear here, and so will everyone else’s.</p>
      ) : (
        <ul class="feed__grid" aria-live="polite" data-testid="feed">
          {memes.map((meme) => (
            <li key={meme.id} data-meme-id={meme.id}>
              <a href={meme.links.image}>
                <img
                  loading="lazy"
                  src={meme.links.image}
                  alt={altText(meme)}
                  width={meme.width}
                  height={meme.height}
                />
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};
