import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { fetchTemplates } from '../api/memelab-api.ts';
import { type ApiProblem, toProblem } from '../api/problem.ts';
import type { TemplateResource } from '../api/resources.ts';
import { useDebouncedValue } from './use-debounced-value.ts';

const SEARCH_DELAY_MS = 250;

interface TemplateGalleryProps {
  readonly selectedId: string | undefined;
  readonly onSelect: (template: TemplateResource) => void;
  readonly onProblem: (problem: ApiProblem) => void;
  /** Changes when the gallery's templates changed, so it loads them again. */
  readonly refreshKey: number;
  /** Called with the first page of every load, so the page can open a template right away. */
  readonly onFirstPage?: (templates: readonly TemplateResource[]) => void;
}

export const TemplateGallery = ({ selectedId, onSelect, onProblem, refreshKey, onFirstPage }: TemplateGalleryProps) => {
  const [query, setQuery] = useState('');
  const settledQuery = useDebouncedValue(query, SEARCH_DELAY_MS);
  const [templates, setTemplates] = useState<readonly TemplateResource[]>([]);
  const [total, setTotal] = useState<number | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const moreButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void refreshKey; // read so a new template reloads the list even when the query is unchanged
    // A slow answer to an older query must not replace the newer one's.
    const controller = new AbortController();
    setLoading(true);
    fetchTemplates(settledQuery, 0, controller.signal)
      .then((page) => {
        setTemplates(page.items);
        setTotal(page.total);
        setLoading(false);
        onFirstPage?.(page.items);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setLoading(false);
        onProblem(toProblem(error));
      });
    return () => controller.abort();
  }, [settledQuery, onProblem, refreshKey, onFirstPage]);

  const hasMore = !loading && total !== undefined && templates.length < total;
  const loadMore = useCallback(() => {
    if (loadingMore) return;
    setLoadingMore(true);
    const offset = templates.length;
    fetchTemplates(settledQuery, offset)
      .then((page) => {
        // Appends only onto the list it continues: a search typed meanwhile started a new one.
        setTemplates((current) => (current.length === offset ? [...current, ...page.items] : current));
        setTotal(page.total);
      })
      .catch((error: unknown) => onProblem(toProblem(error)))
      .finally(() => setLoadingMore(false));
  }, [loadingMore, templates.length, settledQuery, onProblem]);

  // The next page loads when the end of the list scrolls into view; the button does it by hand.
  useEffect(() => {
    const target = moreButton.current;
    if (!hasMore || target === null || typeof IntersectionObserver === 'undefined') return undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) loadMore();
      },
      { root: scroller.current, rootMargin: '0px 0px 200px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasMore, loadMore]);

  return (
    <section class="panel gallery" aria-labelledby="gallery-heading">
      <div class="panel__header">
        <h2 id="gallery-heading">Templates</h2>
        <output class="muted" aria-live="polite" data-testid="template-count">
          {loading ? 'Searching…' : `${templates.length} of ${total ?? templates.length}`}
        </output>
      </div>
      <label class="field">
        <span class="field__label">Search templates</span>
        <input
          type="search"
          value={query}
          placeholder="cat, fire, deploy…"
          autocomplete="off"
          spellcheck={false}
          onInput={(event) => setQuery(event.currentTarget.value)}
          data-testid="template-search"
        />
      </label>
      {!loading && templates.length === 0 && <p class="muted">No template matches “{settledQuery}”.</p>}
      <div class="gallery__scroller" ref={scroller} data-testid="gallery-scroller">
        <ul class="gallery__grid">
          {templates.map((template) => (
            <li key={template.id}>
              <button
                type="button"
                class="gallery__item"
                aria-pressed={template.id === selectedId}
                onClick={() => onSelect(template)}
                data-template-id={template.id}
              >
                <img
                  loading="lazy"
                  src={template.links.image}
                  alt=""
                  width={template.width}
                  height={template.height}
                  decoding="async"
                />
                <span class="gallery__name">{template.name}</span>
              </button>
            </li>
          ))}
        </ul>
        {hasMore && (
          <button
            type="button"
            class="button gallery__more"
            ref={moreButton}
            onClick={loadMore}
            disabled={loadingMore}
            data-testid="gallery-more"
          >
            {loadingMore ? 'Loading…' : `Show more templates (${String((total ?? 0) - templates.length)} more)`}
          </button>
        )}
      </div>
    </section>
  );
};
