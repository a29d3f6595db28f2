import { boxPosition } from '../boxes/box-geometry.ts';
import type { BoxList } from '../boxes/use-box-list.ts';

interface BoxFieldsProps {
  readonly list: BoxList;
  /** Whether each box gets a caption field (the meme editor) or only a name (template boxes). */
  readonly withCaptions: boolean;
  readonly idPrefix: string;
}

/** One row per text box: its caption, a way to remove it, and a way to add another. */
export const BoxFields = ({ list, withCaptions, idPrefix }: BoxFieldsProps) => (
  <div class="box-fields">
    {list.boxes.map((box, index) => {
      const name = `Text ${String(index + 1)} (${boxPosition(box)})`;
      return (
        <div class="box-fields__row" key={index}>
          {withCaptions ? (
            <label class="field">
              <span class="field__label">{name}</span>
              <textarea
                rows={2}
                value={list.captions[index] ?? ''}
                onInput={(event) => list.setCaption(index, event.currentTarget.value)}
                data-testid={`${idPrefix}caption-${String(index)}`}
              />
            </label>
          ) : (
            <span class="box-fields__name">{name}</span>
          )}
          {list.canRemove && (
            <button
              type="button"
              class="button button--quiet box-fields__remove"
              aria-label={`Remove text ${String(index + 1)}`}
              onClick={() => list.remove(index)}
              data-testid={`${idPrefix}remove-box-${String(index)}`}
            >
              Remove
            </button>
          )}
        </div>
      );
    })}
    <button type="button" class="button" disabled={!list.canAdd} onClick={list.add} data-testid={`${idPrefix}add-box`}>
      Add text box
    </button>
  </div>
);
